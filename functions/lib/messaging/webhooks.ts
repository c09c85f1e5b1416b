import { createHmac } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { parentOf } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import { robotUrlProblem, type WebhookConfig, type WebhookInput } from '../../../shared/webhooks.ts';
import { ConflictError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { db, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { postWebhook, robotPolicy, WebhookError } from './notify.ts';

/** The robot configured for a jurisdiction, if any. */
export const getWebhook = async (jurisdiction: string): Promise<(WebhookConfig & { version: number }) | undefined> => {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.webhook(jurisdiction) }));
  if (!out.Item) return undefined;
  const { kind, url, secret, version, updatedAt, updatedBy } = out.Item;
  return { kind, url, ...(secret ? { secret } : {}), version, updatedAt, updatedBy } as WebhookConfig & {
    version: number;
  };
};

/**
 * Sets the robot of a jurisdiction with its audit event (`audited`: what the audit may keep of it),
 * over the robot the caller read (none: there was none); a change meanwhile is 409
 * VERSION_CONFLICT. Answers the new version.
 */
export const setWebhook = async (
  me: Identity,
  jurisdiction: string,
  input: WebhookInput,
  before: { version: number } | undefined,
  audited: Record<string, unknown>,
): Promise<number> => {
  const at = new Date().toISOString();
  const version = (before?.version ?? 0) + 1;
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.webhook(jurisdiction),
          type: 'webhook',
          kind: input.kind,
          url: input.url,
          ...(input.secret ? { secret: input.secret } : {}),
          version,
          updatedAt: at,
          updatedBy: me.username,
        },
        ...(before
          ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': before.version } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    auditPut(me, { entity: `webhook:${jurisdiction}`, jurisdiction, action: 'webhook.set', after: audited }, at),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The robot was changed meanwhile; reload it');
  return version;
};

/** The robot of a jurisdiction, or of the nearest one above that has one. */
export const nearestWebhook = async (
  jurisdiction: string,
  cache: Map<string, Promise<WebhookConfig | undefined>>,
): Promise<(WebhookConfig & { jurisdiction: string }) | undefined> => {
  for (let code: string | undefined = jurisdiction; code; code = parentOf(code)) {
    let pending = cache.get(code);
    if (!pending) {
      pending = getWebhook(code);
      cache.set(code, pending);
    }
    const found = await pending;
    if (found) return { ...found, jurisdiction: code };
  }
  return undefined;
};

/**
 * The URL to post to: DingTalk robots with a signing secret take `timestamp` and `sign`
 * (HMAC-SHA256 of "timestamp\nsecret", base64, URL-encoded); WeCom robots take the URL as given.
 */
export const signedUrl = (config: WebhookConfig, now = Date.now()): string => {
  if (config.kind !== 'dingtalk' || !config.secret) return config.url;
  const timestamp = String(now);
  const sign = createHmac('sha256', config.secret).update(`${timestamp}\n${config.secret}`).digest('base64');
  const url = new URL(config.url);
  url.searchParams.set('timestamp', timestamp);
  url.searchParams.set('sign', sign);
  return url.toString();
};

/** The text message both robots accept. */
export const textMessage = (content: string) => ({ msgtype: 'text', text: { content } });

/**
 * Sends a text to a configured robot. The stored address is checked against this deployment's
 * policy before it is signed (an address saved before the rule, or under another setting, is
 * refused, never called); postWebhook checks the signed one again where it calls out.
 */
export const sendToRobot = (config: WebhookConfig, content: string): Promise<string> => {
  const problem = robotUrlProblem(config.kind, config.url, robotPolicy());
  if (problem) return Promise.reject(new WebhookError(`Robot address not allowed: ${problem}`));
  return postWebhook(config.kind, { url: signedUrl(config), body: textMessage(content) });
};

/** A markdown message as each platform takes it: WeCom's `content`, DingTalk's `title` and `text`. */
export const markdownMessage = (kind: WebhookConfig['kind'], markdown: { title: string; text: string }) =>
  kind === 'wecom'
    ? { msgtype: 'markdown', markdown: { content: markdown.text } }
    : { msgtype: 'markdown', markdown: { title: markdown.title, text: markdown.text } };

/**
 * Sends a markdown message to a configured robot, checked against the policy as `sendToRobot` is.
 * Signed here, just before the call, so a message that waited for its pacing slot carries a fresh
 * DingTalk timestamp.
 */
export const sendMarkdownToRobot = (config: WebhookConfig, markdown: { title: string; text: string }) => {
  const problem = robotUrlProblem(config.kind, config.url, robotPolicy());
  if (problem) return Promise.reject(new WebhookError(`Robot address not allowed: ${problem}`));
  return postWebhook(config.kind, { url: signedUrl(config), body: markdownMessage(config.kind, markdown) });
};
