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

  'field.photo.keepOriginal': '保留原图（不压缩，上传较慢）',

  'field.offline.note': '当前没有网络。仍可填写并保存，联系记录会先保存在本机，有网络时自动发送。',
  'field.offline.saved': '已保存在本机，等待发送',
  'field.offline.savedText': '没有网络，这条联系记录和照片已保存在本机，有网络时会自动发送一次。',
  'field.outbox.title': '本机待发送（{n}）',
  'field.outbox.text': '这些联系记录保存在本机，有网络时自动发送。发送完成前请勿清除浏览器数据。',
  'field.outbox.item': '{firm} · {at}（{mode}）',
  'field.outbox.files': '{n} 个照片或文件',
  'field.outbox.waiting': '等待网络',
  'field.outbox.sending': '正在发送…',
  'field.outbox.refused': '未能发送：{reason}',
  'field.outbox.send': '立即发送',
  'field.outbox.discard': '删除这条',
  'field.outbox.discardConfirm': '删除后这条联系记录不会再发送，确定删除吗？',
  'field.outbox.sent': '{firm}的联系记录已发送。',
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

  'field.photo.keepOriginal': 'Keep the original (full size, slower to send)',

  'field.offline.note':
    'No signal right now. You can still fill in and save: the contact is kept on this phone and sent by itself when the signal is back.',
  'field.offline.saved': 'Kept on this phone, waiting to be sent',
  'field.offline.savedText':
    'There is no signal: this contact and its photos are kept on this phone and sent once, by themselves, when the signal is back.',
  'field.outbox.title': 'Waiting on this phone ({n})',
  'field.outbox.text':
    'These contacts are kept on this phone and sent by themselves when there is a signal. Do not clear the browser’s data before they are sent.',
  'field.outbox.item': '{firm} · {at} ({mode})',
  'field.outbox.files': '{n} photos or files',
  'field.outbox.waiting': 'Waiting for a signal',
  'field.outbox.sending': 'Sending…',
  'field.outbox.refused': 'Could not be sent: {reason}',
  'field.outbox.send': 'Send now',
  'field.outbox.discard': 'Discard it',
  'field.outbox.discardConfirm': 'Once discarded this contact will not be sent. Discard it?',
  'field.outbox.sent': 'The contact with {firm} was sent.',
};
