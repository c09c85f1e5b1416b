/**
 * Child process of `npm run bench`: runs the `missed` job once against a seeded table (env gives the
 * endpoint and table), then the compliance view of one province, counting every DynamoDB request by
 * command. Prints one JSON line. Alone in its process so its peak memory is the job's.
 */
import type { JobEvent } from '../shared/schedules.ts';

const { db } = await import('../functions/lib/aws.ts');
const counts: Record<string, number> = {};
let counting = true;
db().middlewareStack.add(
  (next, context) => async (args) => {
    if (counting) counts[context.commandName ?? '?'] = (counts[context.commandName ?? '?'] ?? 0) + 1;
    return next(args);
  },
  { step: 'initialize', name: 'benchCounter' },
);
const { missed } = await import('../functions/jobs/nudges.ts');
const { compliance } = await import('../functions/lib/compliance.ts');

const at = process.env.BENCH_AT ?? '2026-11-01T09:00:00+08:00';
const event: JobEvent = { job: 'missed', scheduledTime: at, executionId: 'bench', attemptNumber: 1 };
const started = performance.now();
const result = await missed(event, new Date(at));
const ms = performance.now() - started;
const jobRequests = { ...counts };
counting = true;
for (const key of Object.keys(counts)) delete counts[key];
await compliance('2026-10', process.env.BENCH_PROVINCE ?? '320000');
const complianceRequests = { ...counts };
console.log(
  JSON.stringify({
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
    result,
    jobRequests,
    complianceRequests,
  }),
);
