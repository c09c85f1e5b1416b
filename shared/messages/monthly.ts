/**
 * UI strings of the monthly-contact pages (console home, inbox, compliance, robot settings),
 * merged into `shared/i18n.ts`. `en` must have exactly the keys of `zh` (the type says so).
 */
export const zh = {
  'nav.home.console': '工作台',
  'nav.inbox': '消息',
  'nav.compliance': '联系情况',
  'nav.webhooks': '群机器人',
};

export const en: Record<keyof typeof zh, string> = {
  'nav.home.console': 'Console home',
  'nav.inbox': 'Inbox',
  'nav.compliance': 'Compliance',
  'nav.webhooks': 'Chat robots',
};
