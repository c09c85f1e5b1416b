/**
 * Child process of `npm run bench`, bundled by it as the jobs function is (minified CJS, the AWS SDK
 * from node_modules as from the Lambda runtime): runs the `missed` job once through the function's
 * handler against a seeded table (env gives the endpoint and table), then the compliance view of
 * one province, counting every DynamoDB request by operation at the HTTP layer. Prints one JSON
 * line. Alone in its process, so its peak memory is the job's.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { handler } from '../functions/jobs/index.ts';
import { compliance } from '../functions/lib/pairings/compliance.ts';

const counts: Record<string, number> = {};
subscribe('http.client.request.start', (message) => {
  const target = String((message as { request: ClientRequest }).request.getHeader('x-amz-target') ?? '');
  const operation = target.split('.')[1];
  if (operation) counts[operation] = (counts[operation] ?? 0) + 1;
});
const taken = () => {
  const copy = { ...counts };
  for (const key of Object.keys(counts)) delete counts[key];
  return copy;
};

const main = async () => {
  const at = process.env.BENCH_AT ?? '2026-11-01T09:00:00+08:00';
  const started = performance.now();
  const out = await handler(
    { job: 'missed', scheduledTime: at, executionId: 'bench', attemptNumber: '1' },
    {} as never,
  );
  const ms = performance.now() - started;
  const usage = process.resourceUsage();
  const jobRequests = taken();
  await compliance('2026-10', process.env.BENCH_PROVINCE ?? '320000');
  console.log(
    JSON.stringify({
      ms,
      maxRssMb: usage.maxRSS / 1024,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      result: out.result,
      jobRequests,
      complianceRequests: taken(),
    }),
  );
};
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
