import { join, resolve } from 'node:path';
import { DEMO_PASSWORD, demoAccounts } from './accounts.ts';
import { ROOT, startRuntime } from './runtime.ts';

/** `npm start`: the whole product on this machine. PORT and DATA_DIR change where. */
const port = Number(process.env.PORT ?? 3000);
const dataDir = resolve(process.env.DATA_DIR ?? join(ROOT, '.data'));

const reminderDay = process.env.REMINDER_DAY ? Number(process.env.REMINDER_DAY) : undefined;
const runtime = await startRuntime({ port, dataDir, demoData: true, reminderDay }).catch((error: unknown) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

// Ctrl-C stops cleanly from the moment the address is shown: whoever reads it may stop us at once.
let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  runtime.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

console.log(`
Eco Liaison is running at ${runtime.url}
  data folder: ${runtime.dataDir}${runtime.demoRecords > 0 ? ` (${runtime.demoRecords} demo records written)` : ''}
  health:      ${runtime.url}/api/health
  staff:       ${runtime.url}/staff/sign-in/
  issuer:      ${runtime.issuer.issuer} (OpenID Connect; discovery at /.well-known/openid-configuration)
  outbox:      ${runtime.url}/api/local/outbox (everything sent: e-mail, SMS, robot posts)
  mail:        ${runtime.channels.mailUrl} (the SES stand-in's page)
  robot:       ${runtime.channels.robotUrl('wecom', 'demo')} (a WeCom robot on this machine)
Demo accounts (password "${DEMO_PASSWORD}"):
${demoAccounts.map((a) => `  ${a.username.padEnd(20)} ${a.role.padEnd(8)} ${a.jurisdiction}`).join('\n')}
Press Ctrl-C to stop.
`);
