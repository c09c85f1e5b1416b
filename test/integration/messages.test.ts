import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '../support/outbox.ts';

// Creating job messages (nudges, digests) against DynamoDB Local: a claim per message in a conditional
// transaction, the inbox entries after it by BatchWriteItem, the message whole once settled. These
// tests stop a run after its claim (by writing the state it would leave) and check what the next
// run makes of it.
let messages: typeof import('../../functions/lib/messaging/job-messages.ts');
let deliveries: typeof import('../../functions/lib/messaging/deliveries.ts');
let aws: typeof import('../../functions/lib/store/table.ts');

beforeAll(async () => {
  const { useFreshTable } = await import('../support/table.ts');
  await useFreshTable();
  messages = await import('../../functions/lib/messaging/job-messages.ts');
  deliveries = await import('../../functions/lib/messaging/deliveries.ts');
  aws = await import('../../functions/lib/store/table.ts');
});

const CREATED_AT = '2026-11-01T01:00:00.000Z';

/** A nudge-like message for two people, each with an e-mail. */
const message = (id: string): import('../../functions/lib/messaging/job-messages.ts').Message => ({
  key: { pk: `NUDGE#${id}`, sk: 'NUDGE' },
  item: {
    type: 'nudge',
    messageId: id,
    kind: 'missed',
    createdAt: CREATED_AT,
    deliveries: [
      { channel: 'inbox', to: `liaison.${id}`, status: 'sent' },
      { channel: 'inbox', to: `lead.${id}`, status: 'sent' },
      { channel: 'email', to: `liaison.${id}@example.test`, status: 'pending', attempts: 0 },
      { channel: 'email', to: `lead.${id}@example.test`, status: 'pending', attempts: 0 },
    ],
  },
  inboxFor: [`liaison.${id}`, `lead.${id}`],
  content: { subject: `主题 ${id}`, text: `正文 ${id}` },
  link: 'http://127.0.0.1/staff/',
});

const inboxOf = async (username: string) =>
  (
    await aws.db().send(
      new QueryCommand({
        TableName: aws.tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `INBOX#${username}` },
      }),
    )
  ).Items ?? [];

const stored = async (id: string) =>
  (await aws.db().send(new GetCommand({ TableName: aws.tableName(), Key: message(id).key, ConsistentRead: true })))
    .Item ?? {};

const emailsTo = (id: string) =>
  readOutbox().filter((e) => e.channel === 'email' && JSON.stringify(e).includes(`.${id}@`)).length;

/** One run of a job over `list`: create, then deliver. */
const runOver = async (list: readonly import('../../functions/lib/messaging/job-messages.ts').Message[]) => {
  const run = deliveries.newRun();
  const created = await messages.createMany(list, run);
  const tally = { sent: 0, failed: 0 };
  await messages.deliverAll(created, run, tally);
  return { created: created.filter((s) => s.created).length, ...tally };
};

/** The state a run leaves when it stops after claiming the message, before its inbox entries and its settling. */
const stoppedAfterClaim = async (id: string, roundAt: string) => {
  await aws.db().send(
    new PutCommand({
      TableName: aws.tableName(),
      Item: { ...message(id).key, messageId: id, createdAt: CREATED_AT, round: 'a-run-that-stopped', roundAt },
    }),
  );
};

describe('job messages', () => {
  it('creates many messages with one inbox entry per person; a second run creates and sends nothing', async () => {
    // Prepare: 130 messages (more than one transaction, more than one BatchWriteItem).
    const list = Array.from({ length: 130 }, (_, i) => message(`m${i}`));

    // Act
    const first = await runOver(list);
    const second = await runOver(list);

    // Assess
    expect(first).toEqual({ created: 130, sent: 260, failed: 0 });
    expect(second).toEqual({ created: 0, sent: 0, failed: 0 });
    for (const id of ['m0', 'm77', 'm129']) {
      expect((await inboxOf(`liaison.${id}`)).map((e) => [e.title, e.read])).toEqual([[`主题 ${id}`, false]]);
      expect(await inboxOf(`lead.${id}`)).toHaveLength(1);
      expect(emailsTo(id)).toBe(2);
      expect(await stored(id)).toMatchObject({ kind: 'missed', createdAt: CREATED_AT });
      expect((await stored(id)).round).toBeUndefined();
    }
  });

  it('takes over a stale claim of a run that stopped before settling: writes the missing inbox entries (a read one stays read), sends once, stores the message whole', async () => {
    // Prepare: the message exists with its round held since ten minutes ago; the lead's entry got
    // written (and read) before the stop, the liaison's did not.
    await stoppedAfterClaim('s1', new Date(Date.now() - 10 * 60_000).toISOString());
    await aws.db().send(
      new PutCommand({
        TableName: aws.tableName(),
        Item: {
          pk: 'INBOX#lead.s1',
          sk: `${CREATED_AT}#s1`,
          type: 'inbox',
          messageId: 's1',
          title: '主题 s1',
          read: true,
        },
      }),
    );

    // Act: the next run of the job.
    const rerun = await runOver([message('s1')]);

    // Assess
    expect(rerun).toEqual({ created: 0, sent: 2, failed: 0 });
    expect((await inboxOf('liaison.s1')).map((e) => [e.sk, e.read])).toEqual([[`${CREATED_AT}#s1`, false]]);
    expect((await inboxOf('lead.s1')).map((e) => [e.sk, e.read])).toEqual([[`${CREATED_AT}#s1`, true]]);
    expect(emailsTo('s1')).toBe(2);
    // The message is now stored whole, with what was sent, and its round handed back.
    const taken = await stored('s1');
    expect(taken).toMatchObject({ kind: 'missed', createdAt: CREATED_AT });
    expect((taken.deliveries as { channel: string; status: string }[]).map((d) => d.status)).toEqual([
      'sent',
      'sent',
      'sent',
      'sent',
    ]);
    expect(taken.round).toBeUndefined();

    // Act: once more; nothing is written or sent again.
    expect(await runOver([message('s1')])).toEqual({ created: 0, sent: 0, failed: 0 });
    expect(await inboxOf('liaison.s1')).toHaveLength(1);
    expect(emailsTo('s1')).toBe(2);
  });

  it('leaves a round held a moment ago to the run holding it (no inbox entry, no e-mail from this run)', async () => {
    await stoppedAfterClaim('h1', new Date().toISOString());

    const rerun = await runOver([message('h1')]);

    expect(rerun).toEqual({ created: 0, sent: 0, failed: 0 });
    expect(await inboxOf('liaison.h1')).toHaveLength(0);
    expect(emailsTo('h1')).toBe(0);
    expect(await stored('h1')).toMatchObject({ round: 'a-run-that-stopped' });
    expect((await stored('h1')).deliveries).toBeUndefined();
  });
});
