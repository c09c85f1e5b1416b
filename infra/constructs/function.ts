import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { type IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ClaimNames } from '../../shared/claims.ts';
import { ENV } from '../../shared/config.ts';
import { type FunctionDef, type FunctionName, functionEntry, functions } from '../../shared/functions.ts';
import { SMS_PROVIDERS, type SmsProviderName } from '../../shared/sms.ts';
import { type GrantTargets, grantByName } from './grants.ts';

/** How every function is bundled; `npm run bench` builds with the same options to measure them. */
export const BUNDLING = {
  format: OutputFormat.CJS,
  target: 'node24',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  externalModules: ['@aws-sdk/*'],
};

/**
 * Build-time switches of notify.ts: "0" for each SMS provider the deployment did not choose, so
 * its SDK (Aliyun's and Tencent's are megabytes) is left out of every bundle instead of parsed at
 * every cold start.
 */
export const smsBundleDefine = (provider: SmsProviderName): Record<string, string> =>
  Object.fromEntries(
    SMS_PROVIDERS.map((name) => [
      `process.env.BUNDLE_SMS_${name.toUpperCase()}`,
      JSON.stringify(name === provider ? '1' : '0'),
    ]),
  );

/** What every product function is wired to; built once in the app and passed down. */
export interface FunctionContext extends GrantTargets {
  /** The province's modes that count for the monthly rule, when not the default. */
  readonly qualifyingModes?: readonly string[] | undefined;
  /** The levels of leads held to the quarterly field service, when not the default. */
  readonly leaderVisitLevels?: readonly string[] | undefined;
  /** Months between a paired firm's check-ups, when not the default (12). */
  readonly checkupIntervalMonths?: number | undefined;
  /** Pairings each county is expected to hold in a service year, when not the default (10). */
  readonly coverageTarget?: number | undefined;
  /** Hosts group-chat robots may be on (plain, non-secret; the functions refuse any other). */
  readonly robotHosts: readonly string[];
  /** Which token claims carry role, jurisdiction and username (plain names, not secrets). */
  readonly claims: ClaimNames;
  /** Repository root: entries and the lock file are found from here. */
  readonly root: string;
  readonly appVersion: string;
  /** Public origin of the site, e.g. `https://d123.cloudfront.net`. */
  readonly siteUrl: string;
  /** Every alarm notifies this (the alarm topic, CDK context `alarmEmail`). */
  readonly alarmAction: IAlarmAction;
  /** How long every log group keeps its logs (CDK context `logRetentionDays`, at least 180). */
  readonly logRetention: RetentionDays;
}

/** The SMS settings a sending function reads (never the key: only its secret's ARN). */
const smsEnvironment = ({ sms }: FunctionContext): Record<string, string> => {
  const { settings } = sms;
  const optional = {
    [ENV.smsSignName]: settings.signName,
    [ENV.smsSecretArn]: sms.secretArn,
    [ENV.smsAppId]: settings.appId,
    [ENV.smsRegion]: settings.region,
    [ENV.smsEndpoint]: settings.endpoint,
  };
  return {
    [ENV.smsProvider]: settings.provider,
    ...(Object.keys(settings.templates).length > 0 ? { [ENV.smsTemplates]: JSON.stringify(settings.templates) } : {}),
    ...Object.fromEntries(
      Object.entries(optional).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  };
};

export interface AppFunctionProps {
  readonly name: FunctionName;
  readonly context: FunctionContext;
}

/**
 * One function of `shared/functions.ts`: Node.js 24 on arm64, bundled by the local
 * esbuild (minified CJS with source maps, AWS SDK v3 taken from the runtime), its own
 * log group with a retention, and a role holding only what its `grants` name.
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { name, context } = props;
    const def: FunctionDef = functions[name];

    this.logGroup = new LogGroup(this, 'Logs', { retention: context.logRetention });
    // An own role instead of AWSLambdaBasicExecutionRole: logs go to this one group only.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Eco Liaison ${name} function`,
    });
    this.logGroup.grantWrite(role);

    this.fn = new NodejsFunction(this, 'Fn', {
      entry: join(context.root, functionEntry(name)),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: def.memoryMb,
      timeout: Duration.seconds(def.timeoutSeconds),
      description: def.description,
      role,
      logGroup: this.logGroup,
      projectRoot: context.root,
      depsLockFilePath: join(context.root, 'package-lock.json'),
      environment: {
        [ENV.tableName]: context.table.tableName,
        [ENV.bucketName]: context.bucketName,
        [ENV.appVersion]: context.appVersion,
        [ENV.mailFrom]: context.mailFrom,
        [ENV.siteUrl]: context.siteUrl,
        // Never ENV.robotLoopback: robots on 127.0.0.1 are for the local runtime's tests alone.
        [ENV.robotHosts]: context.robotHosts.join(','),
        [ENV.groupsClaim]: context.claims.groups,
        [ENV.jurisdictionClaim]: context.claims.jurisdiction,
        ...(context.claims.username ? { [ENV.usernameClaim]: context.claims.username } : {}),
        // No pool (external issuer): the staff function answers that accounts are managed at the issuer.
        ...(def.grants.users && context.userPool ? { [ENV.userPoolId]: context.userPool.id } : {}),
        ...(def.grants.firmKey ? { [ENV.firmKeyId]: context.firmKeyArn } : {}),
        // Only functions that send text messages know how (and where the provider's key is).
        ...(def.grants.sms ? smsEnvironment(context) : {}),
        // External issuer: the staff function records each staff member it first sees, to disable them here.
        ...(def.grants.users && !context.userPool ? { [ENV.recordIssuerAccounts]: '1' } : {}),
        ...(context.qualifyingModes ? { [ENV.qualifyingModes]: context.qualifyingModes.join(',') } : {}),
        ...(context.leaderVisitLevels ? { [ENV.leaderVisitLevels]: context.leaderVisitLevels.join(',') } : {}),
        ...(context.checkupIntervalMonths
          ? { [ENV.checkupIntervalMonths]: String(context.checkupIntervalMonths) }
          : {}),
        ...(context.coverageTarget ? { [ENV.coverageTarget]: String(context.coverageTarget) } : {}),
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: { ...BUNDLING, define: smsBundleDefine(context.sms.settings.provider) },
    });

    grantByName(role, def.grants, context);

    // Alarms on errors and throttles (design: production), each notifying the alarm topic.
    const errors = this.fn.metricErrors({ period: Duration.minutes(5) }).createAlarm(this, 'Errors', {
      alarmDescription: `Eco Liaison ${name}: invocations failed`,
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const throttles = this.fn.metricThrottles({ period: Duration.minutes(5) }).createAlarm(this, 'Throttles', {
      alarmDescription: `Eco Liaison ${name}: invocations throttled`,
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    errors.addAlarmAction(context.alarmAction);
    throttles.addAlarmAction(context.alarmAction);
  }
}
