/**
 * UI strings of the industrial parks (issue 19): the console page where a county's parks are kept.
 * Merged into `shared/i18n.ts`.
 */
export const zh = {
  'nav.parks': '工业园区',
  'parks.title': '工业园区',
  'parks.heading': '工业园区名单',
  'parks.intro':
    '每个区县维护自己的工业园区名单。企业档案选择所属园区，达标情况和台账统计可按园区筛选。园区只能停用，不能删除；同一区县内名称不能重复。',
  'parks.county': '区县',
  'parks.name': '园区名称',
  'parks.retired': '停用',
  'parks.id': '编号',
  'parks.new': '（新）',
  'parks.none': '本区县尚未登记园区。',
  'parks.add': '增加园区',
  'parks.save': '保存名单',
  'parks.saving': '正在保存…',
  'parks.saved': '已保存。',
  'parks.conflict': '名单已被他人修改，已重新加载，请核对后再保存。',
  'parks.invalid': '请检查：每个园区名称 2–50 字，同一区县内不能重名。',
  'parks.readOnly': '园区名单由区县及以上的管理员维护。',
  'parks.manage': '管理工业园区',
  'parks.filter': '园区',
  'parks.filterAll': '全部园区',
};

export const en: Record<keyof typeof zh, string> = {
  'nav.parks': 'Parks',
  'parks.title': 'Industrial parks',
  'parks.heading': 'Industrial parks',
  'parks.intro':
    'Each county keeps its list of industrial parks. A firm’s record names its park, and compliance and ledger statistics can be filtered by park. Parks are retired, never removed; names are unique within a county.',
  'parks.county': 'County',
  'parks.name': 'Park name',
  'parks.retired': 'Retired',
  'parks.id': 'Id',
  'parks.new': '(new)',
  'parks.none': 'No parks registered for this county yet.',
  'parks.add': 'Add a park',
  'parks.save': 'Save the list',
  'parks.saving': 'Saving…',
  'parks.saved': 'Saved.',
  'parks.conflict': 'Someone else changed the list; it has been reloaded. Check it and save again.',
  'parks.invalid': 'Check: each park name has 2–50 characters and is unique within the county.',
  'parks.readOnly': 'The county’s and higher managers keep the list of parks.',
  'parks.manage': 'Manage industrial parks',
  'parks.filter': 'Park',
  'parks.filterAll': 'All parks',
};
