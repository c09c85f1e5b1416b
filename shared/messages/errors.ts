/**
 * The message of every API error code (and of a call that reached no server), merged into
 * `shared/i18n.ts`. Typed by the code union: a code in `ERROR_CODES` without a message in both
 * languages fails the typecheck.
 */
import type { ErrorKey } from '../api-errors.ts';

type ErrorMessages = Record<ErrorKey | 'error.NETWORK', string>;

export const zh = {
  'error.VALIDATION_FAILED': '填写的内容有误，请检查标出的字段。',
  'error.UNAUTHENTICATED': '请先登录，或登录已失效。',
  'error.FORBIDDEN': '您的角色无权进行此操作。',
  'error.NOT_FOUND': '未找到该记录，或不在您的辖区范围内。',
  'error.PAYLOAD_TOO_LARGE': '提交的内容过大。',
  'error.RATE_LIMITED': '操作过于频繁，请稍后再试。',
  'error.INTERNAL': '系统出现错误，请稍后再试。',
  'error.VERSION_CONFLICT': '该记录已被他人修改，请刷新后重试。',
  'error.INVALID_TRANSITION': '当前状态下不能进行此操作。',
  'error.ALREADY_EXISTS': '该记录已存在，不能重复登记。',
  'error.SLOT_FULL': '该时段已约满，请选择其他时段。',
  'error.ALREADY_BOOKED': '该企业（统一社会信用代码）已预约本次咨询日，不能重复预约。',
  'error.BOOKING_CLOSED': '预约已截止。',
  'error.CAPACITY_BELOW_BOOKED': '名额不能少于已预约的人数。',
  'error.TOO_EARLY': '咨询日当天起才能登记到场情况。',
  'error.IMPORT_IN_PROGRESS': '一次导入正在写入这些企业，请一分钟后再试。',
  'error.IMPORT_INTERRUPTED': '导入被中断，未导入任何企业，请重新上传文件。',
  'error.IMPORT_REJECTED': '文件中有问题行，未导入任何企业。',
  'error.ALREADY_PAIRED': '该企业在这个服务年度已有服务中的结对，不能重复结对。',
  'error.EVIDENCE_TAKEN': '该文件已被另一条记录使用，请重新上传。',
  'error.LINK_SUPERSEDED': '此链接对应的是问题较早的一次办理结果，已失效。',
  'error.USERNAME_TAKEN': '该用户名已被使用，请换一个。',
  'error.ACCOUNTS_AT_ISSUER': '本系统的工作人员账号由统一身份认证平台管理，请在该平台新增或停用账号。',
  'error.ACCOUNT_DISABLED': '您的账号已被停用，请联系本单位管理员。',
  'error.WEBHOOK_FAILED': '群机器人未能收到消息，请检查机器人地址。',
  'error.CODE_INVALID': '验证码不正确或已失效，请重新获取。',
  'error.HOLD_EXPIRED': '座位保留已超过 10 分钟，已释放给其他企业，请重新预约。',
  'error.MOVE_LIMIT': '该预约已改约 3 次，不能再改约；如需其他时间，请取消后重新预约。',
  'error.NOT_CLOSED': '该事项尚未销号，销号后才能评价。',
  'error.ALREADY_RATED': '该事项已经评价过，每个事项只能评价一次。',
  'error.NOTHING_DUE': '该时间没有需要运行的提醒任务。',
  'error.EXPORT_TOO_LARGE': '导出的行数超过单个文件的上限，请缩小时间范围或选择下级单位后分次导出。',
  'error.NETWORK': '无法连接服务，请检查网络后重试。',
} satisfies ErrorMessages;

export const en: Record<keyof typeof zh, string> = {
  'error.VALIDATION_FAILED': 'Some fields are not valid. Please check the marked fields.',
  'error.UNAUTHENTICATED': 'Please sign in; your session may have expired.',
  'error.FORBIDDEN': 'Your role may not do this.',
  'error.NOT_FOUND': 'Not found, or outside your jurisdiction.',
  'error.PAYLOAD_TOO_LARGE': 'What you sent is too large.',
  'error.RATE_LIMITED': 'Too many requests. Please wait a moment and try again.',
  'error.INTERNAL': 'Something went wrong on our side. Please try again later.',
  'error.VERSION_CONFLICT': 'Someone else changed this record. Please reload and try again.',
  'error.INVALID_TRANSITION': 'This action is not possible in the current state.',
  'error.ALREADY_EXISTS': 'This record exists already.',
  'error.SLOT_FULL': 'This slot is full. Please choose another one.',
  'error.ALREADY_BOOKED': 'This firm (Unified Social Credit Code) already has a booking for this consultation day.',
  'error.BOOKING_CLOSED': 'Booking has closed.',
  'error.CAPACITY_BELOW_BOOKED': 'The capacity cannot be lower than the seats already booked.',
  'error.TOO_EARLY': 'Attendance can be recorded from the consultation day itself.',
  'error.IMPORT_IN_PROGRESS': 'An import is writing these firms. Please try again in a minute.',
  'error.IMPORT_INTERRUPTED': 'The import was interrupted and nothing was imported. Please upload the file again.',
  'error.IMPORT_REJECTED': 'Some rows have problems; no firm was imported.',
  'error.ALREADY_PAIRED': 'This firm already has an active pairing for that service year.',
  'error.EVIDENCE_TAKEN': 'This file is used by another record already. Please upload it again.',
  'error.LINK_SUPERSEDED': 'This link is for an earlier resolution of the problem and no longer works.',
  'error.USERNAME_TAKEN': 'This username is taken. Please choose another one.',
  'error.ACCOUNTS_AT_ISSUER':
    'Staff accounts of this deployment are managed at its identity provider. Create or disable them there.',
  'error.ACCOUNT_DISABLED': 'Your account has been disabled. Please contact your administrator.',
  'error.WEBHOOK_FAILED': 'The group robot did not accept the message. Please check its address.',
  'error.CODE_INVALID': 'The code is wrong or no longer valid. Please ask for a new one.',
  'error.HOLD_EXPIRED': 'The seat was held for 10 minutes and has been released. Please book again.',
  'error.MOVE_LIMIT': 'This booking has been moved 3 times and cannot be moved again; cancel it and book again.',
  'error.NOT_CLOSED': 'This item is not closed yet; it can be rated once it is closed.',
  'error.ALREADY_RATED': 'This item has been rated already; each item can be rated once.',
  'error.NOTHING_DUE': 'No reminder job is due at that time.',
  'error.EXPORT_TOO_LARGE':
    'The export would have more rows than one file may hold. Narrow the dates or choose a unit further down and export in parts.',
  'error.NETWORK': 'Cannot reach the service. Check your connection and try again.',
};
