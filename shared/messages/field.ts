/**
 * UI strings of the liaison's field day (issue 20): the firm's address, contact person and last
 * contact on the to-do card and the contact form, the repeated-visit warning before saving, the next
 * firm of the month's list, a ledger item raised from a contact, photos made smaller on the phone and
 * contacts kept on the phone until the signal is back. `en` must have exactly the keys of `zh`.
 */
export const zh = {
  'field.address': '地址',
  'field.navigate': '导航',
  'field.navigateLabel': '用高德地图导航到{firm}（{address}）',
  'field.person': '联系人',
  'field.call': '拨打 {mobile}',
  'field.callLabel': '拨打 {mobile}（{name}）',
  'field.noPerson': '未登记联系人',
  'field.last': '上次联系',
  'field.lastValue': '{at}（{mode}）',
  'field.noLast': '尚无联系记录',

  'field.repeat.title': '近 7 天内已联系过这家企业',
  'field.repeat.text': '请确认这次联系确有必要，避免重复打扰企业。',
  'field.repeat.mine': '你于 {at} 联系过（{mode}）',
  'field.repeat.other': '{at} 已有其他人员联系过（{mode}）',

  'field.next': '下一家：{firm}',
  'field.left': '本月还剩 {n} 家待联系',
  'field.allDone': '本月待联系的企业已全部联系。',
  'field.again': '再记一条这家企业的联系',
  'field.toList': '回到本月待联系清单',

  'field.ledger.open': '为这家企业登记台账事项',
  'field.ledger.intro': '企业统一社会信用代码已自动带入，无需重新填写。',
  'field.ledger.fromContact': '将关联到刚保存的这次联系。',
  'field.ledger.submit': '登记事项',
  'field.ledger.submitting': '正在登记…',
  'field.ledger.done': '已登记台账事项：{title}',
  'field.ledger.failed': '台账事项未能登记。',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'field.address': 'Address',
  'field.navigate': 'Directions',
  'field.navigateLabel': 'Directions to {firm} ({address}) in Amap',
  'field.person': 'Contact person',
  'field.call': 'Call {mobile}',
  'field.callLabel': 'Call {mobile} ({name})',
  'field.noPerson': 'No contact person on record',
  'field.last': 'Last contact',
  'field.lastValue': '{at} ({mode})',
  'field.noLast': 'No contact yet',

  'field.repeat.title': 'This firm was contacted in the last 7 days',
  'field.repeat.text': 'Make sure this contact is needed, so the firm is not visited over and over.',
  'field.repeat.mine': 'You contacted it on {at} ({mode})',
  'field.repeat.other': 'Someone else contacted it on {at} ({mode})',

  'field.next': 'Next: {firm}',
  'field.left': '{n} left to contact this month',
  'field.allDone': 'Every firm on this month’s list is contacted.',
  'field.again': 'Log another contact with this firm',
  'field.toList': 'Back to this month’s list',

  'field.ledger.open': 'Raise a ledger item for this firm',
  'field.ledger.intro': 'The firm’s USCC is filled in for you.',
  'field.ledger.fromContact': 'It will be linked to the contact just saved.',
  'field.ledger.submit': 'Raise the item',
  'field.ledger.submitting': 'Raising…',
  'field.ledger.done': 'Ledger item raised: {title}',
  'field.ledger.failed': 'The ledger item could not be raised.',
};
