import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ClaimNames } from '../../shared/claims.ts';
import { ENV } from '../../shared/config.ts';
import { type FunctionDef, type FunctionName, functionEntry, functions } from '../../shared/functions.ts';
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

/** What every product function is wired to; built once in the app and passed down. */
export interface FunctionContext extends GrantTargets {
  /** The province's modes that count for the monthly rule, when not the default. */
  readonly qualifyingModes?: readonly string[] | undefined;
  /** Hosts group-chat robots may be on (plain, non-secret; the functions refuse any other). */
  readonly robotHosts: readonly string[];
  /** Which token claims carry role, jurisdiction and username (plain names, not secrets). */
  readonly claims: ClaimNames;
  /** Repository root: entries and the lock file are found from here. */
  readonly root: string;
  readonly appVersion: string;
  /** Public origin of the site, e.g. `https://d123.cloudfront.net`. */
  readonly siteUrl: string;
}

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

    this.logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
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
        // External issuer: the staff function records each staff member it first sees, to disable them here.
        ...(def.grants.users && !context.userPool ? { [ENV.recordIssuerAccounts]: '1' } : {}),
        ...(context.qualifyingModes ? { [ENV.qualifyingModes]: context.qualifyingModes.join(',') } : {}),
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: BUNDLING,
    });

    grantByName(role, def.grants, context);

    // Alarms on errors and throttles (design: production). They cost nothing while idle;
    // wire an action (SNS, chat) per deployment.
    this.fn.metricErrors({ period: Duration.minutes(5) }).createAlarm(this, 'Errors', {
      alarmDescription: `Eco Liaison ${name}: invocations failed`,
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.fn.metricThrottles({ period: Duration.minutes(5) }).createAlarm(this, 'Throttles', {
      alarmDescription: `Eco Liaison ${name}: invocations throttled`,
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
