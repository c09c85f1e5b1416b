import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { t } from '../../shared/i18n.ts';

/**
 * The local issuer's own pages (sign-in, new password, signing out, errors) in the product's look:
 * they link the site's built stylesheet, so the provider's page looks like the console around it.
 * Chinese by default, English when the console asked with `ui_locales=en`. No script except the
 * same-origin one that submits the sign-out form (the CSP allows only 'self').
 */
export type PageLang = 'zh' | 'en';

const text = {
  zh: {
    htmlLang: 'zh-CN',
    site: t('zh', 'site.name'),
    programme: t('zh', 'site.programme'),
    title: '工作人员登录',
    intro: '企业联络员、联系领导和管理员请使用工作账号登录。',
    username: '用户名',
    password: '密码',
    submit: '登录',
    demoHint: '本地演示账号：lead.wuzhong / demo',
    badCredentials: '用户名或密码不正确，请重新输入。',
    required: '请输入用户名和密码。',
    disabled: '此账号已停用，不能登录。如有疑问请联系管理员。',
    changeTitle: '设置新密码',
    changeIntro: '您正在使用管理员设置的临时密码。请先设置自己的新密码，然后继续登录。',
    temporaryPassword: '临时密码（再次输入）',
    newPassword: '新密码',
    newPasswordHint: '至少 8 位，同时包含字母和数字。',
    confirmPassword: '再次输入新密码',
    changeSubmit: '保存新密码并登录',
    weak: '新密码至少 8 位，需同时包含字母和数字，且不能与临时密码相同。',
    mismatch: '两次输入的新密码不一致。',
    signingOut: '正在退出登录…',
    signOutSubmit: '退出登录',
    signedOut: '已退出登录。',
    errorTitle: '登录未能完成',
    errorIntro: '登录请求已失效或无效。请回到工作台重新登录。',
    back: '返回登录',
    backPath: '/staff/sign-in/',
  },
  en: {
    htmlLang: 'en',
    site: t('en', 'site.name'),
    programme: t('en', 'site.programme'),
    title: 'Staff sign-in',
    intro: 'Liaisons, leads and administrators sign in with their work account.',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    demoHint: 'Local demo account: lead.wuzhong / demo',
    badCredentials: 'Wrong username or password. Please try again.',
    required: 'Enter your username and password.',
    disabled: 'This account is disabled and cannot sign in. Ask your administrator.',
    changeTitle: 'Set a new password',
    changeIntro: 'You signed in with a temporary password from your administrator. Set your own password to continue.',
    temporaryPassword: 'Temporary password (again)',
    newPassword: 'New password',
    newPasswordHint: 'At least 8 characters, with letters and digits.',
    confirmPassword: 'New password again',
    changeSubmit: 'Save the new password and sign in',
    weak: 'The new password needs at least 8 characters with letters and digits, and must differ from the temporary one.',
    mismatch: 'The two new passwords differ.',
    signingOut: 'Signing out…',
    signOutSubmit: 'Sign out',
    signedOut: 'You have signed out.',
    errorTitle: 'Sign-in could not finish',
    errorIntro: 'The sign-in request has expired or is not valid. Go back to the console and sign in again.',
    back: 'Back to sign-in',
    backPath: '/en/staff/sign-in/',
  },
} as const;

export type PageText = keyof (typeof text)['zh'];
export const say = (lang: PageLang, key: PageText): string => text[lang][key];

/** `ui_locales` as the console sends it (`zh-CN` or `en`): English only when asked for first. */
export const langOf = (uiLocales: unknown): PageLang =>
  typeof uiLocales === 'string' && /^en\b/i.test(uiLocales.trim()) ? 'en' : 'zh';

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The site's built stylesheets, as the sign-in page links them (none before the site is built). */
export const siteStylesheets = (siteDir: string): string[] => {
  const page = join(siteDir, 'staff', 'sign-in', 'index.html');
  if (!existsSync(page)) return [];
  return [...readFileSync(page, 'utf8').matchAll(/<link[^>]+href="(\/_astro\/[^"]+\.css)"/g)].flatMap((m) =>
    m[1] ? [m[1]] : [],
  );
};

const BRAND_SVG =
  '<svg width="36" height="36" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect width="32" height="32" rx="7" fill="#fff"/><path d="M9 23c0-9 6-14 15-14 0 9-5 15-13 15" fill="#0f6e4f"/><path d="M8 25c3-5 7-9 12-12" stroke="#fff" stroke-width="2" fill="none" stroke-linecap="round"/></svg>';

export const page = (
  lang: PageLang,
  styles: readonly string[],
  title: string,
  body: string,
  scripts: readonly string[] = [],
): string => {
  const words = text[lang];
  return `<!doctype html>
<html lang="${words.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="theme-color" content="#0f6e4f">
<title>${escapeHtml(title)} · ${words.site}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
${styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n')}
${scripts.map((src) => `<script type="module" src="${escapeHtml(src)}"></script>`).join('\n')}
</head>
<body>
<header class="site-header"><div class="wrap header-top"><span class="brand">${BRAND_SVG}<span class="brand-text"><span class="brand-name">${words.site}</span><span class="brand-programme">${words.programme}</span></span></span></div></header>
<main id="main" class="wrap" tabindex="-1"><div class="narrow">
<h1>${escapeHtml(title)}</h1>
${body}
</div></main>
</body>
</html>`;
};

const alert = (message: string | undefined) =>
  `<div id="sign-in-error" class="alert" role="alert" tabindex="-1">${message ? escapeHtml(message) : ''}</div>`;

/** The sign-in form of an interaction; `message` is the error of the last attempt. */
export const signInForm = (
  lang: PageLang,
  styles: readonly string[],
  action: string,
  username: string,
  message?: string,
): string => {
  const words = text[lang];
  return page(
    lang,
    styles,
    words.title,
    `${alert(message)}
<form id="sign-in-form" class="card" method="post" action="${escapeHtml(action)}">
<p>${words.intro}</p>
<div class="field"><label for="username">${words.username}</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(username)}"${message ? ' aria-invalid="true"' : ''}${username ? '' : ' autofocus'}></div>
<div class="field"><label for="password">${words.password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${message ? ' aria-invalid="true"' : ''}${username ? ' autofocus' : ''}></div>
<button type="submit">${words.submit}</button>
<p class="hint">${words.demoHint}</p>
</form>`,
  );
};

/** The new-password form of an account with a temporary password. */
export const changePasswordForm = (
  lang: PageLang,
  styles: readonly string[],
  action: string,
  username: string,
  message?: string,
): string => {
  const words = text[lang];
  return page(
    lang,
    styles,
    words.changeTitle,
    `${alert(message)}
<form id="change-password-form" class="card" method="post" action="${escapeHtml(action)}">
<p>${words.changeIntro}</p>
<div class="field"><label for="username">${words.username}</label>
<input id="username" name="username" type="text" autocomplete="username" readonly value="${escapeHtml(username)}"></div>
<div class="field"><label for="password">${words.temporaryPassword}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required></div>
<div class="field"><label for="new-password">${words.newPassword}</label>
<p class="hint" id="new-password-hint">${words.newPasswordHint}</p>
<input id="new-password" name="newPassword" type="password" autocomplete="new-password" minlength="8" required aria-describedby="new-password-hint"></div>
<div class="field"><label for="confirm-password">${words.confirmPassword}</label>
<input id="confirm-password" name="confirmPassword" type="password" autocomplete="new-password" minlength="8" required></div>
<button type="submit">${words.changeSubmit}</button>
</form>`,
  );
};

/** The sign-out page: the provider's form (with its xsrf token), submitted at once by a same-origin script. */
export const signOutPage = (lang: PageLang, styles: readonly string[], form: string, script: string): string => {
  const words = text[lang];
  return page(
    lang,
    styles,
    words.signingOut,
    `<div class="card">${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">${words.signOutSubmit}</button></div>`,
    [script],
  );
};

export const messagePage = (lang: PageLang, styles: readonly string[], title: string, intro: string): string => {
  const words = text[lang];
  return page(
    lang,
    styles,
    title,
    `<div class="card" id="issuer-message"><p>${escapeHtml(intro)}</p><p><a class="button" href="${words.backPath}">${words.back}</a></p></div>`,
  );
};

/** The script that submits the provider's sign-out form (served by the issuer, so `script-src 'self'` holds). */
export const SIGN_OUT_SCRIPT = "document.getElementById('op.logoutForm')?.requestSubmit();\n";
