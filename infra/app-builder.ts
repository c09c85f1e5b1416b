import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkupIntervalFrom } from '../shared/checkups.ts';
import { coverageTargetFrom } from '../shared/coverage.ts';
import { firmIssuerOf } from '../shared/firm-issuer.ts';
import { functionNames } from '../shared/functions.ts';
import type { Level } from '../shared/jurisdictions.ts';
import { leaderLevelsFrom } from '../shared/leader-visits.ts';
import { qualifyingModesFrom } from '../shared/pairing.ts';
import { robotHostsFrom } from '../shared/webhooks.ts';
import type { FunctionContext } from './constructs/function.ts';
import { IDENTITY_CONTEXT, identitySettingsFrom } from './identity.ts';
import { OPERATIONS_CONTEXT, operationsSettingsFrom } from './operations.ts';
import { SMS_CONTEXT, smsSettingsFrom } from './sms.ts';
import { AlarmsStack } from './stacks/alarms.ts';
import { ApiStack, routedFunctions } from './stacks/api.ts';
import { AuthStack } from './stacks/auth.ts';
import { DataStack, evidenceBucketName } from './stacks/data.ts';
import { SchedulesStack, scheduledFunctions, streamedFunctions } from './stacks/schedules.ts';
import { type SiteIdentity, SiteStack } from './stacks/site.ts';
import { EDGE_WAF_REGION, EdgeWafStack } from './stacks/waf.ts';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '..');

export const STACK_NAMES = {
  auth: 'EcoLiaison-Auth',
  site: 'EcoLiaison-Site',
  data: 'EcoLiaison-Data',
  api: 'EcoLiaison-Api',
  schedules: 'EcoLiaison-Schedules',
  edgeWaf: 'EcoLiaison-EdgeWaf',
  alarms: 'EcoLiaison-Alarms',
} as const;

/** Context keys the app reads (`-c key=value` or `cdk.json`). */
export const CONTEXT = {
  /** Folder of the built site; default `site/dist`. */
  siteDir: 'siteDir',
  /** SES-verified address (or an address of a verified domain) that e-mails come from. Required. */
  mailFrom: OPERATIONS_CONTEXT.mailFrom,
  /** Who the alarms reach: an e-mail subscribed to the alarm topic. Required. */
  alarmEmail: OPERATIONS_CONTEXT.alarmEmail,
  /** Days every log group keeps its logs; default 180, at least 180 (网络安全法 §21). */
  logRetentionDays: OPERATIONS_CONTEXT.logRetentionDays,
  /** Prefix of the Cognito sign-in domain; default `eco-liaison-<account id>`. */
  authDomainPrefix: 'authDomainPrefix',
  /** Day of the month (1-28) of the monthly reminder digest; default 20. */
  reminderDay: 'reminderDay',
  /** Contact modes that count for the monthly rule, comma-separated; default visit,video. */
  qualifyingModes: 'qualifyingModes',
  /** Levels of leads held to the quarterly field service, comma-separated; default city,province. */
  leaderVisitLevels: 'leaderVisitLevels',
  /** Hosts group-chat robots may be on, comma-separated; default qyapi.weixin.qq.com,oapi.dingtalk.com. */
  robotHosts: 'robotHosts',
  /** Months between a paired firm's check-ups (issue 19), whole, 1 to 60; default 12. */
  checkupIntervalMonths: 'checkupIntervalMonths',
  /** Pairings each county is expected to hold in a service year (issue 19), whole, 1 to 1000; default 10. */
  coverageTarget: 'coverageTarget',
  /** `false` leaves out the edge web ACL (a monthly fee; none where CloudFront has no WAF). Default on. */
  edgeWaf: 'edgeWaf',
  /** The ARN the EcoLiaison-EdgeWaf stack outputs, once deployed: attached to the distribution. */
  webAclArn: 'webAclArn',
  /**
   * An external OpenID Connect issuer (https URL, exactly its tokens' `iss`). Unset: the stack's own
   * Cognito pool. Set: no Cognito pool is created and `oidcAudience` is required.
   */
  oidcIssuer: IDENTITY_CONTEXT.issuer,
  /** The console's client id at `oidcIssuer`: the audience the API accepts. */
  oidcAudience: IDENTITY_CONTEXT.audience,
  /** Claim holding the staff role (liaison, lead or admin); default cognito:groups. */
  oidcGroupsClaim: IDENTITY_CONTEXT.groupsClaim,
  /** Claim holding the six-digit jurisdiction; default custom:jurisdiction. */
  oidcJurisdictionClaim: IDENTITY_CONTEXT.jurisdictionClaim,
  /** Claim naming the user; default the first of cognito:username, preferred_username, username, sub. */
  oidcUsernameClaim: IDENTITY_CONTEXT.usernameClaim,
  /** Who sends text messages: sns (default; AWS global regions), aliyun or tencent (mainland China). */
  smsProvider: SMS_CONTEXT.provider,
  /** The signature registered with aliyun / tencent (required with them). */
  smsSignName: SMS_CONTEXT.signName,
  /** JSON object: SMS kind → registered template id, every kind (required with aliyun / tencent). */
  smsTemplates: SMS_CONTEXT.templates,
  /** ARN of an existing secret with the provider's key; unset: the Data stack makes an empty one to fill in. */
  smsSecretArn: SMS_CONTEXT.secretArn,
  /** Tencent Cloud's SMS application id (SmsSdkAppId; required with tencent). */
  smsAppId: SMS_CONTEXT.appId,
  /** Tencent Cloud's region for SMS; default ap-guangzhou. */
  smsRegion: SMS_CONTEXT.region,
  /** The provider's API endpoint (https://host) when not its default. */
  smsEndpoint: SMS_CONTEXT.endpoint,
} as const;

/** The fields of each mainland provider's key, as its secret holds them (JSON). */
export const SMS_SECRET_FIELDS = {
  aliyun: ['accessKeyId', 'accessKeySecret'],
  tencent: ['secretId', 'secretKey'],
} as const;

export interface BuildAppOptions {
  /** Overrides the `siteDir` context. Relative paths are from the repository root. */
  readonly siteDir?: string;
  readonly outdir?: string;
  /** Extra context, e.g. for tests; the CLI's `-c` and `cdk.json` still win. */
  readonly context?: Record<string, unknown>;
}

export interface EcoLiaisonApp {
  readonly app: App;
  /** The staff user pool; absent when the deployment trusts an external issuer (`oidcIssuer`). */
  readonly auth: AuthStack | undefined;
  readonly site: SiteStack;
  readonly data: DataStack;
  readonly api: ApiStack;
  readonly schedules: SchedulesStack;
  /** The alarm topic (e-mail from `alarmEmail`) and the alarms on the product's own metrics. */
  readonly alarms: AlarmsStack;
  /** The per-address rate limit at the edge (us-east-1), unless `edgeWaf=false`. */
  readonly edgeWaf: EdgeWafStack | undefined;
}

/** `cdk.json`'s context (feature flags): the CLI passes it, and in-process synths get the same. */
const cdkJsonContext = (): Record<string, unknown> => {
  const file = join(ROOT, 'cdk.json');
  return existsSync(file)
    ? ((JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {})
    : {};
};

/** Each function of `shared/functions.ts` is deployed exactly once: behind routes, schedules or the table's stream. */
const checkFunctionHomes = (): void => {
  const routed = routedFunctions();
  const scheduled = scheduledFunctions();
  const streamed = streamedFunctions();
  for (const name of functionNames) {
    const homes = [routed.includes(name), scheduled.includes(name), streamed.includes(name)].filter(Boolean).length;
    if (homes > 1) {
      throw new Error(
        `Function "${name}" has more than one of routes, schedules, a stream; give each its own function.`,
      );
    }
    if (homes === 0) {
      throw new Error(`Function "${name}" has neither routes, schedules nor a stream, so it would never be deployed.`);
    }
  }
};

/** The levels held to the leaders' quarterly field service, when the deployment names them; checked at synth. */
const leaderVisitLevelsFrom = (text: string | undefined): readonly Level[] | undefined => {
  if (text === undefined) return undefined;
  try {
    return leaderLevelsFrom(String(text));
  } catch (error) {
    throw new Error(`leaderVisitLevels: ${(error as Error).message} (county, city, province)`);
  }
};

/** The months between check-ups, when the deployment names them; checked at synth. */
const checkupIntervalMonthsFrom = (value: unknown): number | undefined => {
  if (value === undefined) return undefined;
  try {
    return checkupIntervalFrom(String(value));
  } catch (error) {
    throw new Error(`checkupIntervalMonths: ${(error as Error).message}`);
  }
};

/** The coverage target, when the deployment names one; checked at synth. */
const coverageTargetOf = (value: unknown): number | undefined => {
  if (value === undefined) return undefined;
  try {
    return coverageTargetFrom(String(value));
  } catch (error) {
    throw new Error(`coverageTarget: ${(error as Error).message}`);
  }
};

/**
 * The whole product as CDK stacks, checked by cdk-nag (AwsSolutions) at synth.
 * Order of dependence: Alarms, Auth → Site → Data → Api, Schedules (Api and Schedules alarm to Alarms).
 */
export function buildApp(options: BuildAppOptions = {}): EcoLiaisonApp {
  checkFunctionHomes();
  const app = new App({ outdir: options.outdir, context: { ...cdkJsonContext(), ...options.context } });
  const context = (key: string): string | undefined => app.node.tryGetContext(key) as string | undefined;

  const siteDir = resolve(ROOT, options.siteDir ?? context(CONTEXT.siteDir) ?? 'site/dist');
  if (!existsSync(join(siteDir, 'index.html'))) {
    throw new Error(
      `No built site in ${siteDir} (index.html is missing): run \`npm run build:site\` first, or pass -c siteDir=<folder>.`,
    );
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  // Checked before any stack is built: a bad host list fails the synth, not the first robot call.
  const robotHosts = robotHostsFrom(context(CONTEXT.robotHosts));
  const leaderVisitLevels = leaderVisitLevelsFrom(context(CONTEXT.leaderVisitLevels));
  const checkupIntervalMonths = checkupIntervalMonthsFrom(app.node.tryGetContext(CONTEXT.checkupIntervalMonths));
  const coverageTarget = coverageTargetOf(app.node.tryGetContext(CONTEXT.coverageTarget));

  const edgeWaf =
    String(context(CONTEXT.edgeWaf) ?? 'true') === 'false'
      ? undefined
      : new EdgeWafStack(app, STACK_NAMES.edgeWaf, {
          env: { region: EDGE_WAF_REGION, account: process.env.CDK_DEFAULT_ACCOUNT },
        });
  const webAclArn = context(CONTEXT.webAclArn);
  if (
    webAclArn !== undefined &&
    !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(webAclArn)
  ) {
    throw new Error(
      `webAclArn must be the ARN of a CLOUDFRONT-scope web ACL (us-east-1, global/webacl), not ${webAclArn}`,
    );
  }
  // Checked before any stack is built, like robotHosts: a wrong issuer or claim name fails the synth.
  const identity = identitySettingsFrom((key) => app.node.tryGetContext(key));
  // Likewise: no sender, no alarm recipient or too short a log retention fails the synth by name.
  const operations = operationsSettingsFrom((key) => app.node.tryGetContext(key));
  const alarms = new AlarmsStack(app, STACK_NAMES.alarms, { alarmEmail: operations.alarmEmail });
  // Likewise the SMS settings: a mainland provider without a signature or a template fails here.
  const sms = smsSettingsFrom((key) => app.node.tryGetContext(key));

  // With an external issuer there is no Cognito pool at all: accounts live at that issuer.
  let auth: AuthStack | undefined;
  let signIn: SiteIdentity;
  if (identity.kind === 'cognito') {
    auth = new AuthStack(app, STACK_NAMES.auth, { domainPrefix: context(CONTEXT.authDomainPrefix) });
    signIn = { kind: 'cognito', userPool: auth.userPool, signInDomain: auth.domain, issuer: auth.issuer };
  } else {
    signIn = { kind: 'external', issuer: identity.issuer, clientId: identity.audience };
  }
  const site = new SiteStack(app, STACK_NAMES.site, {
    siteDir,
    identity: signIn,
    webAclArn,
    logRetention: operations.logRetention,
  });
  const data = new DataStack(app, STACK_NAMES.data, {
    siteUrl: site.siteUrl,
    smsSecretFields: sms.provider !== 'sns' && !sms.secretArn ? SMS_SECRET_FIELDS[sms.provider] : undefined,
  });

  const functionContext: FunctionContext = {
    root: ROOT,
    appVersion: pkg.version,
    siteUrl: site.siteUrl,
    table: data.table,
    bucketName: evidenceBucketName(),
    mailFrom: operations.mailFrom,
    alarmAction: alarms.alarmAction,
    logRetention: operations.logRetention,
    qualifyingModes: context(CONTEXT.qualifyingModes)
      ? qualifyingModesFrom(context(CONTEXT.qualifyingModes))
      : undefined,
    robotHosts,
    leaderVisitLevels,
    checkupIntervalMonths,
    coverageTarget,
    claims: identity.claims,
    userPool: auth ? { arn: auth.userPool.userPoolArn, id: auth.userPool.userPoolId } : undefined,
    sms: { settings: sms, secretArn: sms.secretArn ?? data.smsSecret?.secretArn },
    firmKeyArn: data.firmKey.keyArn,
  };
  const api = new ApiStack(app, STACK_NAMES.api, {
    httpApi: site.httpApi,
    issuer: site.issuer,
    audience: [site.clientId],
    firmIssuer: firmIssuerOf(site.siteUrl),
    functionContext,
  });
  const reminderDay = context(CONTEXT.reminderDay);
  const schedules = new SchedulesStack(app, STACK_NAMES.schedules, {
    functionContext,
    reminderDay: reminderDay === undefined ? undefined : Number(reminderDay),
  });

  Tags.of(app).add('project', 'eco-liaison');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, auth, site, data, api, schedules, alarms, edgeWaf };
}
