/**
 * UI strings in Chinese (the default) and English. Chinese uses the bureaus' own words
 * (see the glossary in the design). `en` must have exactly the keys of `zh`: the type says so.
 *
 * The site renders most strings at build time; browser scripts get only the few messages
 * they need (see `pick`), so the dictionaries never ship to the browser whole.
 */
import { ERROR_CODES, type ErrorCode, errorKey } from './api-errors.ts';
import * as annual from './messages/annual.ts';
import * as audit from './messages/audit.ts';
import * as cases from './messages/cases.ts';
import * as checkups from './messages/checkups.ts';
import * as consultation from './messages/consultation.ts';
import * as deliveries from './messages/deliveries.ts';
import * as desk from './messages/desk.ts';
import * as errors from './messages/errors.ts';
import * as exportsText from './messages/exports.ts';
import * as field from './messages/field.ts';
import * as fieldService from './messages/field-service.ts';
import * as firmDoor from './messages/firm-door.ts';
import * as leader from './messages/leader.ts';
import * as ledger from './messages/ledger.ts';
import * as monthly from './messages/monthly.ts';
import * as pairings from './messages/pairings.ts';
import * as parks from './messages/parks.ts';
import * as roster from './messages/roster.ts';
import * as selfInspection from './messages/self-inspection.ts';
import * as serviceItems from './messages/service-items.ts';
import * as submissions from './messages/submissions.ts';
import * as warnings from './messages/warnings.ts';
import { ROLE_WORDS } from './roles.ts';

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

const core = {
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
  'signIn.start': '前往统一身份认证登录',
  'signIn.startIntro': '登录在单位统一身份认证页面完成；登录后自动回到工作台。',
  'signIn.redirecting': '正在前往登录页…',
  'signIn.finishing': '正在完成登录…',
  'signIn.stateMismatch': '这次登录的回调无效或已使用过（可能来自另一个标签页，或页面被刷新）。请重新登录。',
  'signIn.issuerError': '统一身份认证未完成登录（已取消或被拒绝）。请重新登录；如仍失败请联系管理员。',
  'signIn.exchangeFailed': '登录凭据无效或已过期，未能完成登录。请重新登录。',
  'signIn.noConfig': '暂时无法连接统一身份认证服务，请稍后重试。',
  'signIn.refused':
    '您已在统一身份认证登录，但此账号不能使用工作台（账号已停用，或没有唯一的角色和辖区）。请联系管理员，或换一个账号登录。',
  'signIn.switchAccount': '换一个账号登录',
  'me.heading': '当前账号',
  'me.username': '用户名',
  'me.email': '电子邮箱',
  'me.role': '角色',
  'me.jurisdiction': '辖区',
  'me.signOut': '退出登录',
  'me.signedOut': '已退出登录。',

  'level.province': '省',
  'level.city': '设区市',
  'level.county': '县（市、区）',

  'console.link': '咨询日管理',
  'console.loading': '正在读取…',
  'console.signOut': '退出登录',
  'nav.console': '工作台栏目',
  'nav.users': '工作人员',
  'nav.audit': '操作日志',
  'console.noAccess': '咨询日管理仅限联系领导和管理员使用。',
  'console.backToSignIn': '返回工作人员登录页',
  'console.retry': '重新加载',
};

// The merges are calls marked pure: a spread may run getters, so a bundler keeps a bare one even
// when nothing reads it, and a browser script that imports a helper from here (sign-in imports
// `errorKey`) would ship every dictionary. Marked pure, they go unless the script reads them.
/** The roles' words (one map, shared/roles.ts) as messages; merged inside the pure calls below. */
const roleMessages = (lang: Lang) => ({
  'role.liaison': ROLE_WORDS[lang].liaison,
  'role.lead': ROLE_WORDS[lang].lead,
  'role.admin': ROLE_WORDS[lang].admin,
});

const zh = /* @__PURE__ */ (() => ({
  ...core,
  ...roleMessages('zh'),
  ...errors.zh,
  ...consultation.zh,
  ...roster.zh,
  ...pairings.zh,
  ...field.zh,
  ...monthly.zh,
  ...deliveries.zh,
  ...ledger.zh,
  ...leader.zh,
  ...checkups.zh,
  ...firmDoor.zh,
  ...fieldService.zh,
  ...selfInspection.zh,
  ...exportsText.zh,
  ...serviceItems.zh,
  ...parks.zh,
  ...cases.zh,
  ...desk.zh,
  ...audit.zh,
  ...submissions.zh,
  ...annual.zh,
  ...warnings.zh,
}))();
export type MessageKey = keyof typeof zh;

// `\u2011` is a non-breaking hyphen: the programme's name does not break in small print.
// Headings keep plain hyphens so a narrow phone can still wrap them.
const coreEn: Record<keyof typeof core, string> = {
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
  'signIn.start': 'Sign in with your organisation account',
  'signIn.startIntro': 'You sign in on your organisation’s sign-in page and come back to the console.',
  'signIn.redirecting': 'Taking you to the sign-in page…',
  'signIn.finishing': 'Finishing sign-in…',
  'signIn.stateMismatch':
    'This sign-in answer is not valid or was already used (it may come from another tab, or the page was reloaded). Please sign in again.',
  'signIn.issuerError':
    'The organisation sign-in did not sign you in (cancelled or refused). Please try again; if it keeps failing, ask your administrator.',
  'signIn.exchangeFailed':
    'The sign-in could not be completed: its code is not valid or has expired. Please sign in again.',
  'signIn.noConfig': 'The organisation sign-in cannot be reached right now. Please try again later.',
  'signIn.refused':
    'You signed in at the organisation sign-in, but this account cannot use the console (it is disabled, or has no single role and jurisdiction). Ask your administrator, or sign in with another account.',
  'signIn.switchAccount': 'Sign in with another account',
  'me.heading': 'Signed in as',
  'me.username': 'Username',
  'me.email': 'E-mail',
  'me.role': 'Role',
  'me.jurisdiction': 'Jurisdiction',
  'me.signOut': 'Sign out',
  'me.signedOut': 'You have signed out.',

  'level.province': 'Province',
  'level.city': 'City',
  'level.county': 'County',

  'console.link': 'Manage consultation days',
  'console.loading': 'Loading…',
  'console.signOut': 'Sign out',
  'nav.console': 'Console sections',
  'nav.users': 'Staff',
  'nav.audit': 'Audit log',
  'console.noAccess': 'Managing consultation days is for leads and administrators only.',
  'console.backToSignIn': 'Back to staff sign-in',
  'console.retry': 'Reload',
};

const en: Record<MessageKey, string> = /* @__PURE__ */ (() => ({
  ...coreEn,
  ...roleMessages('en'),
  ...errors.en,
  ...consultation.en,
  ...roster.en,
  ...pairings.en,
  ...field.en,
  ...monthly.en,
  ...deliveries.en,
  ...ledger.en,
  ...leader.en,
  ...checkups.en,
  ...firmDoor.en,
  ...fieldService.en,
  ...selfInspection.en,
  ...exportsText.en,
  ...serviceItems.en,
  ...parks.en,
  ...cases.en,
  ...desk.en,
  ...audit.en,
  ...submissions.en,
  ...annual.en,
  ...warnings.en,
}))();

export const messages: Record<Lang, Record<MessageKey, string>> = { zh, en };

/** The message for a key in a language. */
export const t = (lang: Lang, key: MessageKey): string => messages[lang][key];

/**
 * The words of a key a component builds from parts (`{section}.{name}`: a table's column, a select's
 * option): the typecheck cannot see such a key, so one without words fails the build here rather than
 * rendering an empty header or option.
 */
export const builtWords = (lang: Lang, key: string): string => {
  const words: Record<string, string | undefined> = messages[lang];
  const found = words[key];
  if (found === undefined) throw new Error(`no words for ${key}`);
  return found;
};

/** The error codes of the API live in `shared/api-errors.ts`; re-exported for the pages that read them here. */
export { ERROR_CODES, type ErrorCode, errorKey };

/** The translated message for an API error code. */
export const errorMessage = (lang: Lang, code: unknown): string => t(lang, errorKey(code));

/** A subset of one language's messages, e.g. to hand to a browser script. */
export const pick = <K extends MessageKey>(lang: Lang, keys: readonly K[]): Record<K, string> => {
  const out = {} as Record<K, string>;
  for (const key of keys) out[key] = t(lang, key);
  return out;
};

/** Every start of a key that ends at a dot, written with a star: `'parks.*'`, `'ledger.severity.*'`. */
type SectionsOf<K extends string> = K extends `${infer Head}.${infer Rest}`
  ? `${Head}.*` | `${Head}.${SectionsOf<Rest>}`
  : never;

/** A section of the dictionaries: every key that starts with what comes before the star. */
export type MessageSection = SectionsOf<MessageKey>;

/**
 * The words a page names for its script: keys, and sections where the script reads most of one.
 * Pages name sections so that the long lists of keys are not written out (and again, alike, on the
 * next page); a section checked by the typecheck cannot name words that do not exist.
 */
export type Words = MessageKey | MessageSection;

/** The keys that `words` names, each once, its sections spelled out (they are resolved at build time). */
export const wordKeys = (words: readonly Words[]): MessageKey[] => {
  const keys = new Set<MessageKey>();
  const all = Object.keys(zh) as MessageKey[];
  for (const word of words) {
    const named = word.endsWith('.*')
      ? all.filter((key) => key.startsWith(word.slice(0, -1)))
      : all.filter((key) => key === word);
    // Component frontmatter is not typechecked: a misspelt word fails the build instead of shipping nothing.
    if (named.length === 0) throw new Error(`no message key or section ${word}`);
    for (const key of named) keys.add(key);
  }
  return [...keys];
};

/** What most page components take: only their language (the page files of each language pass it). */
export interface LangProps {
  lang: Lang;
}
