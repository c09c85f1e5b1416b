/**
 * UI strings of the spreadsheet downloads leaders pass upward (the 台账, compliance per month and
 * unit, the audit log) and of the compliance page's live list of pairings not yet contacted this
 * month (issue 19), merged into `shared/i18n.ts`. `en` must have exactly the keys of `zh`.
 */
export const zh = {
  'exports.heading': '导出表格',
  'exports.ledger.hint':
    '按所选单位导出台账，每个事项一行（北京时间、中文状态），含期间内仍在办或新登记的事项。起止日期可不填（默认近一年），最长一年。',
  'exports.compliance.hint': '导出所选月份本单位及下级各单位的联系情况，每个单位一行。',
  'exports.audit.hint': '导出本单位的操作日志（北京时间），起止日期可不填（默认近一年），最长一年。',
  'exports.from': '开始日期',
  'exports.to': '结束日期',
  'exports.csv': '下载 CSV',
  'exports.xlsx': '下载 Excel（XLSX）',
  'exports.working': '正在生成表格…',
  'exports.done': '已下载 {file}。',
  'exports.failed': '导出失败，请稍后重试。',
  'exports.badRange': '日期有误：开始日期不能晚于结束日期，且最长一年。',
  'exports.tooLarge': '行数超过单个文件的上限，请缩小时间范围或选择下级单位后分次导出。',
  'compliance.live.heading': '本月尚未走访或视频连线的结对（{n}）',
  'compliance.live.title': '本月尚未联系的结对',
  'compliance.live.daysLeft': '本月还剩 {days} 天（含今天），请在月底前完成走访或视频连线。',
  'compliance.live.empty': '本月所有结对都已走访或视频连线。',
  'compliance.live.failed': '未能载入本月尚未联系的结对。',
};

export const en: Record<keyof typeof zh, string> = {
  'exports.heading': 'Download as a spreadsheet',
  'exports.ledger.hint':
    'The unit’s ledger, one row per item (Beijing time), with the items open or raised during the dates. Dates may be left empty (the last year); at most one year.',
  'exports.compliance.hint': 'The month’s contacts of this unit and each unit below it, one row per unit.',
  'exports.audit.hint':
    'The unit’s audit log (Beijing time). Dates may be left empty (the last year); at most one year.',
  'exports.from': 'From',
  'exports.to': 'To',
  'exports.csv': 'Download CSV',
  'exports.xlsx': 'Download Excel (XLSX)',
  'exports.working': 'Preparing the file…',
  'exports.done': 'Downloaded {file}.',
  'exports.failed': 'The download failed. Please try again later.',
  'exports.badRange': 'Check the dates: the start may not be after the end, and at most one year.',
  'exports.tooLarge': 'Too many rows for one file. Narrow the dates or choose a unit further down and export in parts.',
  'compliance.live.heading': 'Pairings not yet visited or called this month ({n})',
  'compliance.live.title': 'Pairings not yet contacted this month',
  'compliance.live.daysLeft': '{days} days left in the month, today included: visit or video-call them before it ends.',
  'compliance.live.empty': 'Every pairing has had a visit or a video call this month.',
  'compliance.live.failed': 'Could not load the pairings not yet contacted this month.',
};
