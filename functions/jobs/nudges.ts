import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../shared/config.ts';
import { parentOf } from '../../shared/jurisdictions.ts';
import { type Key, keys } from '../../shared/keys.ts';
import {
  firstDayOf,
  isJudged,
  lastDayOf,
  monthBefore,
  monthOf,
  type NudgeKind,
  wasContacted,
} from '../../shared/monthly.ts';
import type { JobEvent } from '../../shared/schedules.ts';
import { shanghaiDate } from '../../shared/time.ts';
import type { WebhookConfig } from '../../shared/webhooks.ts';
import { db, tableName } from '../lib/aws.ts';
import { setMonthCounts, withAncestors } from '../lib/counters.ts';
import { type Content, type Delivery, deliver, heldRound, newRun, type Run } from '../lib/deliveries.ts';
import { staffDirectory } from '../lib/directory-lookup.ts';
import { enterpriseNames } from '../lib/enterprises.ts';
import { type Judgeable, pairingsNotEndedBy } from '../lib/pairings.ts';
import type { UserProfile } from '../lib/users.ts';
import { nearestWebhook } from '../lib/webhooks.ts';

/**
 * The monthly-contact rule's jobs (design rules 4-7). `missed` runs on day 1 for the month before:
 * every judged pairing without a qualifying contact gets one `missed` nudge (liaison and its lead),
 * a second missed month in a row one `escalation` (the next lead up). `reminder` runs on the
 * reminder day: one digest per liaison of its pairings not contacted yet. "Now" is the scheduled
 * time. Each (pairing, month, kind) nudge is created once with a conditional transaction (its inbox
 * messages and counters with it), then its outside channels are delivered once each (deliveries.ts).
 */
const PARALLEL = 16;

/** Runs `fn` over `items`, `limit` at a time. */
const eachLimit = async <T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

const consoleLink = (path: string) => `${process.env[ENV.siteUrl] ?? ''}${path}`;
const monthZh = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;
const lastContactZh = (p: Judgeable) =>
  p.lastQualifyingContactAt ? shanghaiDate(new Date(p.lastQualifyingContactAt)) : '无';

interface Message {
  readonly key: Key;
  readonly item: Record<string, unknown>;
  readonly inboxFor: readonly string[];
  readonly content: Content;
  readonly link: string;
}

/**
 * Creates a message (nudge or digest) with its inbox entries and counters in one transaction, only
 * if it does not exist; answers its deliveries as stored (new or from an earlier run).
 */
const createOnce = async (
  message: Message,
  now: Date,
  run: Run,
): Promise<{ created: boolean; deliveries: Delivery[] }> => {
  const at = now.toISOString();
  const id = String(message.item.messageId);
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              // The creator holds the first delivery round from here on.
              Item: { ...message.key, ...message.item, ...heldRound(run) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...message.inboxFor.map((username) => ({
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.inbox(username, at, id),
                type: 'inbox',
                messageId: id,
                username,
                at,
                kind: message.item.kind,
                title: message.content.subject,
                text: message.content.text,
                link: message.link,
                read: false,
              },
            },
          })),
        ],
      }),
    );
    return { created: true, deliveries: message.item.deliveries as Delivery[] };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (reasons[0]?.Code !== 'ConditionalCheckFailed') throw error;
    const out = await db().send(new GetCommand({ TableName: tableName(), Key: message.key, ConsistentRead: true }));
    return { created: false, deliveries: (out.Item?.deliveries ?? []) as Delivery[] };
  }
};

const deliveriesFor = async (
  people: readonly UserProfile[],
  webhookAt: string | undefined,
  webhooks: Map<string, Promise<WebhookConfig | undefined>>,
): Promise<Delivery[]> => {
  const list: Delivery[] = [];
  for (const person of people) list.push({ channel: 'inbox', to: person.username, status: 'sent' });
  for (const person of people) {
    if (person.email) list.push({ channel: 'email', to: person.email, status: 'pending', attempts: 0 });
  }
  const robot = webhookAt ? await nearestWebhook(webhookAt, webhooks) : undefined;
  if (robot) {
    const { jurisdiction, ...webhook } = robot;
    list.push({ channel: 'webhook', to: jurisdiction, webhook, status: 'pending', attempts: 0 });
  }
  return list;
};

/**
 * Sets a month's closing counters (absolute: a re-run writes the same) for every level: `judged`,
 * and `missed` when the month closes. Both are decided by the same read that decides the nudges,
 * so they are written once per county here rather than in each nudge's transaction, where every
 * nudge of a province would contend for the same counter items.
 */
const setCounts = async (month: string, field: 'judged' | 'missed', byCounty: Map<string, number>) => {
  const totals = new Map<string, number>();
  for (const [county, n] of byCounty)
    for (const code of withAncestors(county)) totals.set(code, (totals.get(code) ?? 0) + n);
  await eachLimit([...totals], PARALLEL, ([code, n]) => setMonthCounts(month, code, { [field]: n }));
};

const countBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

/** Day 1: the month before is closed; missed pairings are nudged, repeats escalated. */
export const missed = async (_event: JobEvent, now: Date) => {
  const run = newRun();
  const month = monthBefore(monthOf(now));
  const previous = monthBefore(month);
  const current = monthOf(now);
  const pairings = await pairingsNotEndedBy(lastDayOf(month));
  const judged = pairings.filter((p) => isJudged(p, month));
  const missing = judged.filter((p) => !wasContacted(p, month));
  const repeated = new Set(
    missing.filter((p) => isJudged(p, previous) && !wasContacted(p, previous)).map((p) => p.pairingId),
  );

  // The closed month's judged and missed counts, and the opening count of the month that starts today.
  await setCounts(
    month,
    'judged',
    countBy(judged, (p) => p.county),
  );
  await setCounts(
    month,
    'missed',
    countBy(missing, (p) => p.county),
  );
  const opening = pairings.filter(
    (p) => p.startsOn <= firstDayOf(current) && p.endedOn === null && p.status === 'active',
  );
  await setCounts(
    current,
    'judged',
    countBy(opening, (p) => p.county),
  );

  const directory = staffDirectory();
  const webhooks = new Map<string, Promise<WebhookConfig | undefined>>();
  const [names, liaisons] = await Promise.all([
    enterpriseNames(missing.map((p) => p.uscc)),
    directory.profiles(missing.map((p) => p.liaison)),
  ]);
  const tally = { nudgesCreated: 0, sent: 0, failed: 0 };
  const nudge = async (p: Judgeable, kind: NudgeKind) => {
    const firm = names.get(p.uscc) ?? p.uscc;
    const liaison = liaisons.get(p.liaison);
    const countyLead = await directory.nearestLeads(p.county);
    const upper =
      kind === 'escalation' ? await directory.nearestLeads(countyLead && parentOf(countyLead.code)) : undefined;
    const people =
      kind === 'missed' ? [...(liaison ? [liaison] : []), ...(countyLead?.leads ?? [])] : (upper?.leads ?? []);
    const webhookAt = kind === 'missed' ? p.county : upper?.code;
    const link = consoleLink(`/staff/pairings/contact/?id=${p.pairingId}`);
    const content: Content =
      kind === 'missed'
        ? {
            subject: `【环保服务联络】${firm}${monthZh(month)}未走访或视频连线`,
            text: `${firm}（${p.uscc}）${monthZh(month)}没有走访或视频连线记录。联络员：${liaison?.displayName ?? p.liaison}；最近一次走访或视频连线：${lastContactZh(p)}。请尽快联系企业并登记：${link}`,
          }
        : {
            subject: `【环保服务联络·连续两月】${firm}${monthZh(previous)}、${monthZh(month)}均未走访或视频连线`,
            text: `${firm}（${p.uscc}）已连续两个月（${monthZh(previous)}、${monthZh(month)}）没有走访或视频连线记录。联络员：${liaison?.displayName ?? p.liaison}；最近一次走访或视频连线：${lastContactZh(p)}。请督促落实：${link}`,
          };
    const deliveries = await deliveriesFor(people, webhookAt, webhooks);
    const key = keys.nudge(p.pairingId, month, kind);
    const { created, deliveries: stored } = await createOnce(
      {
        key,
        item: {
          ...keys.nudgeScope(month, p.county, kind, p.pairingId),
          type: 'nudge',
          messageId: `${p.pairingId}:${month}:${kind}`,
          nudgeId: `${p.pairingId}:${month}:${kind}`,
          pairingId: p.pairingId,
          uscc: p.uscc,
          firmName: firm,
          county: p.county,
          liaison: p.liaison,
          month,
          kind,
          lastQualifyingContactAt: p.lastQualifyingContactAt,
          createdAt: now.toISOString(),
          deliveries,
        },
        inboxFor: people.map((person) => person.username),
        content,
        link,
      },
      now,
      run,
    );
    if (created) tally.nudgesCreated++;
    const result = await deliver(key, stored, content, run, created);
    tally.sent += result.sent;
    tally.failed += result.failed;
  };
  await eachLimit(missing, PARALLEL, async (p) => {
    await nudge(p, 'missed');
    if (repeated.has(p.pairingId)) await nudge(p, 'escalation');
  });
  return {
    month,
    pairingsRead: pairings.length,
    judged: judged.length,
    missed: missing.length,
    escalations: repeated.size,
    ...tally,
  };
};

/** The reminder day: one digest per liaison of its judged pairings not contacted yet this month. */
export const reminder = async (_event: JobEvent, now: Date) => {
  const run = newRun();
  const month = monthOf(now);
  const today = shanghaiDate(now);
  const pairings = await pairingsNotEndedBy(today);
  const open = pairings.filter(
    (p) => p.startsOn <= firstDayOf(month) && p.status === 'active' && !wasContacted(p, month),
  );
  const byLiaison = new Map<string, Judgeable[]>();
  for (const p of open) byLiaison.set(p.liaison, [...(byLiaison.get(p.liaison) ?? []), p]);
  const directory = staffDirectory();
  const [names, liaisons] = await Promise.all([
    enterpriseNames(open.map((p) => p.uscc)),
    directory.profiles([...byLiaison.keys()]),
  ]);
  const tally = { digestsCreated: 0, nudgesCreated: 0, sent: 0, failed: 0 };
  await eachLimit([...byLiaison], PARALLEL, async ([username, list]) => {
    const person = liaisons.get(username);
    const link = consoleLink('/staff/pairings/');
    const lines = list.map(
      (p, i) => `${i + 1}. ${names.get(p.uscc) ?? p.uscc}（最近一次走访或视频连线：${lastContactZh(p)}）`,
    );
    const content: Content = {
      subject: `【环保服务联络】${monthZh(month)}还有 ${list.length} 家结对企业未走访或视频连线`,
      text: `${person?.displayName ?? username}，您好：截至${today}，您结对服务的以下企业本月还没有走访或视频连线记录，请在月底前完成并登记：\n${lines.join('\n')}\n${link}`,
    };
    const deliveries: Delivery[] = [
      { channel: 'inbox', to: username, status: 'sent' },
      ...(person?.email
        ? [{ channel: 'email' as const, to: person.email, status: 'pending' as const, attempts: 0 }]
        : []),
    ];
    const key = keys.digest(username, month);
    const { created, deliveries: stored } = await createOnce(
      {
        key,
        item: {
          type: 'digest',
          messageId: `${username}:${month}:reminder`,
          liaison: username,
          month,
          kind: 'reminder',
          pairingIds: list.map((p) => p.pairingId),
          createdAt: now.toISOString(),
          deliveries,
        },
        inboxFor: [username],
        content,
        link,
      },
      now,
      run,
    );
    if (created) tally.digestsCreated++;
    // The (pairing, month, reminder) nudges: each once, pointing at the digest that carried it.
    await eachLimit(list, 4, async (p) => {
      try {
        await db().send(
          new PutCommand({
            TableName: tableName(),
            Item: {
              ...keys.nudge(p.pairingId, month, 'reminder'),
              ...keys.nudgeScope(month, p.county, 'reminder', p.pairingId),
              type: 'nudge',
              nudgeId: `${p.pairingId}:${month}:reminder`,
              pairingId: p.pairingId,
              uscc: p.uscc,
              firmName: names.get(p.uscc) ?? p.uscc,
              county: p.county,
              liaison: p.liaison,
              month,
              kind: 'reminder',
              lastQualifyingContactAt: p.lastQualifyingContactAt,
              createdAt: now.toISOString(),
              digest: `${username}:${month}`,
              deliveries: [],
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        tally.nudgesCreated++;
      } catch (error) {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      }
    });
    const result = await deliver(key, stored, content, run, created);
    tally.sent += result.sent;
    tally.failed += result.failed;
  });
  return { month, pairingsRead: pairings.length, open: open.length, liaisons: byLiaison.size, ...tally };
};
