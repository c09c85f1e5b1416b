/**
 * UI strings of the roster console pages, merged into `shared/i18n.ts`. `en` must have exactly
 * the keys of `zh` (the type says so).
 */
export const zh = {
  'nav.roster': '企业名录',
};

export const en: Record<keyof typeof zh, string> = {
  'nav.roster': 'Enterprises',
};
