import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ErrorEnvelope } from '../../shared/api-errors.ts';
import { DEFAULT_CLAIM_NAMES } from '../../shared/claims.ts';
import { ENV } from '../../shared/config.ts';
import { firesAt } from '../../shared/cron.ts';
import { firmIssuerOf } from '../../shared/firm-issuer.ts';
import {
  type FunctionDef,
  type FunctionName,
  functionEntry,
  functionNames,
  functions,
} from '../../shared/functions.ts';
import { keys } from '../../shared/keys.ts';
import { findSchedule, jobPayload, NUDGE_JOBS, schedulesFor } from '../../shared/schedules.ts';
import { table } from '../../shared/table.ts';
import { AccountStore } from './accounts.ts';
import { type LocalChannels, sentLocally, startLocalChannels } from './channels.ts';
import { startCognitoStandIn } from './cognito.ts';
import { pointDemoRobots, seedDemoRecords } from './demo.ts';
import { ensureTable, startDynamo } from './dynamo.ts';
import { lambdaContext } from './event.ts';
import { createGateway, type LambdaHandler } from './gateway.ts';
import { createIssuer, type Issuer } from './issuer.ts';
import { LOCAL_FIRM_KEY_ALIAS, startKmsStandIn } from './kms.ts';
import { startObjectStore } from './s3.ts';
import { startScheduler } from './scheduler.ts';
import { seedDemoData } from './seed.ts';
import { type StreamPump, startStreamPump } from './streams.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EVIDENCE_BUCKET = 'evidence';

export interface RuntimeOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly dataDir: string;
  readonly siteDir?: string;
  readonly scheduler?: boolean;
  /** Write the demo records (firms, pairings, contacts) into an empty store: `npm start` does. */
  readonly demoData?: boolean;
  /** Day of the monthly reminder (1-28); default 20, `npm start` reads REMINDER_DAY. */
  readonly reminderDay?: number;
  readonly log?: (line: Record<string, unknown>) => void;
}

export interface Runtime {
  readonly url: string;
  readonly dataDir: string;
  readonly issuer: Issuer;
  readonly accounts: AccountStore;
  readonly seeded: number;
  /** Demo records written at this start (0 when the store had them, or `demoData` is off). */
  readonly demoRecords: number;
  /** The channels' stand-ins (SES, SNS, robots): their addresses; what they received is `GET /api/local/outbox`. */
  readonly channels: LocalChannels;
  runJob(name: string, at: Date): Promise<unknown>;
  /** The stream triggers (the deliveries function's), as Lambda's event source mappings would run them. */
  readonly streams: StreamPump;
  stop(): Promise<void>;
}

/** One instance per data folder: a second start on the same folder is refused while the first runs. */
const lockedHere = new Set<string>();
const takeLock = (dataDir: string): (() => void) => {
  const file = join(dataDir, 'runtime.lock');
  if (lockedHere.has(dataDir)) throw new Error(`Another instance (this process) is using ${dataDir}`);
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8'));
    let alive = false;
    try {
      if (pid && pid !== process.pid) alive = process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (alive) throw new Error(`Another instance (pid ${pid}) is using ${dataDir}; stop it or set DATA_DIR`);
  }
  writeFileSync(file, String(process.pid));
  lockedHere.add(dataDir);
  return () => {
    lockedHere.delete(dataDir);
    rmSync(file, { force: true });
  };
};

/**
 * Starts the whole product on this machine: DynamoDB Local, an S3-compatible server,
 * the local issuer, the gateway with the site, and the scheduler. All state lives in `dataDir`.
 */
export const startRuntime = async (options: RuntimeOptions): Promise<Runtime> => {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const log = options.log ?? ((line) => console.log(JSON.stringify(line)));
  const schedules = schedulesFor({ reminderDay: options.reminderDay });
  const releaseLock = takeLock(dataDir);
  const stops: (() => Promise<void> | void)[] = [releaseLock];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn();
    stops.length = 0;
  };
  try {
    const dynamo = await startDynamo(join(dataDir, 'dynamodb'));
    stops.push(dynamo.stop);
    await ensureTable(dynamo.client, table.logicalName);
    const s3 = await startObjectStore(join(dataDir, 's3'), [EVIDENCE_BUCKET]);
    stops.push(s3.stop);

    // Mail, text messages and robot posts really go out, to stand-ins speaking SES's, SNS's and the robots' protocols.
    const channels = await startLocalChannels();
    stops.push(channels.stop);
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    // The environment the handlers read, as CDK sets it in AWS, plus the local endpoints.
    Object.assign(process.env, {
      [ENV.tableName]: table.logicalName,
      [ENV.bucketName]: EVIDENCE_BUCKET,
      [ENV.appVersion]: version,
      [ENV.mailFrom]: 'no-reply@eco-liaison.local',
      [ENV.dynamoEndpoint]: dynamo.endpoint,
      [ENV.s3Endpoint]: s3.endpoint,
      ...channels.env,
      // Tests run their own robots on this machine; a deployed stack never allows them.
      [ENV.robotLoopback]: '1',
      // The local issuer names its claims as the stack's own Cognito pool does.
      [ENV.groupsClaim]: DEFAULT_CLAIM_NAMES.groups,
      [ENV.jurisdictionClaim]: DEFAULT_CLAIM_NAMES.jurisdiction,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    });

    const accounts = new AccountStore(dataDir);
    accounts.seedDemo();
    const cognito = await startCognitoStandIn(accounts);
    stops.push(cognito.stop);
    Object.assign(process.env, { [ENV.userPoolId]: 'local_staff', [ENV.cognitoEndpoint]: cognito.endpoint });
    // Firm tokens are signed by KMS in AWS; here by a stand-in speaking its protocol, its key in DATA_DIR.
    const kms = await startKmsStandIn(dataDir);
    stops.push(kms.stop);
    Object.assign(process.env, { AWS_ENDPOINT_URL_KMS: kms.endpoint, [ENV.firmKeyId]: LOCAL_FIRM_KEY_ALIAS });
    const seeded = await seedDemoData(dynamo.client, table.logicalName, accounts.all());

    const loaded = new Map<FunctionName, Promise<LambdaHandler>>();
    const loadFunction = (fn: FunctionName): Promise<LambdaHandler> => {
      let handler = loaded.get(fn);
      if (!handler) {
        handler = import(pathToFileURL(join(ROOT, functionEntry(fn))).href).then(
          (mod: { handler: LambdaHandler }) => mod.handler,
        );
        loaded.set(fn, handler);
      }
      return handler;
    };
    // The table's stream wakes the functions that read it, as their event source mappings do in AWS.
    const pumps: StreamPump[] = [];
    for (const name of functionNames) {
      const trigger = (functions[name] as FunctionDef).stream;
      if (!trigger) continue;
      const pump = await startStreamPump({
        client: dynamo.client,
        endpoint: dynamo.endpoint,
        tableName: table.logicalName,
        functionName: `eco-liaison-${name}`,
        timeoutSeconds: functions[name].timeoutSeconds,
        trigger,
        handler: () => loadFunction(name),
        log,
      });
      pumps.push(pump);
      stops.push(pump.stop);
    }
    const streams: StreamPump = {
      pause: async () => {
        await Promise.all(pumps.map((p) => p.pause()));
      },
      resume: () => {
        for (const p of pumps) p.resume();
      },
      stop: async () => {
        await Promise.all(pumps.map((p) => p.stop()));
      },
    };

    /** Runs a job with the payload EventBridge Scheduler would send for a fire at `at`. */
    const runJob = async (name: string, at: Date): Promise<unknown> => {
      if (name === 'nudges') {
        // The monthly-contact jobs that fire at that minute, as the scheduler would run them.
        const due = NUDGE_JOBS.filter((job) => firesAt(findSchedule(job, schedules)?.cron ?? '', at));
        if (due.length === 0)
          return {
            error: { code: 'NOTHING_DUE', message: 'No nudge schedule fires at that time', jobs: NUDGE_JOBS },
          } satisfies ErrorEnvelope;
        const runs = [];
        for (const job of due) runs.push(await runJob(job, at));
        return { runs };
      }
      const schedule = findSchedule(name, schedules);
      if (!schedule)
        return { error: { code: 'NOT_FOUND', message: `No schedule named ${name}` } } satisfies ErrorEnvelope;
      const handler = await loadFunction(schedule.fn);
      const scheduledTime = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
      return handler(
        jobPayload(name, scheduledTime, randomUUID(), 1),
        lambdaContext(`eco-liaison-${schedule.fn}`, functions[schedule.fn].timeoutSeconds),
      );
    };

    const siteDir = options.siteDir ?? join(ROOT, 'site', 'dist');
    // The issuer is `<this origin>/oidc`, so it is made once the gateway has its port.
    let issuer: Issuer | undefined;
    let firmIssuer: string | undefined;
    const server = createGateway({
      get issuer(): Issuer {
        if (!issuer) throw new Error('The local issuer is not ready yet');
        return issuer;
      },
      // The firm routes' authorizer trusts the product's firm issuer at this origin (set once it listens).
      get firmIssuer(): string | undefined {
        return firmIssuer;
      },
      siteDir,
      loadFunction,
      runJob,
      readOutbox: sentLocally,
      log,
      objectStoreOrigin: new URL(s3.endpoint).origin,
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(options.port, '127.0.0.1', () => ok());
    });
    stops.push(
      () =>
        new Promise<void>((ok) => {
          server.closeAllConnections();
          server.close(() => ok());
        }),
    );
    if (options.scheduler !== false) stops.push(startScheduler(runJob, log, schedules));
    const { port } = server.address() as AddressInfo;
    // Links in e-mails and calendars point at this instance, as SITE_URL points at CloudFront in AWS.
    const url = `http://127.0.0.1:${port}`;
    issuer = await createIssuer({ dataDir, origin: url, accounts, siteDir });
    process.env[ENV.siteUrl] = url;
    firmIssuer = firmIssuerOf(url);
    let demoRecords = 0;
    if (options.demoData) {
      const doc = DynamoDBDocumentClient.from(dynamo.client);
      const marker = { TableName: table.logicalName, Key: keys.demoSeed() };
      if (!(await doc.send(new GetCommand(marker))).Item) {
        demoRecords = await seedDemoRecords(url, issuer);
        await doc.send(new PutCommand({ TableName: table.logicalName, Item: { ...keys.demoSeed(), demoRecords } }));
      }
      // The demo counties' group robots are the local robot stand-in (at this start's port).
      await pointDemoRobots(url, issuer, (county) => channels.robotUrl('wecom', `demo-robot-${county}`));
    }
    return { url, dataDir, issuer: issuer as Issuer, accounts, seeded, demoRecords, channels, runJob, streams, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
