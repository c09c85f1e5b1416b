import * as z from 'zod/mini';

/** Group-chat robots a lead configures for its jurisdiction: WeCom (企业微信) or DingTalk (钉钉). */
export const WEBHOOK_KINDS = ['wecom', 'dingtalk'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

export interface WebhookConfig {
  readonly kind: WebhookKind;
  readonly url: string;
  /** DingTalk's signing secret (加签), when the robot uses one. */
  readonly secret?: string;
}

const httpsOrLoopback = (url: string): boolean => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && parsed.hostname === '127.0.0.1');
  } catch {
    return false;
  }
};

export const webhookInput = z.object({
  kind: z.enum(WEBHOOK_KINDS),
  url: z
    .string()
    .check(
      z.trim(),
      z.maxLength(500),
      z.refine(
        httpsOrLoopback,
        'An https:// robot address (for example https://oapi.dingtalk.com/robot/send?access_token=…)',
      ),
    ),
  secret: z.optional(z.string().check(z.trim(), z.regex(/^SEC[0-9a-f]{20,100}$/, 'DingTalk secrets start with SEC'))),
  version: z.optional(z.number().check(z.int(), z.minimum(1))),
});
export type WebhookInput = z.output<typeof webhookInput>;
