import type { Sms } from '../outbox.ts';

/**
 * Messages to firms about their own door (sign-in codes). Chinese only: SMS templates are
 * registered in Chinese with the signature, and mainland numbers receive them.
 */
export const firmSignInCodeSms = (code: string): Omit<Sms, 'to'> => ({
  kind: 'firm-sign-in-code',
  params: { code },
  text: `【环保服务联络】您的登录验证码为 ${code}，5 分钟内有效。请勿告诉他人；如非本人操作，请忽略本短信。`,
});
