/**
 * `npm run bench`: measures the budgets of design.md that exist so far and writes
 * them into the README's performance table (between the bench markers).
 * Numbers are reported, never asserted: these machines are noisy.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLING, smsBundleDefine } from '../infra/constructs/function.ts';
import { startLocalChannels } from '../infra/local/channels.ts';
import { functionEntry, functionNames, functions } from '../shared/functions.ts';
import type { Role } from '../shared/roles.ts';

/**
 * The environment of a job bundle run as its own process against the bench's DynamoDB Local and
 * channel stand-ins; the robot stand-in is on this machine, allowed as the local runtime allows it.
 */
const jobChildEnv = (channelsEnv: Readonly<Record<string, string>>, tableName: string, endpoint: string) => ({
  ...process.env,
  ...channelsEnv,
  ROBOT_LOOPBACK: '1',
  TABLE_NAME: tableName,
  DYNAMODB_ENDPOINT: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  MAIL_FROM: 'no-reply@example.test',
  SITE_URL: 'http://127.0.0.1',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
});

const root = resolve(import.meta.dirname, '..');
const out = join(root, '.bench');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const rows: string[][] = [];
/**
 * `BENCH_ONLY=nudges` (the monthly job), `BENCH_ONLY=booking` (the booking API) or `BENCH_ONLY=leaders`
 * (the `leader-missed` job's requests against the number of leads) measures one part
 * alone and leaves the README as it is. `BENCH_ONLY=pages` measures the built pages' JavaScript and
 * replaces only those rows of the README's table: sizes do not depend on how busy the machine is.
 */
const only = process.env.BENCH_ONLY;

/**
 * Bundles an entry with the options the CDK stack gives NodejsFunction (BUNDLING in
 * infra/constructs/function.ts): minified CJS for node24, AWS SDK v3 from the runtime.
 */
const bundle = async (entry: string, file: string) => {
  await build({
    entryPoints: [join(root, entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: BUNDLING.format === 'cjs' ? 'cjs' : 'esm',
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap ? 'external' : false,
    external: BUNDLING.externalModules,
    // As deployed by default (smsProvider sns): the mainland providers' SDKs are not in the bundle.
    define: smsBundleDefine('sns'),
    logLevel: 'error',
  });
};

/** spawnSync's answer without blocking this process (it serves the channel stand-ins the child calls). */
const runChild = (command: string, args: string[], options: { env: NodeJS.ProcessEnv }) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('close', (status) => done({ status, stdout, stderr }));
  });

/**
 * The V8 heap flags the Lambda Node.js runtime's bootstrap gives a function of `memoryMb`: a tenth
 * of the memory for the young generation (two semi-spaces), the rest for the old one.
 */
const lambdaHeapFlags = (memoryMb: number) => {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
};

/** CPU time (user + system) DynamoDB Local's java, the child of its guard shell `pid`, has used so far (Linux /proc). */
const dynamoCpuMs = (pid: number | undefined): number => {
  const stat = (p: string) => readFileSync(`/proc/${p}/stat`, 'utf8');
  const java = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .find((p) => {
      try {
        const [, rest = ''] = stat(p).split(') ');
        return rest.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    });
  if (!java) return Number.NaN;
  const fields = stat(java).split(') ')[1]?.split(' ') ?? [];
  // utime and stime, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

if (!only) {
  // 1. Lambda bundles, as deployed.
  for (const name of functionNames) {
    const file = join(out, `${name}.cjs`);
    await bundle(functionEntry(name), file);
    const size = statSync(file).size;
    // Module load in a fresh process, 7 runs, median. The SDK resolves from node_modules as the runtime's would.
    const loads: number[] = [];
    for (let i = 0; i < 7; i++) {
      const ms = execFileSync(process.execPath, [
        '-e',
        `const t=performance.now();require(${JSON.stringify(file)});console.log(performance.now()-t)`,
      ]);
      loads.push(Number(ms.toString().trim()));
    }
    rows.push([
      `Lambda bundle \`${name}\`, minified`,
      '≤ 500 KB; load ≤ 120 ms',
      `${kb(size)} (${kb(gzipSync(readFileSync(file)).length)} gzip); module load median ${median(loads).toFixed(0)} ms`,
    ]);
  }
}

if (!only || only === 'pages') {
  // 2. JavaScript shipped by each built page (gzip): what a page loads to open, dynamic import() not counted.
  const pageSizes: boolean[] = [];
  const dist = join(root, 'site', 'dist');
  if (!existsSync(dist)) spawnSync('npm', ['run', 'build:site'], { cwd: root, stdio: 'inherit' });
  const pages = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? pages(p) : p.endsWith('.html') ? [p] : [];
    });
  for (const page of pages(dist)) {
    const html = readFileSync(page, 'utf8');
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1] as string);
    const inline = [...html.matchAll(/<script(?![^>]*src=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    // Each script file once, with the chunks it imports statically.
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file) || !existsSync(file)) return;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:import|from)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        visit(join(file, '..', m[1] as string));
      }
    };
    for (const src of scripts) visit(join(dist, src));
    const bytes =
      [...seen].reduce((sum, file) => sum + gzipSync(readFileSync(file)).length, 0) +
      inline.reduce((sum, code) => sum + gzipSync(code).length, 0);
    // design.md: any page ≤ 20 KB, the sign-in pages (staff and firm) ≤ 10 KB; the console is no exception.
    const path = page.slice(dist.length);
    const budget = /\/sign-in\/index\.html$/.test(path) ? 10 * 1024 : 20 * 1024;
    pageSizes.push(bytes <= budget);
    rows.push([
      `page \`${path}\` JavaScript (gzip)`,
      `≤ ${budget / 1024} KB${budget < 20 * 1024 ? ' (sign-in)' : ''}`,
      `${kb(bytes)}${bytes > budget ? ' **over**' : ''}`,
    ]);
  }
  rows.push([
    'pages within their JavaScript budget',
    'all',
    `${pageSizes.filter(Boolean).length} of ${pageSizes.length}`,
  ]);
}

if (!only) {
  // 3. Local runtime: first start on an empty data folder until /api/health answers (the site is prebuilt).
  {
    const dataDir = join(out, 'runtime-data');
    const started = performance.now();
    const child = spawn(process.execPath, [join(root, 'infra/local/start.ts')], {
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'WARN' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    const url = await new Promise<string>((ok, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
        const m = /running at (http:\/\/\S+)/.exec(text);
        if (m?.[1]) ok(m[1]);
      });
      child.once('exit', () => fail(new Error(text)));
    });
    const health = await fetch(`${url}/api/health`);
    const readyMs = performance.now() - started;
    child.kill('SIGINT');
    await new Promise((done) => child.once('exit', done));
    rows.push([
      '`npm start` on an empty data folder until `/api/health` answers',
      '≤ 60 s',
      `${(readyMs / 1000).toFixed(1)} s (HTTP ${health.status})`,
    ]);
  }
}

if (!only || only === 'booking') {
  // 4. Booking on the embedded runtime: 200 concurrent bookings on a 10-seat slot, then the
  //    booking API's latency with 20 concurrent clients (each booking sequentially, distinct firms).
  {
    const { startRuntime } = await import('../infra/local/runtime.ts');
    const { distinctUsccs } = await import('../test/support/uscc.ts');
    const runtime = await startRuntime({
      port: 0,
      dataDir: join(out, 'booking-data'),
      scheduler: false,
      log: () => undefined,
    });
    try {
      const signIn = await fetch(`${runtime.url}/api/local-auth/sign-in`, {
        method: 'POST',
        body: JSON.stringify({ username: 'lead.wuzhong', password: 'demo' }),
      });
      const { token } = (await signIn.json()) as { token: string };
      const date = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
      const createDay = async (capacity: number) => {
        const res = await fetch(`${runtime.url}/api/staff/consultation-days`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            date,
            jurisdiction: '320506',
            venue: 'bench',
            mode: 'onsite',
            topics: ['bench'],
            slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity }],
          }),
        });
        return ((await res.json()) as { day: { dayId: string } }).day.dayId;
      };
      let nextMobile = 0;
      /** A booking's body: a number per booking (one number may book only 5 times an hour, the route's limit). */
      const bookingBody = (uscc: string) => ({
        slotId: 's1',
        uscc,
        companyName: '基准测试企业',
        contactName: '测试',
        mobile: `138${String(nextMobile++).padStart(8, '0')}`,
        topic: 'bench',
        question: '基准测试的咨询问题内容',
        consent: true,
      });
      /**
       * An anonymous booking's write: the hold (202 `pending`), which takes the seat and records its
       * SMS code; the booker's verify (a small conditional update) is not what is measured.
       */
      const book = async (dayId: string, uscc: string) => {
        const started = performance.now();
        const sent = bookingBody(uscc);
        const res = await fetch(`${runtime.url}/api/public/consultation-days/${dayId}/bookings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(sent),
        });
        const body = (await res.json()) as { booking?: { code: string; status: string }; error?: { code: string } };
        return {
          ms: performance.now() - started,
          outcome: body.booking?.status ?? body.error?.code ?? String(res.status),
          mobile: sent.mobile,
          code: body.booking?.code,
        };
      };

      // The messages the bookings recorded are delivered (the stream woke the deliveries function)
      // before the next measurement starts, so one phase's sending does not land in the next.
      const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
      const { db, tableName } = await import('../functions/lib/store/table.ts');
      const { keys } = await import('../shared/keys.ts');
      const drained = async () => {
        const until = Date.now() + 120_000;
        while (Date.now() < until) {
          const due = await db().send(
            new QueryCommand({
              TableName: tableName(),
              IndexName: 'byParent',
              KeyConditionExpression: 'parentPk = :p',
              ExpressionAttributeValues: { ':p': keys.messagesDue().parentPk },
              Limit: 1,
            }),
          );
          if ((due.Items ?? []).length === 0) return;
          await new Promise((r) => setTimeout(r, 200));
        }
        throw new Error('The deliveries did not drain within 2 minutes');
      };

      const small = await createDay(10);
      const burst = await Promise.all(distinctUsccs(200).map((uscc) => book(small, uscc)));
      const count = (o: string) => burst.filter((r) => r.outcome === o).length;
      const errors = burst.length - count('pending') - count('SLOT_FULL');
      // Each holder types the code its phone got (the local outbox): the holds become the bookings.
      const { holdCodeSentTo } = await import('../test/support/bookings.ts');
      const verified = await Promise.all(
        burst.flatMap((r) =>
          r.outcome === 'pending' && r.code
            ? [
                holdCodeSentTo(r.mobile, 0, runtime.url).then(async (smsCode) => {
                  const res = await fetch(`${runtime.url}/api/public/bookings/${r.code}/verify`, {
                    method: 'POST',
                    headers: { 'content-type': 'application/json' },
                    body: JSON.stringify({ smsCode }),
                  });
                  return ((await res.json()) as { booking?: { status: string } }).booking?.status;
                }),
              ]
            : [],
        ),
      );
      rows.push([
        '200 concurrent bookings on a 10-seat slot',
        '10 confirmed, 190 `SLOT_FULL`, 0 errors',
        `${verified.filter((v) => v === 'confirmed').length} confirmed (${count('pending')} held, then verified by their SMS codes), ${count('SLOT_FULL')} \`SLOT_FULL\`, ${errors} errors`,
      ]);

      const CLIENTS = 20;
      const big = await createDay(500);
      const firms = distinctUsccs(430 + 400 + 400);
      const floorFirms = firms.splice(430, 400);
      const quietFirms = firms.splice(430);
      const alone: number[] = [];
      for (const uscc of firms.splice(0, 30)) alone.push((await book(big, uscc)).ms);
      alone.sort((a, b) => a - b);
      const quantile = (sorted: number[], q: number) =>
        sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      /** Operations `from` … `to` - 1 by 20 clients, each one after the other: into `into`'s latencies and wall time. */
      const byClients = async (
        into: { ms: number[]; wallMs: number },
        from: number,
        to: number,
        op: (i: number) => Promise<number>,
      ) => {
        const started = performance.now();
        await Promise.all(
          Array.from({ length: CLIENTS }, async (_, client) => {
            for (let i = from + client; i < to; i += CLIENTS) into.ms.push(await op(i));
          }),
        );
        into.wallMs += performance.now() - started;
      };
      const summary = ({ ms, wallMs }: { ms: number[]; wallMs: number }) => {
        const sorted = [...ms].sort((x, y) => x - y);
        return {
          count: ms.length,
          perSecond: (ms.length * 1000) / wallMs,
          p95: quantile(sorted, 0.95),
          p50: quantile(sorted, 0.5),
        };
      };

      // The storage floor: what a booking writes, sent straight to the same DynamoDB Local by 20
      // clients, with the handler's own code for it (the two rate-limit counters side by side, then
      // the booking's one transaction, conflicts retried as `transact` retries them) and no gateway,
      // no validation, no read of the day. The deliveries function is paused meanwhile (the floor is
      // the table alone) and catches up before the bookings are measured; the bookings are measured
      // as they run, their messages delivered meanwhile. Floor and bookings take turns, in halves, so
      // a neighbour's load on this shared machine weighs on all alike.
      const { bookingLimits, bookingWrites, newBookingCode } = await import(
        '../functions/lib/consultation/bookings.ts'
      );
      const { hit } = await import('../functions/lib/http/rate-limit.ts');
      const { newSmsCode } = await import('../functions/lib/messaging/sms-code.ts');
      const { transact } = await import('../functions/lib/store/transact.ts');
      const { getDay } = await import('../functions/lib/consultation/days.ts');
      const { bookingInput } = await import('../shared/consultation.ts');
      const floorDay = await getDay(await createDay(500));
      const floorSlot = floorDay?.slots[0];
      if (!floorDay || !floorSlot) throw new Error('The floor day was not created');
      let floorFailed = 0;
      const floorOp = async (i: number) => {
        const input = bookingInput.parse(bookingBody(floorFirms[i] as string));
        const started = performance.now();
        const now = new Date();
        await Promise.all([
          hit(bookingLimits.perMobile, input.mobile, now),
          hit(bookingLimits.perUscc, input.uscc, now),
        ]);
        const { items } = bookingWrites({
          code: newBookingCode(),
          day: floorDay.day,
          slot: floorSlot,
          input,
          // The hold's transaction, as the route writes it: the seat, the SMS code's challenge and its text.
          status: 'pending',
          sms: newSmsCode(),
          now,
        });
        if (!(await transact(items)).ok) floorFailed++;
        return performance.now() - started;
      };
      const outcomes = new Map<string, number>();
      const bookOp = async (i: number) => {
        const { ms, outcome } = await book(big, firms[i] as string);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        return ms;
      };
      // The same bookings with the deliveries function paused (on a day of their own): what the
      // request alone costs over the floor, apart from the sending that competes with it here.
      const quietDay = await createDay(500);
      const quietOp = async (i: number) => {
        const { ms, outcome } = await book(quietDay, quietFirms[i] as string);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        return ms;
      };
      const floorRun = { ms: [] as number[], wallMs: 0 };
      const bookedRun = { ms: [] as number[], wallMs: 0 };
      const quietRun = { ms: [] as number[], wallMs: 0 };
      const half = firms.length / 2;
      for (const [from, to] of [
        [0, half],
        [half, firms.length],
      ] as const) {
        await drained();
        await runtime.streams.pause();
        await byClients(floorRun, from, to, floorOp);
        await byClients(quietRun, from, to, quietOp);
        runtime.streams.resume();
        await drained();
        await byClients(bookedRun, from, to, bookOp);
      }
      const floor = summary(floorRun);
      const booked = summary(bookedRun);
      const quiet = summary(quietRun);
      const notConfirmed = [...outcomes].filter(([o]) => o !== 'pending').map(([o, n]) => `${n} ${o}`);
      rows.push([
        'booking API p95, 20 concurrent clients (embedded runtime)',
        '≤ 150 ms',
        `p95 ${booked.p95.toFixed(0)} ms, p50 ${booked.p50.toFixed(0)} ms over ${booked.count} bookings (holds) of one slot; one client alone: p50 ${(alone[15] ?? 0).toFixed(0)} ms`,
      ]);
      rows.push([
        'booking against the storage floor, 20 clients (the same writes sent straight to DynamoDB Local, same run)',
        "≥ 0.8× the floor's throughput, p95 ≤ 1.25× the floor's",
        `bookings ${booked.perSecond.toFixed(0)}/s, p95 ${booked.p95.toFixed(0)} ms; floor ${floor.perSecond.toFixed(0)}/s, p95 ${floor.p95.toFixed(0)} ms (${floor.count} holds' writes: 2 UpdateItem + 1 TransactWriteItems of 6); bookings with the deliveries paused ${quiet.perSecond.toFixed(0)}/s, p95 ${quiet.p95.toFixed(0)} ms; throughput ${(booked.perSecond / floor.perSecond).toFixed(2)}×, p95 ${(booked.p95 / floor.p95).toFixed(2)}×${notConfirmed.length > 0 ? `; not confirmed: ${notConfirmed.join(', ')}` : ''}${floorFailed > 0 ? `; floor conditions failed: ${floorFailed}` : ''}`,
      ]);
    } finally {
      await runtime.stop();
    }
  }
}

// 5. The `missed` job over 31,000 pairings (1,000 per province × 31) on DynamoDB Local, seeded
//    directly (the job's read path is what is measured), then the compliance view of a province.
if (!only || only === 'nudges') {
  const { startDynamo, ensureTable } = await import('../infra/local/dynamo.ts');
  const { DynamoDBDocumentClient, BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const { keys } = await import('../shared/keys.ts');
  const { usccCheckChar } = await import('../shared/uscc.ts');
  const dynamo = await startDynamo(undefined, { fullJit: true });
  try {
    const tableName = 'bench-nudges';
    await ensureTable(dynamo.client, tableName);
    const doc = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
    const items: Record<string, unknown>[] = [];
    const provinces = [
      11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62,
      63, 64, 65,
    ];
    const { userItem } = await import('../shared/staff-user.ts');
    const user = (username: string, role: Role, jurisdiction: string) =>
      userItem(
        { username, displayName: username, email: `${username}@bench.test`, role, jurisdiction },
        { version: 1, at: '2026-01-01T00:00:00.000Z' },
      );
    // Mail, robot posts and texts go to the channels' stand-ins, over HTTP as in AWS: this process
    // serves them while the job runs.
    const channels = await startLocalChannels();
    // A WeCom robot for every county and province (the robot stand-in's, speaking WeCom's protocol),
    // so the run's robot posts are measured with its e-mails.
    const robot = (code: string) => ({
      ...keys.webhook(code),
      type: 'webhook',
      kind: 'wecom',
      url: channels.robotUrl('wecom', `bench-${code}`),
      version: 1,
      updatedAt: '2026-01-01T00:00:00.000Z',
      updatedBy: 'bench',
    });
    let n = 0;
    for (const pp of provinces) {
      items.push(user(`lead.${pp}`, 'lead', `${pp}0000`));
      items.push(robot(`${pp}0000`));
      for (let c = 1; c <= 10; c++) {
        const county = `${pp}01${String(c).padStart(2, '0')}`;
        items.push(user(`lead.${county}`, 'lead', county));
        items.push(robot(county));
        for (let l = 0; l < 5; l++) items.push(user(`liaison.${county}.${l}`, 'liaison', county));
        for (let i = 0; i < 100; i++) {
          n++;
          const body = `91${county}MA${String(n).padStart(7, '0')}`;
          const uscc = body + usccCheckChar(body);
          const pairingId = `bench-${String(n).padStart(6, '0')}`;
          const months = i % 10 < 7 ? ['2026-09', '2026-10'] : i % 10 < 9 ? ['2026-09'] : [];
          items.push({ ...keys.enterprise(uscc), type: 'enterprise', uscc, name: `基准企业${n}`, county });
          items.push({
            ...keys.pairing(pairingId),
            ...keys.pairingScope(county, pairingId),
            ...keys.pairingOfLiaison(`liaison.${county}.${i % 5}`, 2026, pairingId),
            ...keys.pairingJudging(pairingId, null),
            type: 'pairing',
            pairingId,
            uscc,
            county,
            liaison: `liaison.${county}.${i % 5}`,
            serviceYear: 2026,
            startsOn: '2026-01-01',
            mentorUscc: null,
            status: 'active',
            endedOn: null,
            replacedBy: null,
            lastContactAt: null,
            lastQualifyingContactAt: months.length > 0 ? `${months.at(-1)}-15T02:00:00.000Z` : null,
            qualifyingMonths: months,
            pauses: [],
            version: 1,
            createdAt: '2026-01-01T00:00:00.000Z',
          });
        }
      }
    }
    const seeding = performance.now();
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < batches.length) {
          let pending = (batches[next++] ?? []).map((Item) => ({ PutRequest: { Item } }));
          while (pending.length > 0) {
            const res = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
            pending = (res.UnprocessedItems?.[tableName] ?? []) as typeof pending;
          }
        }
      }),
    );
    const seededS = (performance.now() - seeding) / 1000;
    // The job runs bundled as the jobs function is, through its handler, with the heap limits the
    // Lambda runtime sets for the function's memory, alone in its process so its peak is the job's.
    const jobBundle = join(out, 'bench-job.cjs');
    await bundle('scripts/bench-job.ts', jobBundle);
    const dynamoCpuBefore = dynamoCpuMs(dynamo.pid);
    const child = await runChild(process.execPath, [...lambdaHeapFlags(functions.jobs.memoryMb), jobBundle], {
      env: { ...jobChildEnv(channels.env, tableName, dynamo.endpoint), BENCH_PROVINCE: '320000' },
    });
    await channels.stop();
    const dynamoCpu = dynamoCpuMs(dynamo.pid) - dynamoCpuBefore;
    const line = child.stdout.trim().split('\n').at(-1) ?? '{}';
    const run = JSON.parse(line) as {
      ms: number;
      maxRssMb: number;
      cpuMs: number;
      result: Record<string, number>;
      jobRequests: Record<string, number>;
      complianceRequests: Record<string, number>;
    };
    if (child.status !== 0 || !run.result) throw new Error(child.stderr);
    const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    const list = (r: Record<string, number>) =>
      Object.entries(r)
        .sort(([, a], [, b]) => b - a)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
    rows.push([
      `\`missed\` job over ${run.result.pairingsRead} pairings (31 provinces × 1,000), DynamoDB Local`,
      '≤ 60 s, ≤ 256 MB, zero Scan',
      `${(run.ms / 1000).toFixed(1)} s, peak RSS ${run.maxRssMb.toFixed(0)} MB (whole process: the jobs bundle through its handler, V8 heap sized as Lambda sizes it for ${functions.jobs.memoryMb} MB), CPU: job ${(run.cpuMs / 1000).toFixed(1)} s, DynamoDB Local ${(dynamoCpu / 1000).toFixed(1)} s; Scan ${run.jobRequests.Scan ?? 0}; ${run.result.missed} missed + ${run.result.escalations} escalations → ${run.result.nudgesCreated} nudges, ${run.result.sent} messages; ${total(run.jobRequests)} requests (${list(run.jobRequests)}); seeding took ${seededS.toFixed(0)} s`,
    ]);
    const r = run.result;
    rows.push([
      'messages per `missed` run (e-mail and robot digests)',
      '≤ distinct recipients + robot digests (rule 11)',
      `${(r.emailsSent ?? 0) + (r.robotPostsSent ?? 0)} messages for ${r.nudgesCreated} nudges: ${r.emailsSent} e-mails to ${r.recipients} distinct recipients, ${r.robotPostsSent} robot posts for ${r.robotDigests} robot digests (341 WeCom robots, ≤ 4,000 bytes each, paced under 20 a minute); ${r.failed} failed; the digests took ${((r.digestsMs ?? 0) / 1000).toFixed(1)} s of the run`,
    ]);
    rows.push([
      'compliance view for a province (Jiangsu, 1,000 pairings, 10 counties)',
      '≤ 5 DynamoDB requests',
      `${total(run.complianceRequests)} requests (${list(run.complianceRequests)}), independent of the number of pairings`,
    ]);
  } finally {
    await dynamo.stop();
  }
}

// 6. The `leader-missed` job (issue 19) against the number of leads: requests, not timings. For each
//    size a fresh table of city and province leads held to the rule since 2025 and none with a field
//    service in 2026-Q4 (every lead nudged, its superior escalated: the most the job does), the job
//    run once through the bundled handler at 2027-01-01 09:00 (Beijing), every request counted.
if (!only || only === 'leaders') {
  const { startDynamo, ensureTable } = await import('../infra/local/dynamo.ts');
  const { DynamoDBDocumentClient, BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const { userItem } = await import('../shared/staff-user.ts');
  const dynamo = await startDynamo(undefined, { fullJit: true });
  const channels = await startLocalChannels();
  try {
    const doc = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
    const jobBundle = join(out, 'bench-leaders.cjs');
    await bundle('scripts/bench-leaders.ts', jobBundle);
    const provinces = [
      11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62,
      63, 64, 65,
    ];
    const measured: string[] = [];
    for (const leads of [10, 100, 1000]) {
      const tableName = `bench-leaders-${leads}`;
      await ensureTable(dynamo.client, tableName);
      // One province lead for each ten leads (at most one per province), the rest city leads of its cities.
      const used = provinces.slice(0, Math.min(provinces.length, Math.ceil(leads / 10)));
      const items: Record<string, unknown>[] = [];
      const lead = (username: string, jurisdiction: string) =>
        items.push(
          userItem(
            {
              username,
              displayName: username,
              email: `${username}@bench.test`,
              role: 'lead',
              jurisdiction,
              roleSince: '2025-01-01',
            },
            { version: 1, at: '2025-01-01T00:00:00.000Z' },
          ),
        );
      for (const pp of used) lead(`lead.${pp}`, `${pp}0000`);
      for (let i = 0; items.length < leads; i++) {
        const pp = used[i % used.length] as number;
        const city = `${pp}${String(Math.floor(i / used.length) + 1).padStart(2, '0')}00`;
        lead(`lead.${city}.${i}`, city);
      }
      for (let i = 0; i < items.length; i += 25) {
        let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const res = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = (res.UnprocessedItems?.[tableName] ?? []) as typeof pending;
        }
      }
      const child = await runChild(process.execPath, [...lambdaHeapFlags(functions.jobs.memoryMb), jobBundle], {
        env: jobChildEnv(channels.env, tableName, dynamo.endpoint),
      });
      const run = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
        result: Record<string, number>;
        dynamo: Record<string, number>;
        other: number;
      };
      if (child.status !== 0 || !run.result) throw new Error(child.stderr);
      const total = Object.values(run.dynamo).reduce((a, b) => a + b, 0);
      const byOperation = Object.entries(run.dynamo)
        .sort(([, a], [, b]) => b - a)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      measured.push(
        `${leads} leads (${used.length} province, ${leads - used.length} city): ${total} DynamoDB requests (${byOperation}), ${run.other} HTTP to mail and robots, for ${run.result.missed} missed + ${run.result.escalations} escalations → ${run.result.nudgesCreated} nudges, ${run.result.sent} messages, ${run.result.failed} failed`,
      );
    }
    rows.push([
      '`leader-missed` job requests against the number of leads (every held lead without a field service)',
      'reported (reads of lists do not grow with the leads; writes grow with the nudges)',
      measured.join('; '),
    ]);
  } finally {
    await channels.stop();
    await dynamo.stop();
  }
}

const table = [
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${
    (await import('node:os')).cpus().length
  } cores.`,
  '',
  '| what | budget | measured |',
  '| --- | --- | --- |',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
console.log(table);

const readme = join(root, 'README.md');
const text = readFileSync(readme, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
if (only === 'pages' && text.includes(start) && text.includes(end)) {
  const isPageRow = (line: string) => line.startsWith('| page `') || line.startsWith('| pages within');
  const lines = text.split('\n');
  const first = lines.findIndex(isPageRow);
  const kept = lines.filter((line) => !isPageRow(line));
  kept.splice(first < 0 ? kept.indexOf(end) : first, 0, ...rows.map((r) => `| ${r.join(' | ')} |`));
  writeFileSync(readme, kept.join('\n'));
  console.log('\nREADME page rows updated.');
}
if (!only && text.includes(start) && text.includes(end)) {
  writeFileSync(
    readme,
    `${text.slice(0, text.indexOf(start) + start.length)}\n${table}\n${text.slice(text.indexOf(end))}`,
  );
  console.log('\nREADME performance table updated.');
}
rmSync(out, { recursive: true, force: true });
