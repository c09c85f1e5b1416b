import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../infra/app-builder.ts';
import { BUCKET_ACTIONS, TABLE_ACTIONS, USER_POOL_ACTIONS } from '../../infra/constructs/grants.ts';
import type { AuthStack } from '../../infra/stacks/auth.ts';
import { FIRM_AUDIENCE } from '../../shared/firm-issuer.ts';
import { type FunctionDef, functionNames, functions } from '../../shared/functions.ts';
import { ROLES } from '../../shared/roles.ts';
import { isFirm, isPublic, type RouteDef, routeKey, routes } from '../../shared/routes.ts';
import { jobPayload, SCHEDULE_TIME_ZONE, schedules } from '../../shared/schedules.ts';
import { type IndexDef, table as tableDef } from '../../shared/table.ts';
import { followOutput, type Json, type Resource, readJson, type Synthesized, synthesize } from './support.ts';

// One synthesis of the whole app (bundling, cdk-nag) shared by every test of this file.
let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});
afterAll(() => synth?.cleanup());

/** The Auth stack, which the default deployment (its own Cognito pool) has. */
const authStack = (): AuthStack => {
  if (!synth.auth) throw new Error('The default deployment has an Auth stack');
  return synth.auth;
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: Json;
}
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const logicalIdOf = (value: unknown): string => {
  const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return v.Ref ?? v['Fn::GetAtt']?.[0] ?? '';
};

/** Our Lambda functions by name (matched on their description), with the stack holding them. */
const ourFunctions = () =>
  functionNames.map((name) => {
    const found = synth
      .everywhere('AWS::Lambda::Function')
      .filter(([, , r]) => r.Properties.Description === functions[name].description);
    expect(found, `function ${name}`).toHaveLength(1);
    const [stack, id, resource] = found[0] as (typeof found)[number];
    return { name, stack, id, resource };
  });

/** The statements of the policies attached to a function's role. */
const roleStatements = (fn: ReturnType<typeof ourFunctions>[number]): Statement[] => {
  const roleId = logicalIdOf(fn.resource.Properties.Role);
  return synth
    .resources(fn.stack, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as unknown[]).some((r) => logicalIdOf(r) === roleId))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};

/** The staff issuer's JWT authorizer (the other one is the firm issuer's, for firm tokens). */
const staffAuthorizer = (): [string, Resource] => {
  const found = synth
    .resources(synth.api, 'AWS::ApiGatewayV2::Authorizer')
    .filter(([, r]) => !JSON.stringify(r.Properties.JwtConfiguration).includes(FIRM_AUDIENCE));
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
};

describe('API routes', () => {
  it('has exactly one route per entry of the route table, and no local-only route', () => {
    // Prepare
    const expected = routes.map(routeKey).sort();

    // Act
    const keys = synth.resources(synth.api, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);

    // Assess
    expect(keys.sort()).toEqual(expected);
    expect(keys.filter((key) => key.includes('/api/local'))).toEqual([]);
  });

  it('puts the Cognito JWT authorizer on staff routes and none on public routes', () => {
    // Prepare
    const byKey = new Map(
      synth.resources(synth.api, 'AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey, r]),
    );
    const [authorizerId] = staffAuthorizer();

    // Act / Assess (firm routes have the firm issuer's: test/infra/firm-routes.test.ts)
    for (const route of routes as readonly RouteDef[]) {
      const props = byKey.get(routeKey(route))?.Properties;
      if (isFirm(route)) continue;
      if (isPublic(route)) {
        expect(props?.AuthorizationType, routeKey(route)).toBe('NONE');
        expect(props?.AuthorizerId).toBeUndefined();
      } else {
        expect(props?.AuthorizationType, routeKey(route)).toBe('JWT');
        expect(logicalIdOf(props?.AuthorizerId)).toBe(authorizerId);
      }
    }
  });

  it('trusts the Cognito user pool as issuer and the console client as audience', () => {
    // Prepare
    const [, authorizer] = staffAuthorizer();
    const jwt = authorizer.Properties.JwtConfiguration as { Issuer: unknown; Audience: unknown[] };
    const [poolId] = synth.resources(authStack(), 'AWS::Cognito::UserPool').map(([id]) => id);
    const [clientId] = synth.resources(synth.site, 'AWS::Cognito::UserPoolClient').map(([id]) => id);

    // Act
    const issuer = followOutput(synth.templates, jwt.Issuer);
    const audience = jwt.Audience.map((a) => followOutput(synth.templates, a));

    // Assess
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(issuer).toEqual({ 'Fn::GetAtt': [poolId, 'ProviderURL'] });
    expect(audience).toEqual([{ Ref: clientId }]);
  });

  it('throttles the stage, each public route on its own, and logs access', () => {
    // Prepare
    const publicKeys = (routes as readonly RouteDef[]).filter(isPublic).map(routeKey);

    // Act
    const [[, stage]] = synth.resources(synth.api, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];

    // Assess
    expect(stage.Properties.StageName).toBe('$default');
    expect(stage.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: expect.any(Number),
      ThrottlingBurstLimit: expect.any(Number),
    });
    expect(Object.keys(stage.Properties.RouteSettings as Json).sort()).toEqual(publicKeys.sort());
    expect(JSON.stringify(stage.Properties.AccessLogSettings)).toContain('$context.requestId');
  });
});

describe('Functions', () => {
  it('run every function of shared/functions.ts on Node.js 24, arm64, with its memory and timeout', () => {
    // Act
    const found = ourFunctions();

    // Assess
    for (const { name, resource } of found) {
      expect(resource.Properties, name).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: functions[name].memoryMb,
        Timeout: functions[name].timeoutSeconds,
      });
      expect(Object.keys((resource.Properties.Environment as { Variables: Json }).Variables)).toEqual(
        expect.arrayContaining(['TABLE_NAME', 'BUCKET_NAME', 'APP_VERSION', 'MAIL_FROM', 'SITE_URL', 'NODE_OPTIONS']),
      );
    }
  });

  it('tells every function the Cognito claim names, as plain settings, and no username claim', () => {
    for (const { name, resource } of ourFunctions()) {
      // Act
      const variables = (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

      // Assess
      expect(variables, name).toMatchObject({
        GROUPS_CLAIM: 'cognito:groups',
        JURISDICTION_CLAIM: 'custom:jurisdiction',
      });
      expect(Object.keys(variables), name).not.toContain('USERNAME_CLAIM');
    }
  });

  it('gives each function its own log group with a retention, and every log group a retention', () => {
    // Act
    const found = ourFunctions();
    const logGroups = synth.everywhere('AWS::Logs::LogGroup');

    // Assess
    for (const { name, stack, resource } of found) {
      const groupId = logicalIdOf((resource.Properties.LoggingConfig as Json | undefined)?.LogGroup);
      const group = synth.resources(stack, 'AWS::Logs::LogGroup').find(([id]) => id === groupId);
      expect(group?.[1].Properties.RetentionInDays, name).toBeGreaterThan(0);
    }
    for (const [stack, id, group] of logGroups) {
      expect(group.Properties.RetentionInDays, `${stack.stackName}/${id}`).toBeGreaterThan(0);
    }
  });

  it('alarms on errors and on throttles of every function', () => {
    for (const { name, stack, id } of ourFunctions()) {
      const alarms = synth
        .resources(stack, 'AWS::CloudWatch::Alarm')
        .filter(([, a]) =>
          ((a.Properties.Dimensions as { Value: unknown }[] | undefined) ?? []).some(
            (d) => logicalIdOf(d.Value) === id,
          ),
        );
      const metrics = alarms.map(([, a]) => a.Properties.MetricName).sort();
      expect(metrics, name).toEqual(['Errors', 'Throttles']);
      for (const [, a] of alarms) expect(a.Properties.Threshold, name).toBe(1);
    }
  });

  it('bundles each entry into a CommonJS module that loads and exports handler', () => {
    // Prepare
    const found = ourFunctions();

    // Act / Assess
    for (const { name, resource } of found) {
      const key = (resource.Properties.Code as { S3Key: string }).S3Key;
      const bundle = join(synth.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.js');
      expect(existsSync(bundle), name).toBe(true);
      expect(existsSync(`${bundle}.map`), name).toBe(true);
      // The AWS SDK is external (the Lambda runtime has it): here it comes from the repository.
      const loaded = execFileSync(
        process.execPath,
        ['-e', 'process.stdout.write(typeof require(process.argv[1]).handler)', bundle],
        { env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') }, encoding: 'utf8' },
      );
      expect(loaded, name).toBe('function');
    }
  });

  it('leaves the SMS providers the deployment did not choose out of every bundle (cold start)', () => {
    for (const { name, resource } of ourFunctions()) {
      // Act
      const key = (resource.Properties.Code as { S3Key: string }).S3Key;
      const code = readFileSync(join(synth.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.js'), 'utf8');
      // Assess: the default deployment sends by SNS; neither Aliyun's nor Tencent's SDK is carried.
      expect(code.includes('dysmsapi'), name).toBe(false);
      expect(code.includes('tencentcloudapi'), name).toBe(false);
      expect(code.length, name).toBeLessThan(600_000);
    }
  });
});

describe('Data', () => {
  it('keeps the table: on demand, point-in-time recovery, deletion protection, retained, TTL', () => {
    // Act
    const tables = synth.resources(synth.data, 'AWS::DynamoDB::Table');

    // Assess
    expect(tables).toHaveLength(1);
    const [, table] = tables[0] as [string, Resource];
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: tableDef.ttlAttribute, Enabled: true },
      KeySchema: [
        { AttributeName: tableDef.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDef.sortKey, KeyType: 'RANGE' },
      ],
    });
  });

  it('has the global secondary indexes of shared/table.ts, projecting what each names (all by default)', () => {
    // Prepare
    const expected = (tableDef.indexes as readonly IndexDef[]).map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: index.include
        ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] }
        : { ProjectionType: 'ALL' },
    }));

    // Act
    const [[, table]] = synth.resources(synth.data, 'AWS::DynamoDB::Table') as [[string, Resource]];

    // Assess
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(expected);
  });

  it('keeps evidence versioned, private, expires unattached uploads and allows the site origin only', () => {
    // Prepare
    const [siteDomain] = synth.resources(synth.site, 'AWS::CloudFront::Distribution').map(([id]) => id);

    // Act
    const evidence = synth
      .resources(synth.data, 'AWS::S3::Bucket')
      .filter(([, b]) => JSON.stringify(b.Properties.BucketName ?? '').includes('eco-liaison-evidence'));

    // Assess
    expect(evidence).toHaveLength(1);
    const [, bucket] = evidence[0] as [string, Resource];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.LoggingConfiguration).toBeDefined();
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Json[] }).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({ Prefix: 'unattached/', ExpirationInDays: 1, Status: 'Enabled' }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ NoncurrentVersionExpiration: expect.objectContaining({ NoncurrentDays: 30 }) }),
    );
    const [cors] = (bucket.Properties.CorsConfiguration as { CorsRules: Json[] }).CorsRules as [Json];
    expect(cors.AllowedMethods).toEqual(expect.arrayContaining(['PUT', 'GET']));
    const origins = (cors.AllowedOrigins as unknown[]).map((o) =>
      JSON.stringify(o, (_, v) => followOutput(synth.templates, v)),
    );
    expect(origins).toHaveLength(1);
    expect(origins[0]).toContain(siteDomain);
  });

  it('encrypts every bucket, blocks public access and denies requests without TLS', () => {
    // Act
    const buckets = synth.everywhere('AWS::S3::Bucket');

    // Assess
    expect(buckets.length).toBeGreaterThanOrEqual(3);
    for (const [stack, id, bucket] of buckets) {
      expect(bucket.Properties.BucketEncryption, id).toBeDefined();
      expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policies = synth
        .resources(stack, 'AWS::S3::BucketPolicy')
        .filter(([, p]) => logicalIdOf(p.Properties.Bucket) === id)
        .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      expect(policies, id).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });
});

describe('Schedules', () => {
  it('has one schedule per shared schedule, in Asia/Shanghai, with the shared cron and payload', () => {
    // Prepare
    const byJob = new Map(
      synth
        .resources(synth.schedules, 'AWS::Scheduler::Schedule')
        .map(([, s]) => [JSON.parse((s.Properties.Target as { Input: string }).Input).job as string, s]),
    );

    // Act / Assess
    expect(byJob.size).toBe(schedules.length);
    expect(synth.resources(synth.schedules, 'AWS::Scheduler::Schedule')).toHaveLength(schedules.length);
    for (const def of schedules) {
      const props = byJob.get(def.name)?.Properties as Json;
      const target = props.Target as { Input: string; RetryPolicy: Json; DeadLetterConfig: Json };
      expect(props.ScheduleExpressionTimezone).toBe(SCHEDULE_TIME_ZONE);
      expect(props.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
      expect(props.ScheduleExpression).toBe(`cron(${def.cron})`);
      expect(target.Input).toContain('<aws.scheduler.scheduled-time>');
      expect(JSON.parse(target.Input)).toEqual(
        jobPayload(
          def.name,
          '<aws.scheduler.scheduled-time>',
          '<aws.scheduler.execution-id>',
          '<aws.scheduler.attempt-number>',
        ),
      );
      expect(target.RetryPolicy).toEqual({
        MaximumRetryAttempts: expect.any(Number),
        MaximumEventAgeInSeconds: expect.any(Number),
      });
      expect(target.DeadLetterConfig).toBeDefined();
    }
  });

  it('runs the early-warning digest on Mondays at 09:00 Beijing, into the jobs function (issue 19)', () => {
    // Prepare
    const scheduleOf = (job: string) =>
      synth
        .resources(synth.schedules, 'AWS::Scheduler::Schedule')
        .find(([, s]) => JSON.parse((s.Properties.Target as { Input: string }).Input).job === job)?.[1].Properties as
        | Json
        | undefined;

    // Act
    const digest = scheduleOf('warning-digest');
    const ledger = scheduleOf('ledger-digest');

    // Assess: the weekly time in Shanghai (not UTC), and the same function as the other jobs.
    expect(digest?.ScheduleExpression).toBe('cron(0 9 ? * MON *)');
    expect(digest?.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    expect((digest?.Target as { Arn: unknown } | undefined)?.Arn).toEqual(
      (ledger?.Target as { Arn: unknown } | undefined)?.Arn,
    );
    expect((digest?.Target as { Arn: unknown } | undefined)?.Arn).toBeDefined();
  });

  it('parks failed runs in an encrypted, TLS-only dead-letter queue', () => {
    // Act
    const template = synth.template(synth.schedules);

    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });
});

const STREAM_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
];

describe('Outgoing messages', () => {
  it('wake the deliveries function from the table stream (new images), filtered to messages, with bisect, retries and the dead-letter queue', () => {
    // Act
    const data = synth.template(synth.data);
    const schedules = synth.template(synth.schedules);
    const mappings = synth.resources(synth.schedules, 'AWS::Lambda::EventSourceMapping');
    const deliveries = ourFunctions().find((f) => f.name === 'deliveries');

    // Assess
    data.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } });
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0] as [string, Resource];
    expect(logicalIdOf(mapping.Properties.FunctionName)).toBe(deliveries?.id);
    expect(mapping.Properties).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: functions.deliveries.stream.retryAttempts,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: expect.anything() } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(functions.deliveries.stream.filter) }] },
    });
    schedules.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });

  it('leaves sending to the deliveries function and the jobs: the API functions may send no mail or text', () => {
    for (const fn of ourFunctions().filter((f) => f.name === 'public' || f.name === 'staff')) {
      const actions = roleStatements(fn).flatMap((s) => list(s.Action));
      expect(
        actions.filter((a) => a.startsWith('ses:') || a.startsWith('sns:')),
        fn.name,
      ).toEqual([]);
    }
  });
});

describe('Grants', () => {
  it('gives each function exactly the table, bucket and mail actions its grants name', () => {
    for (const fn of ourFunctions()) {
      // Prepare
      const grants: FunctionDef['grants'] = functions[fn.name].grants;
      const expectTable = [
        ...(grants.table ? [...TABLE_ACTIONS.read, ...(grants.table === 'readWrite' ? TABLE_ACTIONS.write : [])] : []),
        // A function the stream wakes reads the stream (its event source mapping polls as its role).
        ...((functions[fn.name] as FunctionDef).stream ? STREAM_ACTIONS : []),
      ];
      const expectBucket = [
        ...(grants.bucket
          ? [...BUCKET_ACTIONS.read, ...(grants.bucket === 'readWrite' ? BUCKET_ACTIONS.write : [])]
          : []),
        // Signing presigned uploads into `unattached/` only.
        ...(grants.uploads ? ['s3:PutObject'] : []),
      ];

      // Act
      const actions = roleStatements(fn).flatMap((s) => list(s.Action));

      // Assess
      expect(actions.filter((a) => a.startsWith('dynamodb:')).sort(), fn.name).toEqual(expectTable.sort());
      expect(actions.filter((a) => a.startsWith('s3:')).sort(), fn.name).toEqual(expectBucket.sort());
      expect(
        actions.filter((a) => a.startsWith('ses:')),
        fn.name,
      ).toEqual(grants.email ? ['ses:SendEmail'] : []);
      expect(
        actions.filter((a) => a.includes('*')),
        fn.name,
      ).toEqual([]);
    }
  });

  it('lets only the functions granted `users` create staff accounts, in the staff pool only, and never points them at a local stand-in', () => {
    for (const fn of ourFunctions()) {
      // Prepare
      const granted = Boolean((functions[fn.name].grants as FunctionDef['grants']).users);

      // Act
      const statement = roleStatements(fn).find((s) => list(s.Action).some((a) => a.startsWith('cognito-idp:')));
      const variables = (fn.resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

      // Assess
      expect(Boolean(statement), fn.name).toBe(granted);
      if (statement) {
        expect(list(statement.Action).sort()).toEqual([...USER_POOL_ACTIONS].sort());
        expect(JSON.stringify(statement.Resource)).toContain('UserPool');
        expect(variables).toHaveProperty('USER_POOL_ID');
      }
      const localOnly = ['COGNITO_ENDPOINT', 'DYNAMODB_ENDPOINT', 'S3_ENDPOINT', 'ROBOT_LOOPBACK'];
      expect(
        // Nor any AWS_ENDPOINT_URL_*: the SDK clients find the local stand-ins through those.
        Object.keys(variables).filter((name) => localOnly.includes(name) || name.startsWith('AWS_ENDPOINT_URL')),
        fn.name,
      ).toEqual([]);
    }
  });

  it('lets robots be only on the platforms’ hosts, and never on this machine, in every deployed function', () => {
    for (const fn of ourFunctions()) {
      // Act
      const variables = (fn.resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

      // Assess: the default robotHosts, and no trace of the local runtime's loopback robots.
      expect(variables.ROBOT_HOSTS, fn.name).toBe('qyapi.weixin.qq.com,oapi.dingtalk.com');
      expect(Object.keys(variables), fn.name).not.toContain('ROBOT_LOOPBACK');
      expect(JSON.stringify(variables), fn.name).not.toContain('127.0.0.1');
    }
  });

  it('lets only the functions granted sms publish text messages, and to no topic', () => {
    for (const fn of ourFunctions()) {
      // Prepare
      const granted = Boolean((functions[fn.name].grants as FunctionDef['grants']).sms);

      // Act
      const statement = roleStatements(fn).find((s) => list(s.Action).includes('sns:Publish'));

      // Assess: phone numbers have no ARN, so the grant is "anything but an SNS resource".
      expect(Boolean(statement), fn.name).toBe(granted);
      if (statement) {
        expect(list(statement.Action)).toEqual(['sns:Publish']);
        expect(statement).not.toHaveProperty('Resource');
        expect(JSON.stringify(statement.NotResource)).toContain(':sns:');
      }
    }
  });

  it('lets the public function only get evidence objects (to presign a resolve photo for the confirmation link): no list, write or delete', () => {
    // Prepare
    const publicFn = ourFunctions().find((f) => f.name === 'public');

    // Act
    const actions = roleStatements(publicFn as NonNullable<typeof publicFn>).flatMap((s) => list(s.Action));
    const s3 = actions.filter((a) => a.startsWith('s3:'));

    // Assess
    expect(functions.public.grants.bucket).toBe('read');
    expect(s3).toEqual(['s3:GetObject']);
  });

  it('scopes sending mail to the sender address', () => {
    for (const fn of ourFunctions().filter((f) => (functions[f.name].grants as FunctionDef['grants']).email)) {
      // Act
      const send = roleStatements(fn).find((s) => list(s.Action).includes('ses:SendEmail'));

      // Assess
      expect(send?.Condition, fn.name).toEqual({ StringEquals: { 'ses:FromAddress': expect.stringContaining('@') } });
      expect(JSON.stringify(send?.Resource), fn.name).toContain(':identity/');
    }
  });

  it('has no allow statement with a wildcard action for a whole service, anywhere', () => {
    // Act
    const statements = [...synth.everywhere('AWS::IAM::Policy'), ...synth.everywhere('AWS::IAM::Role')].flatMap(
      ([, , r]) => [
        ...((r.Properties.PolicyDocument as { Statement?: Statement[] } | undefined)?.Statement ?? []),
        ...((r.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []).flatMap(
          (p) => p.PolicyDocument.Statement,
        ),
      ],
    );
    const allowed = statements.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action));

    // Assess
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed.filter((a) => a === '*' || /^[a-z0-9-]+:\*$/i.test(a))).toEqual([]);
  });
});

describe('Site', () => {
  it('sends /api/* to the HTTP API uncached, with every method and the viewer headers but Host', () => {
    // Prepare
    const [apiId] = synth.resources(synth.site, 'AWS::ApiGatewayV2::Api').map(([id]) => id);

    // Act
    const [[, distribution]] = synth.resources(synth.site, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig as {
      CacheBehaviors: Json[];
      Origins: Json[];
      DefaultRootObject: string;
      DefaultCacheBehavior: Json;
    };
    const api = config.CacheBehaviors.find((b) => b.PathPattern === '/api/*') as Json;
    const origin = config.Origins.find((o) => o.Id === api?.TargetOriginId) as Json;

    // Assess
    expect(api).toMatchObject({
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      ViewerProtocolPolicy: 'https-only',
    });
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']));
    expect(JSON.stringify(origin.DomainName)).toContain(apiId);
    expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.');
    expect(config.DefaultRootObject).toBe('index.html');
    // Distribution-wide error pages would also replace the API's JSON 403 / 404 answers.
    expect(config).not.toHaveProperty('CustomErrorResponses');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual(api.ResponseHeadersPolicyId);
  });

  it('answers with security headers: HSTS, nosniff, DENY framing, a referrer policy and a CSP', () => {
    // Act
    const [[, policy]] = synth.resources(synth.site, 'AWS::CloudFront::ResponseHeadersPolicy') as [[string, Resource]];
    const headers = (policy.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Json })
      .SecurityHeadersConfig as Record<string, Json>;

    // Assess
    expect(headers.StrictTransportSecurity?.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy?.ReferrerPolicy).toBe('strict-origin-when-cross-origin');
    const csp = JSON.stringify(headers.ContentSecurityPolicy?.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/connect-src 'self' [^;]*eco-liaison-evidence/);
    // The browser reads the pool's discovery document and keys at cognito-idp.<region>.
    expect(csp).toMatch(/connect-src 'self' [^;]*https:\/\/cognito-idp\./);
  });

  it('deploys the built site and a config.json naming the console client', () => {
    // Prepare
    const [clientId] = synth.resources(synth.site, 'AWS::Cognito::UserPoolClient').map(([id]) => id);

    // Act
    const deployments = synth.resources(synth.site, 'Custom::CDKBucketDeployment').map(([, d]) => d.Properties);

    // Assess
    expect(deployments).toHaveLength(2);
    const pages = deployments.find((d) => d.Prune === true) as Json;
    expect(pages.DistributionPaths).toEqual(['/*']);
    expect(JSON.stringify(pages.SourceMarkers)).toContain(clientId);
  });
});

describe('Auth', () => {
  it('has admin-created accounts, required MFA, a strong password policy and the jurisdiction attribute', () => {
    // Act
    const [[, pool]] = synth.resources(authStack(), 'AWS::Cognito::UserPool') as [[string, Resource]];

    // Assess
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      DeletionProtection: 'ACTIVE',
      Policies: {
        PasswordPolicy: expect.objectContaining({
          MinimumLength: expect.any(Number),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
    expect(pool.Properties.Schema).toContainEqual({
      AttributeDataType: 'String',
      Mutable: true,
      Name: 'jurisdiction',
      StringAttributeConstraints: { MinLength: '6', MaxLength: '6' },
    });
  });

  it('has one group per staff role and a sign-in domain', () => {
    // Act
    const groups = synth.resources(authStack(), 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName);

    // Assess
    expect(groups.sort()).toEqual([...ROLES].sort());
    expect(synth.resources(authStack(), 'AWS::Cognito::UserPoolDomain')).toHaveLength(1);
  });

  it('signs in on managed login (version 2, the one with Chinese), branded for the console client', () => {
    // Act
    const [[, domain]] = synth.resources(authStack(), 'AWS::Cognito::UserPoolDomain') as [[string, Resource]];
    const [clientId] = synth.resources(synth.site, 'AWS::Cognito::UserPoolClient').map(([id]) => id);
    const brandings = synth.resources(synth.site, 'AWS::Cognito::ManagedLoginBranding').map(([, b]) => b);

    // Assess
    expect(domain.Properties.ManagedLoginVersion).toBe(2);
    expect(brandings).toHaveLength(1);
    expect(brandings[0]?.Properties).toMatchObject({ ClientId: { Ref: clientId }, UseCognitoProvidedValues: true });
  });

  it('gives the console code + PKCE only: no implicit grant, no secret, no password or refresh API flows', () => {
    // Act
    const [[, client]] = synth.resources(synth.site, 'AWS::Cognito::UserPoolClient') as [[string, Resource]];

    // Assess
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      GenerateSecret: false,
      // Managed login checks the password by SRP; nothing sends a password or a refresh token to the API.
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('keeps a session for a working day with rotating refresh tokens, and one-hour access and ID tokens', () => {
    // Act
    const [[, client]] = synth.resources(synth.site, 'AWS::Cognito::UserPoolClient') as [[string, Resource]];
    const { RefreshTokenValidity, AccessTokenValidity, IdTokenValidity, TokenValidityUnits } = client.Properties as {
      RefreshTokenValidity: number;
      AccessTokenValidity: number;
      IdTokenValidity: number;
      TokenValidityUnits: { RefreshToken: string; AccessToken: string; IdToken: string };
    };
    const minutes = (value: number, unit: string) => value * ({ minutes: 1, hours: 60, days: 1440 }[unit] ?? NaN);

    // Assess
    expect(minutes(RefreshTokenValidity, TokenValidityUnits.RefreshToken)).toBe(600);
    expect(minutes(AccessTokenValidity, TokenValidityUnits.AccessToken)).toBe(60);
    expect(minutes(IdTokenValidity, TokenValidityUnits.IdToken)).toBe(60);
    expect(client.Properties.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 60 });
  });

  it('lets the console use the code flow without a secret, and never write its own jurisdiction', () => {
    // Act
    const [[, client]] = synth.resources(synth.site, 'AWS::Cognito::UserPoolClient') as [[string, Resource]];

    // Assess
    expect(client.Properties).toMatchObject({ GenerateSecret: false, AllowedOAuthFlows: ['code'] });
    expect(client.Properties.ReadAttributes).toContain('custom:jurisdiction');
    expect(client.Properties.WriteAttributes).not.toContain('custom:jurisdiction');
    expect(client.Properties.WriteAttributes).toBeDefined();
  });
});

describe('cdk-nag (AwsSolutions) and template validation', () => {
  it('finds nothing, at any severity, that is not acknowledged with a reason', () => {
    // Act: cdk-nag, CloudFormation validation and construct warnings all land in this report.
    const report = readJson(join(synth.outdir, 'validation-report.json')) as {
      pluginReports: { pluginName?: string; violations?: { severity: string; ruleName: string }[] }[];
    };
    const violations = report.pluginReports.flatMap((p) =>
      (p.violations ?? []).map((v) => `${p.pluginName ?? '?'}: ${v.severity} ${v.ruleName}`),
    );

    // Assess
    expect(violations).toEqual([]);
    expect(synth.synthError).toBeUndefined();
  });
});
