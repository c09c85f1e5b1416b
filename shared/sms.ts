/**
 * Who sends text messages, per deployment (CDK context `smsProvider`): Amazon SNS in AWS's global
 * regions (free text), or a mainland provider for the China regions, where SNS sends no SMS:
 * Aliyun SMS or Tencent Cloud SMS, which send only registered templates under a registered
 * signature (see SMS_TEMPLATE_PARAMS in outbox.ts for each template's variables).
 */
export const SMS_PROVIDERS = ['sns', 'aliyun', 'tencent'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

/** Providers that send registered templates only: they need a signature and a template per kind. */
export const TEMPLATE_PROVIDERS: readonly SmsProviderName[] = ['aliyun', 'tencent'];
