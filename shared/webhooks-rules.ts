// Group-chat robots' kinds and address rules, without zod: the pages import these, and only a page that checks a form loads the schemas
// (shared/webhooks.ts, which re-exports this file), on first use (site/src/kit/lazy.ts).

/** Group-chat robots a lead configures for its jurisdiction: WeCom (企业微信) or DingTalk (钉钉). */
export const WEBHOOK_KINDS = ['wecom', 'dingtalk'] as const;

export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

export interface WebhookConfig {
  readonly kind: WebhookKind;
  readonly url: string;
  /** DingTalk's signing secret (加签), when the robot uses one. */
  readonly secret?: string;
}

/**
 * Where a robot may be: the platforms' own hosts (a deployment setting, CDK context `robotHosts`),
 * and, only when a deployment turns it on (the local runtime does, for tests' robots), plain http
 * to 127.0.0.1 on any port.
 */
export interface RobotPolicy {
  readonly hosts: readonly string[];
  readonly allowLoopback: boolean;
}

/** WeCom's and DingTalk's robot hosts: the default of `robotHosts`. */
export const DEFAULT_ROBOT_HOSTS = ['qyapi.weixin.qq.com', 'oapi.dingtalk.com'] as const;

/** The path each platform's robots are called on. */
export const ROBOT_PATHS: Readonly<Record<WebhookKind, string>> = {
  wecom: '/cgi-bin/webhook/send',
  dingtalk: '/robot/send',
};

/** A DNS name of lowercase ASCII labels with at least one dot and a letter in its last label (no IP literal). */
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The hosts of a `robotHosts` setting (comma-separated); throws on anything but plain host names. */
export const robotHostsFrom = (value: string | undefined): string[] => {
  if (value === undefined || value.trim() === '') return [...DEFAULT_ROBOT_HOSTS];
  const hosts = value.split(',').map((h) => h.trim());
  const bad = hosts.filter((h) => !HOST_NAME.test(h));
  if (bad.length > 0) throw new Error(`robotHosts: not a plain lowercase host name: ${bad.join(', ')}`);
  return hosts;
};

/**
 * Why a robot address may not be called, or undefined when it may. The address must be in its
 * canonical form (what the URL parser gives back, character for character), so no spelling the
 * parser rewrites (backslashes, tabs, upper case, full-width letters, dot segments, a default
 * port) can smuggle a host past the comparison; then https, no user info, no port, a host of the
 * list exactly (never a suffix), and the platform's path for its kind. With `allowLoopback`, also
 * http to 127.0.0.1 on any port, with the same path rule.
 */
export const robotUrlProblem = (kind: WebhookKind, address: string, policy: RobotPolicy): string | undefined => {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return 'Not a web address';
  }
  if (url.href !== address) return 'Paste the robot address exactly as the platform shows it';
  if (url.username !== '' || url.password !== '') return 'A robot address has no user name or password';
  const loopback = policy.allowLoopback && url.protocol === 'http:' && url.hostname === '127.0.0.1';
  if (!loopback) {
    if (url.protocol !== 'https:') return 'A robot address starts with https://';
    if (url.port !== '') return 'A robot address names no port';
    if (!policy.hosts.includes(url.hostname)) return `A robot address is on ${policy.hosts.join(' or ')}`;
  }
  if (url.pathname !== ROBOT_PATHS[kind]) return `A ${kind} robot address has the path ${ROBOT_PATHS[kind]}`;
  return undefined;
};
