/**
 * UI strings in Chinese (the default) and English. Chinese uses the bureaus' own words
 * (see the glossary in the design). `en` must have exactly the keys of `zh`: the type says so.
 *
 * The site renders most strings at build time; browser scripts get only the few messages
 * they need (see `pick`), so the dictionaries never ship to the browser whole.
 */
export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh';

export const isLang = (value: unknown): value is Lang =>
  typeof value === 'string' && (LANGS as readonly string[]).includes(value);

/** The value of `<html lang>` for each language. */
export const htmlLang = (lang: Lang): string => (lang === 'zh' ? 'zh-CN' : 'en');

/** The URL path of a page in a language: Chinese at the root, English under `/en/`. */
export const localePath = (lang: Lang, path: string): string => {
  const bare = path.startsWith('/') ? path : `/${path}`;
  return lang === DEFAULT_LANG ? bare : `/${lang}${bare}`;
};

/** Strips a language prefix from a URL path: `/en/staff/sign-in/` → `/staff/sign-in/`. */
export const barePath = (path: string): string => {
  for (const lang of LANGS) {
    if (lang === DEFAULT_LANG) continue;
    if (path === `/${lang}`) return '/';
    if (path.startsWith(`/${lang}/`)) return path.slice(lang.length + 1);
  }
  return path;
};

const zh = {
  'site.name': '环保服务联络平台',
  'site.programme': '环保服务企业“十百千”行动',
  'site.skip': '跳到主要内容',
  'site.footer': '生态环境部门 · 环保服务企业“十百千”行动',
  'nav.label': '主导航',
  'nav.home': '首页',
  'nav.signIn': '工作人员登录',
  'lang.switch': 'English',

  'home.title': '首页',
  'home.heading': '环保服务企业“十百千”行动',
  'home.intro':
    '本平台支撑生态环境部门的环保服务企业“十百千”行动：为每家结对服务企业安排一名企业联络员（一对一），联络员每月至少一次走访或视频连线；专家为企业开展环境健康“体检”；企业提出和体检发现的问题全部纳入服务“台账”，一事一单、一企一档，收集、交办、跟踪、销号，闭环管理；生态环境部门定期举办企业环保咨询日，企业可在线预约咨询。',
  'home.consultation.title': '企业环保咨询日',
  'home.consultation.text': '查看近期咨询日安排，在线预约咨询时段，无需登录。',
  'home.consultation.link': '查看咨询日',
  'home.staff.title': '工作人员',
  'home.staff.text': '企业联络员、联系领导和管理员登录工作台。',
  'home.staff.link': '工作人员登录',
  'health.label': '服务状态',
  'health.unknown': '服务状态：未获取',
  'health.checking': '正在检查服务状态…',
  'health.ok': '服务正常',
  'health.down': '服务暂不可用，请稍后再试',
  'health.version': '版本',
  'health.time': '{time}（北京时间）',

  'signIn.title': '工作人员登录',
  'signIn.heading': '工作人员登录',
  'signIn.intro': '企业联络员、联系领导和管理员请使用工作账号登录。',
  'signIn.username': '用户名',
  'signIn.password': '密码',
  'signIn.submit': '登录',
  'signIn.submitting': '正在登录…',
  'signIn.demoHint': '本地演示账号：lead.wuzhong / demo',
  'signIn.noscript': '登录需要启用浏览器的 JavaScript。',
  'signIn.loading': '正在读取账号信息…',
  'signIn.badCredentials': '用户名或密码不正确，请重新输入。',
  'signIn.required': '请输入用户名和密码。',
  'signIn.sessionExpired': '登录已失效，请重新登录。',
  'signIn.noLocalIssuer': '此环境未启用本地演示登录。正式环境请通过单位统一身份认证（Cognito 托管登录页）登录。',
  'me.heading': '当前账号',
  'me.username': '用户名',
  'me.email': '电子邮箱',
  'me.role': '角色',
  'me.jurisdiction': '辖区',
  'me.signOut': '退出登录',
  'me.signedOut': '已退出登录。',

  'role.liaison': '企业联络员',
  'role.lead': '联系领导',
  'role.admin': '管理员',

  'level.province': '省',
  'level.city': '设区市',
  'level.county': '县（市、区）',

  'error.VALIDATION_FAILED': '填写的内容有误，请检查标出的字段。',
  'error.UNAUTHENTICATED': '请先登录，或登录已失效。',
  'error.FORBIDDEN': '您的角色无权进行此操作。',
  'error.NOT_FOUND': '未找到该记录，或不在您的辖区范围内。',
  'error.SLOT_FULL': '该时段已约满，请选择其他时段。',
  'error.ALREADY_BOOKED': '该企业（统一社会信用代码）已预约本次咨询日，不能重复预约。',
  'error.VERSION_CONFLICT': '该记录已被他人修改，请刷新后重试。',
  'error.INVALID_TRANSITION': '当前状态下不能进行此操作。',
  'error.BOOKING_CLOSED': '预约已截止。',
  'error.PAYLOAD_TOO_LARGE': '提交的内容过大。',
  'error.RATE_LIMITED': '操作过于频繁，请稍后再试。',
  'error.INTERNAL': '系统出现错误，请稍后再试。',
  'error.NETWORK': '无法连接服务，请检查网络后重试。',

  'days.nav': '咨询日',
  'days.title': '企业环保咨询日',
  'days.heading': '企业环保咨询日',
  'days.intro':
    '生态环境部门定期举办企业环保咨询日，现场或线上解答排污许可、环评审批等环保问题。选择一个时段、填写企业信息即可预约，无需注册登录。',
  'days.findLink': '已经预约？查询或取消我的预约',
  'days.noscript': '本页需要 JavaScript 预约；',
  'days.noscriptLink': '查看咨询日列表（无需 JavaScript）',
  'days.listHeading': '近期咨询日',
  'days.timeNote': '以下时间均为北京时间。',
  'days.loading': '正在加载咨询日…',
  'days.empty': '近期暂无开放预约的咨询日，请稍后再来查看。',
  'days.loadFailed': '咨询日列表加载失败。',
  'days.retry': '重新加载',
  'days.venue': '地点',
  'days.online': '线上参加',
  'days.onlineText': '视频会议，预约后在预约详情中查看会议链接',
  'days.topics': '咨询主题',
  'days.closes': '预约截止',
  'days.slots': '选择时段',
  'days.mode.onsite': '现场',
  'days.mode.online': '线上',
  'days.mode.both': '现场 + 线上',
  'days.seatsLeft': '剩余 {n} 席',
  'days.seatLeft': '剩余 1 席',
  'days.full': '已约满 · 可候补',

  'booking.heading': '填写预约信息',
  'booking.chosen': '已选时段',
  'booking.change': '重新选择时段',
  'booking.waitlistNotice': '该时段已约满。提交后您将进入候补名单：有企业取消预约时，按候补顺序为您递补并通知您。',
  'booking.requiredNote': '除标注“选填”的以外，均为必填项。',
  'booking.uscc': '统一社会信用代码',
  'booking.usccHint': '18 位，由数字和大写字母组成，见营业执照',
  'booking.companyName': '企业名称',
  'booking.contactName': '联系人',
  'booking.mobile': '手机号',
  'booking.mobileHint': '中国大陆 11 位手机号，用于咨询日前与您联系',
  'booking.email': '电子邮箱（选填）',
  'booking.emailPlain': '电子邮箱',
  'booking.emailHint': '填写后将收到预约确认邮件及日历文件',
  'booking.topic': '咨询主题',
  'booking.topicChoose': '请选择',
  'booking.question': '问题描述',
  'booking.questionHint': '请简要说明想咨询的问题，{min}–{max} 字，便于专家提前准备。',
  'booking.countShort': '已输入 {n} 字，至少还需 {left} 字',
  'booking.countOk': '已输入 {n} / {max} 字',
  'booking.countOver': '已超出 {over} 字（最多 {max} 字）',
  'booking.consent':
    '我同意生态环境部门为安排本次咨询处理以上信息。联系人、手机号和电子邮箱仅用于本次预约，并在咨询日结束后按规定期限删除。',
  'booking.submit': '提交预约',
  'booking.submitWaitlist': '提交候补申请',
  'booking.submitting': '正在提交…',
  'booking.errorsTitle': '请修改以下问题后再提交',
  'booking.problemTitle': '预约未成功',
  'booking.err.uscc.required': '请填写统一社会信用代码。',
  'booking.err.uscc.length': '统一社会信用代码应为 18 位，当前为 {n} 位。',
  'booking.err.uscc.invalid': '统一社会信用代码有误（校验位不符），请对照营业执照核对。',
  'booking.err.companyName.required': '请填写企业名称。',
  'booking.err.companyName.invalid': '企业名称应为 2–100 个字。',
  'booking.err.contactName.required': '请填写联系人姓名。',
  'booking.err.contactName.invalid': '联系人姓名不能超过 50 个字。',
  'booking.err.mobile.required': '请填写手机号。',
  'booking.err.mobile.invalid': '请填写正确的 11 位中国大陆手机号（以 13–19 开头）。',
  'booking.err.email.invalid': '电子邮箱格式不正确，例如 name@example.com；不需要可留空。',
  'booking.err.topic.required': '请选择咨询主题。',
  'booking.err.question.required': '请填写问题描述。',
  'booking.err.question.short': '问题描述至少 {min} 个字。',
  'booking.err.question.long': '问题描述不能超过 {max} 个字。',
  'booking.err.consent.required': '请阅读并勾选同意，才能提交预约。',
  'booking.err.slot': '所选时段无效，请重新选择时段。',
  'booking.full.title': '该时段已约满',
  'booking.full.text':
    '在您填写期间，该时段的名额已被约完。您可以加入候补：有企业取消预约时，按候补顺序为您递补并通知您。',
  'booking.joinWaitlist': '加入候补',
  'booking.otherSlot': '选择其他时段',
  'booking.dayGone': '该咨询日已取消或不存在，请重新选择。',
  'booking.closed': '该咨询日的预约已截止，请选择其他咨询日。',

  'booking.find.title': '查询我的预约',
  'booking.find.intro': '输入预约成功后获得的预约码，即可查看预约详情、下载日历文件或取消预约。',
  'booking.find.submit': '查询',
  'booking.code': '预约码',
  'booking.codeHint': '20 位字母和数字，见预约确认页或确认邮件',
  'booking.codeRequired': '请输入预约码。',
  'booking.codeInvalid': '预约码应为 20 位字母和数字，请核对。',
  'booking.notFound': '未找到预约码 {code} 对应的预约，请核对后重新输入。',
  'booking.loading': '正在查询预约…',
  'booking.title': '预约详情',
  'booking.booked': '预约成功！请保存下方的预约码。',
  'booking.waitlisted': '已加入候补。有企业取消预约时，将按候补顺序为您递补并通知您。',
  'booking.codeSave': '请保存预约码：查询或取消预约时需要使用。',
  'booking.copy': '复制预约码',
  'booking.copied': '预约码已复制',
  'booking.status': '状态',
  'booking.status.confirmed': '已确认',
  'booking.status.waitlisted': '候补中',
  'booking.status.cancelled': '已取消',
  'booking.status.attended': '已到场',
  'booking.status.no_show': '未到场',
  'booking.day': '咨询日',
  'booking.time': '时段',
  'booking.beijing': '（北京时间）',
  'booking.host': '主办辖区',
  'booking.link': '会议链接',
  'booking.company': '企业',
  'booking.contact': '联系人',
  'booking.createdAt': '提交时间',
  'booking.ics': '添加到日历（.ics 文件）',
  'booking.cancel': '取消预约',
  'booking.cancelTitle': '确定取消本次预约吗？',
  'booking.cancelText': '取消后名额将释放给其他企业，且无法恢复；如仍需参加，请重新预约。',
  'booking.cancelYes': '确认取消',
  'booking.cancelNo': '暂不取消',
  'booking.cancelling': '正在取消…',
  'booking.cancelled': '预约已取消。',
  'booking.backToDays': '返回咨询日列表',
  'booking.findOther': '查询其他预约',
  'booking.noscript': '查看预约详情需要启用浏览器的 JavaScript。',
};

export type MessageKey = keyof typeof zh;

// `\u2011` is a non-breaking hyphen: the programme's name does not break in small print.
// Headings keep plain hyphens so a narrow phone can still wrap them.
const en: Record<MessageKey, string> = {
  'site.name': 'Eco Liaison',
  'site.programme': 'Enterprise-service programme “Ten\u2011Hundred\u2011Thousand”',
  'site.skip': 'Skip to main content',
  'site.footer': 'Environmental bureau · Enterprise-service programme “Ten\u2011Hundred\u2011Thousand”',
  'nav.label': 'Main',
  'nav.home': 'Home',
  'nav.signIn': 'Staff sign-in',
  'lang.switch': '中文',

  'home.title': 'Home',
  'home.heading': 'Enterprise-service programme “Ten-Hundred-Thousand”',
  'home.intro':
    'Eco Liaison runs the environmental bureau’s enterprise-service programme: every paired firm has a named liaison, who contacts it at least once a month by a visit or a video call; experts give the firm an environmental health check-up; every problem the firm raises or the check-up finds goes on the firm’s service ledger — one event, one order; one enterprise, one account — and is collected, handed over, tracked and closed; and the bureau holds consultation days where any firm can book a slot to ask questions.',
  'home.consultation.title': 'Consultation days',
  'home.consultation.text': 'See upcoming consultation days and book a slot online. No sign-in needed.',
  'home.consultation.link': 'See consultation days',
  'home.staff.title': 'Staff',
  'home.staff.text': 'Liaisons, leads and administrators sign in to the staff console.',
  'home.staff.link': 'Staff sign-in',
  'health.label': 'Service status',
  'health.unknown': 'Service status: not available',
  'health.checking': 'Checking service status…',
  'health.ok': 'Service OK',
  'health.down': 'Service unavailable, please try again later',
  'health.version': 'version',
  'health.time': '{time} (Asia/Shanghai)',

  'signIn.title': 'Staff sign-in',
  'signIn.heading': 'Staff sign-in',
  'signIn.intro': 'Liaisons, leads and administrators sign in with their work account.',
  'signIn.username': 'Username',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.submitting': 'Signing in…',
  'signIn.demoHint': 'Local demo account: lead.wuzhong / demo',
  'signIn.noscript': 'Signing in needs JavaScript enabled in your browser.',
  'signIn.loading': 'Loading your account…',
  'signIn.badCredentials': 'Wrong username or password. Please try again.',
  'signIn.required': 'Enter your username and password.',
  'signIn.sessionExpired': 'Your session has expired. Please sign in again.',
  'signIn.noLocalIssuer':
    'Local demo sign-in is not available here. In production, staff sign in through the organisation sign-in (Cognito hosted UI).',
  'me.heading': 'Signed in as',
  'me.username': 'Username',
  'me.email': 'E-mail',
  'me.role': 'Role',
  'me.jurisdiction': 'Jurisdiction',
  'me.signOut': 'Sign out',
  'me.signedOut': 'You have signed out.',

  'role.liaison': 'Liaison',
  'role.lead': 'Lead',
  'role.admin': 'Administrator',

  'level.province': 'Province',
  'level.city': 'City',
  'level.county': 'County',

  'error.VALIDATION_FAILED': 'Some fields are not valid. Please check the marked fields.',
  'error.UNAUTHENTICATED': 'Please sign in; your session may have expired.',
  'error.FORBIDDEN': 'Your role may not do this.',
  'error.NOT_FOUND': 'Not found, or outside your jurisdiction.',
  'error.SLOT_FULL': 'This slot is full. Please choose another one.',
  'error.ALREADY_BOOKED': 'This firm (Unified Social Credit Code) already has a booking for this consultation day.',
  'error.VERSION_CONFLICT': 'Someone else changed this record. Please reload and try again.',
  'error.INVALID_TRANSITION': 'This action is not possible in the current state.',
  'error.BOOKING_CLOSED': 'Booking has closed.',
  'error.PAYLOAD_TOO_LARGE': 'What you sent is too large.',
  'error.RATE_LIMITED': 'Too many requests. Please wait a moment and try again.',
  'error.INTERNAL': 'Something went wrong on our side. Please try again later.',
  'error.NETWORK': 'Cannot reach the service. Check your connection and try again.',

  'days.nav': 'Consultation days',
  'days.title': 'Consultation days',
  'days.heading': 'Enterprise environmental consultation days',
  'days.intro':
    'The environmental bureau holds consultation days where firms ask about discharge permits, environmental impact assessment and other environmental questions, on site or online. Choose a time slot and enter your firm’s details to book. No account needed.',
  'days.findLink': 'Already booked? Find or cancel your booking',
  'days.noscript': 'Booking on this page needs JavaScript; ',
  'days.noscriptLink': 'see the list of consultation days (no JavaScript needed)',
  'days.listHeading': 'Upcoming consultation days',
  'days.timeNote': 'All times are Beijing time (UTC+8).',
  'days.loading': 'Loading consultation days…',
  'days.empty': 'No consultation days are open for booking right now. Please check again later.',
  'days.loadFailed': 'The consultation days could not be loaded.',
  'days.retry': 'Try again',
  'days.venue': 'Venue',
  'days.online': 'Online',
  'days.onlineText': 'Video meeting; the link is shown with your booking',
  'days.topics': 'Topics',
  'days.closes': 'Booking closes',
  'days.slots': 'Choose a time slot',
  'days.mode.onsite': 'On site',
  'days.mode.online': 'Online',
  'days.mode.both': 'On site + online',
  'days.seatsLeft': '{n} seats left',
  'days.seatLeft': '1 seat left',
  'days.full': 'Full — join waitlist',

  'booking.heading': 'Your booking details',
  'booking.chosen': 'Your time slot',
  'booking.change': 'Choose another slot',
  'booking.waitlistNotice':
    'This slot is full. If you submit, you join the waitlist: when a booking is cancelled, the first firm on the waitlist gets the seat and is told.',
  'booking.requiredNote': 'All fields are required unless marked optional.',
  'booking.uscc': 'Unified Social Credit Code',
  'booking.usccHint': '18 characters (digits and capital letters), as on the business licence',
  'booking.companyName': 'Company name',
  'booking.contactName': 'Contact person',
  'booking.mobile': 'Mobile number',
  'booking.mobileHint': 'Mainland China mobile, 11 digits; used to reach you before the day',
  'booking.email': 'E-mail (optional)',
  'booking.emailPlain': 'E-mail',
  'booking.emailHint': 'If given, we e-mail you a confirmation with a calendar file',
  'booking.topic': 'Topic',
  'booking.topicChoose': 'Choose a topic',
  'booking.question': 'Your question',
  'booking.questionHint':
    'Briefly describe what you would like to ask, {min}–{max} characters, so the experts can prepare.',
  'booking.countShort': '{n} characters, {left} more needed',
  'booking.countOk': '{n} of {max} characters',
  'booking.countOver': '{over} characters too many (at most {max})',
  'booking.consent':
    'I agree that the environmental bureau processes the information above to arrange this consultation. The contact name, mobile number and e-mail are used only for this booking and are deleted a set period after the day.',
  'booking.submit': 'Book this slot',
  'booking.submitWaitlist': 'Join the waitlist',
  'booking.submitting': 'Sending…',
  'booking.errorsTitle': 'Please fix the following',
  'booking.problemTitle': 'Booking not made',
  'booking.err.uscc.required': 'Enter the Unified Social Credit Code.',
  'booking.err.uscc.length': 'The Unified Social Credit Code has 18 characters; you entered {n}.',
  'booking.err.uscc.invalid':
    'This Unified Social Credit Code is not valid (the check character does not match). Check it against the business licence.',
  'booking.err.companyName.required': 'Enter the company name.',
  'booking.err.companyName.invalid': 'The company name must be 2 to 100 characters.',
  'booking.err.contactName.required': 'Enter the contact person’s name.',
  'booking.err.contactName.invalid': 'The contact name must be at most 50 characters.',
  'booking.err.mobile.required': 'Enter a mobile number.',
  'booking.err.mobile.invalid': 'Enter a mainland China mobile number: 11 digits starting 13 to 19.',
  'booking.err.email.invalid': 'Enter an e-mail address like name@example.com, or leave it empty.',
  'booking.err.topic.required': 'Choose a topic.',
  'booking.err.question.required': 'Describe your question.',
  'booking.err.question.short': 'The question must be at least {min} characters.',
  'booking.err.question.long': 'The question must be at most {max} characters.',
  'booking.err.consent.required': 'Tick the box to agree; a booking needs your consent.',
  'booking.err.slot': 'The chosen slot is not valid. Please choose a slot again.',
  'booking.full.title': 'This slot is now full',
  'booking.full.text':
    'The last seats went while you were filling in the form. You can join the waitlist: when a booking is cancelled, the first firm on the waitlist gets the seat and is told.',
  'booking.joinWaitlist': 'Join the waitlist',
  'booking.otherSlot': 'Choose another slot',
  'booking.dayGone': 'This consultation day was cancelled or no longer exists. Please choose again.',
  'booking.closed': 'Booking for this day has closed. Please choose another day.',

  'booking.find.title': 'Find my booking',
  'booking.find.intro':
    'Enter the booking code you received to see your booking, download a calendar file or cancel the booking.',
  'booking.find.submit': 'Find booking',
  'booking.code': 'Booking code',
  'booking.codeHint': '20 letters and digits, from the confirmation page or e-mail',
  'booking.codeRequired': 'Enter your booking code.',
  'booking.codeInvalid': 'A booking code has 20 letters and digits. Please check it.',
  'booking.notFound': 'No booking found for code {code}. Please check it and try again.',
  'booking.loading': 'Loading your booking…',
  'booking.title': 'Your booking',
  'booking.booked': 'Booked! Please keep the booking code below.',
  'booking.waitlisted':
    'You are on the waitlist. When a booking is cancelled, firms on the waitlist get the seat in order and are told.',
  'booking.codeSave': 'Keep this code: you need it to view or cancel your booking.',
  'booking.copy': 'Copy code',
  'booking.copied': 'Booking code copied',
  'booking.status': 'Status',
  'booking.status.confirmed': 'Confirmed',
  'booking.status.waitlisted': 'On the waitlist',
  'booking.status.cancelled': 'Cancelled',
  'booking.status.attended': 'Attended',
  'booking.status.no_show': 'Did not attend',
  'booking.day': 'Day',
  'booking.time': 'Time',
  'booking.beijing': ' (Beijing time)',
  'booking.host': 'Held by',
  'booking.link': 'Meeting link',
  'booking.company': 'Company',
  'booking.contact': 'Contact',
  'booking.createdAt': 'Booked on',
  'booking.ics': 'Add to calendar (.ics file)',
  'booking.cancel': 'Cancel booking',
  'booking.cancelTitle': 'Cancel this booking?',
  'booking.cancelText':
    'The seat goes back to other firms and this cannot be undone; if you still want to come, you need to book again.',
  'booking.cancelYes': 'Yes, cancel it',
  'booking.cancelNo': 'Keep my booking',
  'booking.cancelling': 'Cancelling…',
  'booking.cancelled': 'Your booking is cancelled.',
  'booking.backToDays': 'Back to consultation days',
  'booking.findOther': 'Find another booking',
  'booking.noscript': 'Viewing a booking needs JavaScript enabled in your browser.',
};

export const messages: Record<Lang, Record<MessageKey, string>> = { zh, en };

/** The message for a key in a language. */
export const t = (lang: Lang, key: MessageKey): string => messages[lang][key];

/** The error codes of the API (design: API conventions) that have a message. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'SLOT_FULL',
  'ALREADY_BOOKED',
  'VERSION_CONFLICT',
  'INVALID_TRANSITION',
  'BOOKING_CLOSED',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The message key for an API error code; unknown codes read as `INTERNAL`. */
export const errorKey = (code: unknown): MessageKey =>
  typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)
    ? (`error.${code}` as MessageKey)
    : 'error.INTERNAL';

/** The translated message for an API error code. */
export const errorMessage = (lang: Lang, code: unknown): string => t(lang, errorKey(code));

/** A subset of one language's messages, e.g. to hand to a browser script. */
export const pick = <K extends MessageKey>(lang: Lang, keys: readonly K[]): Record<K, string> => {
  const out = {} as Record<K, string>;
  for (const key of keys) out[key] = t(lang, key);
  return out;
};
