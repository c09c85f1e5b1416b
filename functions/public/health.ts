import { ENV } from '../../shared/config.ts';
import { toShanghaiIso } from '../../shared/time.ts';
import { defineRoute } from '../lib/http/handler.ts';
import { latestJobRun } from '../lib/messaging/job-runs.ts';

/** GET /api/health: version, time in Asia/Shanghai, and the last heartbeat the scheduler fired. */
export const getHealth = defineRoute({
  handler: async () => {
    const heartbeat = await latestJobRun('heartbeat');
    return {
      status: 'ok',
      version: process.env[ENV.appVersion] ?? 'dev',
      time: toShanghaiIso(new Date()),
      jobs: { heartbeat: heartbeat ? toShanghaiIso(new Date(heartbeat.scheduledTime)) : null },
    };
  },
});
