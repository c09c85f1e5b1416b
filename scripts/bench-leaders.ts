/**
 * Child process of `npm run bench`, bundled by it as the jobs function is (like bench-job.ts): runs
 * the `leader-missed` job once through the function's handler against a seeded table (env gives the
 * endpoint and table), counting every DynamoDB request by operation at the HTTP layer, and every
 * other HTTP request (mail, robots) by host kind. Prints one JSON line.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { handler } from '../functions/jobs/index.ts';

const dynamo: Record<string, number> = {};
let other = 0;
subscribe('http.client.request.start', (message) => {
  const target = String((message as { request: ClientRequest }).request.getHeader('x-amz-target') ?? '');
  const operation = target.split('.')[1];
  if (operation) dynamo[operation] = (dynamo[operation] ?? 0) + 1;
  else other++;
});

const main = async () => {
  const at = process.env.BENCH_AT ?? '2027-01-01T09:00:00+08:00';
  const out = await handler(
    { job: 'leader-missed', scheduledTime: at, executionId: 'bench-leaders', attemptNumber: '1' },
    {} as never,
  );
  console.log(JSON.stringify({ result: out.result, dynamo, other }));
};
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
