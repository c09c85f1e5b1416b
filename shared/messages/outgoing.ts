import { SMS_TEMPLATE_PARAMS, type SmsKind } from '../outbox.ts';

/**
 * The words of the messages the product sends to people outside the console: bookers, firms
 * answering a resolved ledger item, new staff. E-mails carry Chinese and English, as the booking
 * pages do; a text message is Chinese only (mainland templates), filled from `params` whose values
 * stay short (providers cap each variable at about 20–35 characters), and rendered in full as `text`.
 */

/** The signature every text message starts with (registered with the SMS provider). */
export const SMS_SIGNATURE = '【环保服务联络】';

export const BOOKER_SUBJECTS = {
  confirmed: '预约成功 Booking confirmed',
  waitlisted: '已加入候补 On the waitlist',
  promoted: '候补转为预约成功 A seat is yours',
  cancelled: '预约已取消 Booking cancelled',
  changed: '预约信息变更 Booking changed',
  rescheduled: '预约已改期 Booking moved',
  dayCancelled: '咨询日取消 Consultation day cancelled',
  reminder: '明日咨询提醒 Your consultation is tomorrow',
} as const;

/** What a message to a booker is about. */
export type BookerMessageKind = keyof typeof BOOKER_SUBJECTS;

export const BOOKER_SMS_KINDS = {
  confirmed: 'booking-confirmed',
  waitlisted: 'booking-waitlisted',
  promoted: 'booking-promoted',
  cancelled: 'booking-cancelled',
  changed: 'booking-changed',
  // The same registered template as a venue's change: "your booking changed: {date} {time} {place}".
  rescheduled: 'booking-changed',
  dayCancelled: 'day-cancelled',
  reminder: 'booking-reminder',
} as const satisfies Record<BookerMessageKind, SmsKind>;

/** What a booker's text message says after the greeting, by kind ({date}, {time}, {code} filled in). */
const BOOKER_SMS_LINES: Record<BookerMessageKind, string> = {
  confirmed: '您预约的{date} {time}环保咨询已确认，预约码{code}。',
  waitlisted: '您已进入{date} {time}环保咨询的候补名单，预约码{code}；有空位时将按顺序为您递补并通知您。',
  promoted: '您候补的{date} {time}环保咨询已递补成功，预约码{code}。',
  cancelled: '您预约的{date} {time}环保咨询已取消，预约码{code}。',
  changed: '您预约的{date} {time}环保咨询的地点或线上链接有变更，预约码{code}，请查看最新信息。',
  rescheduled: '您的环保咨询预约已改到{date} {time}，预约码{code}，原时段已释放。',
  dayCancelled: '{date}的环保咨询日已取消（原因：{reason}），您{time}的预约（预约码{code}）随之取消。',
  reminder: '提醒：您预约的环保咨询在明天（{date}）{time}，地点：{place}，预约码{code}。',
};

export interface BookerFacts {
  readonly companyName: string;
  readonly code: string;
  /** The day (YYYY-MM-DD) and the slot's start and end, Beijing time (HH:MM). */
  readonly date: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly place: string;
  readonly link: string;
  readonly reason?: string | undefined;
}

/** A template variable: providers cap each at about 20–35 characters. */
const short = (value: string, max = 20) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

const fill = (template: string, values: Readonly<Record<string, string>>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');

/** The SMS code that turns a held booking into a booking (only ever to the mobile the booker gave). */
export const bookingCodeSms = (code: string) => ({
  kind: 'booking-verify-code' as const,
  params: { code },
  text: `${SMS_SIGNATURE}您的预约验证码为 ${code}，5 分钟内有效，座位为您保留 10 分钟。请勿告诉他人；如非本人操作，请忽略本短信。`,
});

/**
 * The SMS code that opens the list of a firm's bookings (find my booking): no seat is held, so it
 * says what the code is for, not the hold's ten minutes.
 */
export const bookingFindCodeSms = (code: string) => ({
  kind: 'booking-find-code' as const,
  params: { code },
  text: `${SMS_SIGNATURE}您的预约验证码为 ${code}，用于查找本企业的咨询日预约，5 分钟内有效。请勿告诉他人；如非本人操作，请忽略本短信。`,
});

/** A booker's e-mail (subject and text). */
export const bookerEmail = (kind: BookerMessageKind, facts: BookerFacts) => ({
  subject: `${BOOKER_SUBJECTS[kind]} · ${facts.date}`,
  text: [
    `${facts.companyName}:`,
    BOOKER_SUBJECTS[kind],
    ...(facts.reason ? [`原因 Reason: ${facts.reason}`] : []),
    `${facts.date} ${facts.startsAt} – ${facts.endsAt} (北京时间 Asia/Shanghai)`,
    facts.place,
    `预约码 Booking code: ${facts.code}`,
    `查看或取消 View or cancel: ${facts.link}`,
  ].join('\n'),
});

/** A booker's text message: its template kind, the template's parameters, and the text in full. */
export const bookerSms = (kind: BookerMessageKind, facts: BookerFacts) => {
  const values: Record<string, string> = {
    date: facts.date,
    time: `${facts.startsAt}-${facts.endsAt}`,
    place: short(facts.place || '线上'),
    code: facts.code,
    reason: short(facts.reason ?? ''),
  };
  const smsKind = BOOKER_SMS_KINDS[kind];
  return {
    kind: smsKind,
    // Exactly the registered template's variables (shared/outbox.ts), whatever the full text says.
    params: Object.fromEntries(SMS_TEMPLATE_PARAMS[smsKind].map((name) => [name, values[name] ?? ''])),
    text: `${SMS_SIGNATURE}${fill(BOOKER_SMS_LINES[kind], values)}查看或取消：${facts.link}`,
  };
};

/** How much of a lead's message to a day's bookers a text message carries (a template variable's limit). */
export const DAY_NOTICE_SMS_CHARS = 35;

/**
 * A lead's message to a booker of a day (issue 20): the e-mail carries the text in full with the
 * booking's facts; the text message is the registered `day-notice` template (date, venue, and the
 * text cut to the variable's limit, on one line: providers refuse line breaks in a variable).
 */
export const dayNotice = (facts: BookerFacts & { readonly text: string }) => {
  const oneLine = facts.text.replace(/\s+/g, ' ').trim();
  const params = {
    date: facts.date,
    place: short(facts.place || '线上'),
    text: short(oneLine, DAY_NOTICE_SMS_CHARS),
  };
  return {
    subject: `咨询日通知 A notice about your consultation day · ${facts.date}`,
    text: [
      `${facts.companyName}:`,
      '咨询日主办单位通知 A notice from the organisers of your consultation day:',
      '',
      facts.text,
      '',
      `${facts.date} ${facts.startsAt} – ${facts.endsAt} (北京时间 Asia/Shanghai)`,
      facts.place,
      `预约码 Booking code: ${facts.code}`,
      `查看或取消 View or cancel: ${facts.link}`,
    ].join('\n'),
    sms: {
      kind: 'day-notice' as const,
      params,
      text: `${SMS_SIGNATURE}${params.date}环保咨询日（${params.place}）通知：${params.text}`,
    },
  };
};

/** The firm's link to say whether a resolved ledger item is solved: e-mail and text message. */
export const ledgerConfirmation = (title: string, link: string, days: number) => {
  const text = `${SMS_SIGNATURE}您企业反映的问题“${title}”已办结，请确认是否解决：${link}（${days}天内有效，仅可使用一次）`;
  return {
    subject: `问题办结确认：${title}`,
    text,
    sms: { kind: 'ledger-confirmation' as const, params: { title: title.slice(0, 20), link }, text },
  };
};

/**
 * A firm told who its liaison is, when it is paired (or given another liaison): e-mail in Chinese
 * and English, a text message in Chinese naming the liaison and the liaison's mobile.
 */
export const firmPaired = (firm: string, liaison: string, mobile: string | undefined) => {
  const phone = mobile ? `，电话${mobile}` : '';
  const text = `${SMS_SIGNATURE}${firm}：生态环境部门已为贵企业安排环保服务联络员${liaison}${phone}。有环保方面的问题或困难，可直接联系。`;
  return {
    subject: `环保服务联络员告知 Your environmental liaison`,
    text: [
      text,
      '',
      `${firm}: the ecology and environment bureau has named ${liaison} as your firm's environmental liaison${
        mobile ? ` (mobile ${mobile})` : ''
      }. Contact your liaison with any environmental question or difficulty.`,
    ].join('\n'),
    sms: {
      kind: 'firm-paired' as const,
      params: { liaison: liaison.slice(0, 20), mobile: mobile ?? '' },
      text,
    },
  };
};

/** A firm told that an item of its ledger was cancelled, with the explanation staff gave. */
export const ledgerCancelled = (title: string, reason: string) => {
  const text = `${SMS_SIGNATURE}贵企业服务台账事项“${title}”已撤销。说明：${reason}`;
  return {
    subject: `服务台账事项已撤销 A ledger item was cancelled：${title}`,
    text: [text, '', `The item "${title}" on your firm's service ledger was cancelled. Explanation: ${reason}`].join(
      '\n',
    ),
    sms: {
      kind: 'ledger-cancelled' as const,
      params: { title: title.slice(0, 20), reason: reason.slice(0, 20) },
      text,
    },
  };
};

/**
 * A firm told that an item of its ledger stayed open past its date, with what staff last wrote on it
 * (the explanation) when they wrote anything after raising it.
 */
export const ledgerOverdue = (title: string, dueOn: string, explanation: string | null) => {
  const said = explanation ? `办理情况：${explanation}` : '承办部门正在办理，联络员会与您联系。';
  const text = `${SMS_SIGNATURE}贵企业服务台账事项“${title}”应于${dueOn}前办结，目前尚未办结。${said}`;
  return {
    subject: `服务台账事项已逾期 A ledger item is overdue：${title}`,
    text: [
      text,
      '',
      `The item "${title}" on your firm's service ledger was due by ${dueOn} and is still open. ${
        explanation
          ? `Latest from staff: ${explanation}`
          : 'The department is working on it; your liaison will contact you.'
      }`,
    ].join('\n'),
    sms: {
      kind: 'ledger-overdue' as const,
      params: { title: title.slice(0, 20), date: dueOn, reason: (explanation ?? '正在办理').slice(0, 20) },
      text,
    },
  };
};

/**
 * A firm told that its check-up report is ready (issue 20): the day of the check-up and where to read
 * it, the firm door (`/firm/`), after signing in with a code texted to a roster mobile. The report
 * itself never travels in a message.
 */
export const checkupReport = (firm: string, date: string, link: string) => {
  const text = `${SMS_SIGNATURE}${short(firm)}：您企业${date}的环境健康体检报告已出具，请在${link}用登记手机号登录查看。`;
  return {
    subject: `环境健康体检报告 Check-up report · ${date}`,
    text: [
      text,
      '',
      `${firm}: the report of your firm's environmental health check-up of ${date} is ready. Read it at ${link}, signing in with your firm's registered mobile.`,
    ].join('\n'),
    sms: { kind: 'checkup-report' as const, params: { firm: short(firm), date }, text },
  };
};

/** A new staff member's invitation with its temporary password (e-mail only). */
export const staffInvitation = (
  user: { readonly displayName: string; readonly username: string },
  where: { readonly zh: string; readonly en: string },
  password: string,
  signIn: string,
) => ({
  subject: '环保服务联络平台工作人员账号 / Your Eco Liaison staff account',
  text: [
    `${user.displayName}，您好：`,
    `已为您开通环保服务联络平台工作人员账号（${where.zh}）。`,
    `用户名：${user.username}`,
    `临时密码：${password}`,
    '首次登录后请修改密码。',
    `登录地址：${signIn}`,
    '',
    `Hello ${user.displayName},`,
    `a staff account of Eco Liaison (${where.en}) was created for you.`,
    `Username: ${user.username}`,
    `Temporary password: ${password}`,
    'Change it when you first sign in.',
    `Sign in: ${signIn}`,
  ].join('\n'),
});
