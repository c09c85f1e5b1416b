/**
 * UI strings of the pairings console pages, merged into `shared/i18n.ts`. `en` must have exactly
 * the keys of `zh` (the type says so).
 */
export const zh = {
  'nav.pairings': '结对服务',
};

export const en: Record<keyof typeof zh, string> = {
  'nav.pairings': 'Pairings',
};
