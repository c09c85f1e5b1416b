import * as z from 'zod/mini';
import { WEBHOOK_KINDS } from './webhooks-rules.ts';

export * from './webhooks-rules.ts';

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
