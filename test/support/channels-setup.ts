import { afterAll, beforeAll } from 'vitest';
import { type LocalChannels, startLocalChannels } from '../../infra/local/channels.ts';

/**
 * Per test file (vitest `setupFiles`): the channel stand-ins on free ports of 127.0.0.1, and the
 * variables that point the SDK clients at them, set before the file loads any handler; stopped
 * when the file is done. Mail and text messages are really sent, to SES's and SNS's protocols.
 */
let channels: LocalChannels | undefined;
beforeAll(async () => {
  channels = await startLocalChannels();
  Object.assign(process.env, channels.env);
});
afterAll(async () => {
  await channels?.stop();
});
