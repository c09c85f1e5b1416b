import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nameOf } from '../../../shared/jurisdictions.ts';
import { type Key, keys } from '../../../shared/keys.ts';
import type { NudgeKind } from '../../../shared/monthly.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import type { WebhookConfig } from '../../../shared/webhooks.ts';
import type { UserProfile } from '../accounts/profiles.ts';
import { eachLimit } from '../store/concurrency.ts';
import { db, tableName } from '../store/table.ts';
import {
  type Content,
  claimRound,
  type Delivery,
  due,
  heldRound,
  type Run,
  type SettleExtra,
  sendDue,
  settleRound,
  withOutcomes,
} from './deliveries.ts';

/**
 * Digests of a `missed` run (rule 11: a run sends at most one message per recipient and channel):
 * each person with an e-mail gets one e-mail listing every nudge of the run addressed to them, and
 * each robot one markdown message listing every nudge for its jurisdiction, split into parts when
 * longer than its platform takes. The nudges themselves (and their inbox entries) stay one per
 * (pairing, month, kind); the digests only carry them out.
 *
 * A digest's key holds a hash of the nudge ids it lists, so every run of the same slot (again, or
 * at the same time) computes the same digests and each exists once (a conditional Put); its one
 * delivery goes through the delivery rounds of deliveries.ts (claimed, sent once, retried, each
 * outcome recorded). While the delivery is due the digest sits in a queue on `byParent`, which the
 * `bookings` job's rounds work through every few minutes: a robot that refuses (WeCom's 45009) or a
 * post that found no pacing slot before its run's deadline goes out in a later round. If a later
 * run lists other nudges for the same recipient (the facts changed), its parts have other keys and
 * go out too: a nudge may then be listed twice, but none is ever left out.
 */

/** Who a digest entry goes to: people (an e-mail each, to those with an address) and a robot. */
export interface DigestEntry {
  /** The nudge it carries (the digest's key names the set of them). */
  readonly nudgeId: string;
  /** Who it is addressed to (the e-mail digests go to those with an address). */
  readonly people: readonly UserProfile[];
  /** The robot it goes to: of its jurisdiction, or of the nearest one above that has one. */
  readonly robot?: (WebhookConfig & { readonly jurisdiction: string }) | undefined;
}

/**
 * How one job's digests read: its message kind, the run's slot (a month, a day: the digests of a
 * slot are computed alike by every run of it), the order of the entries and the words.
 */
export interface DigestFormat<E extends DigestEntry> {
  /** The digests' message kind on the deliveries page (`missed-digest`, `overdue-digest`). */
  readonly kind: string;
  /** The run's slot, in the digest's key. */
  readonly slot: string;
  readonly now: Date;
  /** The console page to look at them. */
  readonly link: string;
  readonly order: (a: E, b: E) => number;
  readonly robot: {
    readonly title: (list: readonly E[]) => string;
    /** The quoted line under the title. */
    readonly intro: string;
    /** One markdown list item: every name in it through `markdownText`. */
    readonly line: (entry: E) => string;
  };
  readonly email: {
    readonly subject: (list: readonly E[]) => string;
    /** The paragraph after the greeting. */
    readonly intro: string;
    readonly line: (entry: E, index: number) => string;
  };
}

/**
 * What a robot message may hold, in UTF-8 bytes, with a margin: WeCom's markdown `content` is at
 * most 4,096 bytes (errcode 40058 beyond); DingTalk takes about 20,000 characters, kept to 18,000
 * bytes so that no character count can exceed it.
 */
export const ROBOT_MARKDOWN_BYTES: Readonly<Record<WebhookConfig['kind'], number>> = {
  wecom: 4000,
  dingtalk: 18_000,
};
/** An e-mail's text: far under SES's 40 MB, and with its record far under DynamoDB's 400 KB item. */
const EMAIL_TEXT_BYTES = 100_000;
/** A digest whose delivery failed this often (three attempts per round) is taken out of the queue. */
export const DIGEST_MAX_ATTEMPTS = 30;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * A firm's or person's name as markdown text: characters that would make a link, an image, a
 * heading, emphasis, a quote or HTML (`<font>`) are replaced by their full-width forms, and line
 * breaks by spaces, so a name can only ever be text in its own list item.
 */
export const markdownText = (value: string) =>
  value
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_[\]()#<>!|~{}+=-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
    .slice(0, 200);

/** Packs lines into as few parts as keep `frame(lines, i, n)` within `limit` bytes each (a line too long alone is cut). */
const pack = <T>(items: readonly T[], line: (item: T) => string, room: number): T[][] => {
  const parts: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const size = Math.min(bytes(line(item)) + 1, room);
    if (current.length > 0 && used + size > room) {
      parts.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += size;
  }
  if (current.length > 0) parts.push(current);
  return parts;
};

/** Cuts a line to `max` bytes on a character boundary. */
const cut = (text: string, max: number) => {
  if (bytes(text) <= max) return text;
  let out = '';
  for (const ch of text) {
    if (bytes(out + ch) > max - 3) break;
    out += ch;
  }
  return `${out}…`;
};

const hashOf = (list: readonly DigestEntry[]) =>
  createHash('sha256')
    .update(list.map((n) => n.nudgeId).join('\n'))
    .digest('hex')
    .slice(0, 24);

export interface Digest {
  readonly key: Key;
  readonly item: Record<string, unknown>;
  readonly content: Content;
  readonly deliveries: Delivery[];
  readonly channel: 'email' | 'robot';
}

/**
 * A digest is a message like any other on the deliveries page (its id: what it is about, its kind
 * and occasion; its jurisdiction: the recipient's or the robot's), so it is listed while its
 * delivery is due or given up and can be retried there; it is sent by the job runs and their later
 * rounds (below), not by the deliveries function.
 */
const digest = <E extends DigestEntry>(
  format: DigestFormat<E>,
  channel: 'email' | 'robot',
  to: { readonly name: string; readonly jurisdiction: string },
  list: readonly E[],
  part: { index: number; of: number },
  content: Content,
  delivery: Delivery,
): Digest => {
  const id = keys.nudgeDigestId(format.kind, format.slot, channel, to.name, hashOf(list));
  const key = keys.message(id);
  const createdAt = format.now.toISOString();
  return {
    key,
    channel,
    content,
    deliveries: [delivery],
    item: {
      ...key,
      ...keys.nudgeDigestDue(createdAt, `${key.pk}#${key.sk}`),
      ...keys.messageScope({ ...id, jurisdiction: to.jurisdiction, status: 'pending', createdAt }),
      type: 'nudgeDigest',
      messageId: `${key.pk}#${key.sk}`,
      ...id,
      jurisdiction: to.jurisdiction,
      slot: format.slot,
      channel,
      to: to.name,
      part: part.index,
      parts: part.of,
      nudges: list.length,
      subject: content.subject,
      text: content.text,
      ...(content.markdown ? { markdown: content.markdown } : {}),
      createdAt,
      deliveries: [delivery],
    },
  };
};

const robotDigests = <E extends DigestEntry>(
  format: DigestFormat<E>,
  robot: DigestEntry['robot'] & object,
  list: readonly E[],
) => {
  const limit = ROBOT_MARKDOWN_BYTES[robot.kind];
  const title = format.robot.title(list);
  const line = (e: E) => cut(format.robot.line(e), limit - 600);
  const head = (index: number, of: number) =>
    `### ${title}${of > 1 ? `（${index}/${of}）` : ''}\n> ${format.robot.intro}\n`;
  const foot = `\n[在控制台查看](${format.link})`;
  // The frame's largest size (a part number up to 999/999), so packing never overflows it.
  const room = limit - bytes(head(999, 999)) - bytes(foot);
  const parts = pack([...list].sort(format.order), line, room);
  return parts.map((entries, i) => {
    const text = `${head(i + 1, parts.length)}${entries.map(line).join('\n')}${foot}`;
    const subject = `${title}${parts.length > 1 ? `（${i + 1}/${parts.length}）` : ''}`;
    const { jurisdiction, ...webhook } = robot;
    return digest(
      format,
      'robot',
      { name: jurisdiction, jurisdiction },
      entries,
      { index: i + 1, of: parts.length },
      { subject, text, markdown: { title: subject, text } },
      { channel: 'webhook', to: jurisdiction, webhook, status: 'pending', attempts: 0 },
    );
  });
};

const emailDigests = <E extends DigestEntry>(format: DigestFormat<E>, person: UserProfile, list: readonly E[]) => {
  const numbered = [...list].sort(format.order).map((e, i) => ({ e, text: format.email.line(e, i) }));
  const parts = pack(numbered, (x) => x.text, EMAIL_TEXT_BYTES);
  return parts.map((entries, i) => {
    const subject = `${format.email.subject(list)}${parts.length > 1 ? `（${i + 1}/${parts.length}）` : ''}`;
    const text = `${person.displayName ?? person.username}，您好：\n${format.email.intro}\n${entries
      .map((x) => x.text)
      .join('\n')}\n\n在控制台查看：${format.link}`;
    return digest(
      format,
      'email',
      { name: person.username, jurisdiction: person.jurisdiction },
      entries.map((x) => x.e),
      { index: i + 1, of: parts.length },
      { subject, text },
      { channel: 'email', to: person.email as string, status: 'pending', attempts: 0 },
    );
  });
};

/** A run's digests: one e-mail (rarely more parts) per person with an address, one or more parts per robot. */
export const digestsOf = <E extends DigestEntry>(format: DigestFormat<E>, entries: readonly E[]) => {
  const byPerson = new Map<string, { person: UserProfile; list: E[] }>();
  const byRobot = new Map<string, { robot: DigestEntry['robot'] & object; list: E[] }>();
  for (const n of entries) {
    for (const person of n.people) {
      if (!person.email) continue;
      const entry = byPerson.get(person.username) ?? { person, list: [] };
      entry.list.push(n);
      byPerson.set(person.username, entry);
    }
    if (n.robot) {
      const entry = byRobot.get(n.robot.jurisdiction) ?? { robot: n.robot, list: [] };
      entry.list.push(n);
      byRobot.set(n.robot.jurisdiction, entry);
    }
  }
  return {
    recipients: byPerson.size,
    robots: byRobot.size,
    email: [...byPerson.values()].flatMap(({ person, list }) => emailDigests(format, person, list)),
    robot: [...byRobot.values()].flatMap(({ robot, list }) => robotDigests(format, robot, list)),
  };
};

/** What a digest line of the `missed` job needs of one nudge of the run. */
export interface DigestNudge extends DigestEntry {
  readonly kind: NudgeKind;
  readonly county: string;
  readonly uscc: string;
  readonly firm: string;
  readonly liaison: string;
  readonly lastContactAt: string | null;
  readonly link: string;
}

export interface DigestContext {
  readonly month: string;
  readonly previous: string;
  readonly now: Date;
  /** The console page to look at the month's nudges. */
  readonly link: string;
}

const monthZh = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;

const lastContact = (n: DigestNudge, now: Date) => {
  if (!n.lastContactAt) return '无记录';
  const days = Math.max(0, Math.floor((now.getTime() - Date.parse(n.lastContactAt)) / 86_400_000));
  return `${shanghaiDate(new Date(n.lastContactAt))}（${days} 天前）`;
};

/** The `missed` run's digests: its missed and escalated pairings, by county, escalations last. */
export const missedDigests = (ctx: DigestContext, nudges: readonly DigestNudge[]) => {
  const escalations = (list: readonly DigestNudge[]) => list.filter((n) => n.kind === 'escalation').length;
  return digestsOf<DigestNudge>(
    {
      kind: 'missed-digest',
      slot: ctx.month,
      now: ctx.now,
      link: ctx.link,
      order: (a, b) =>
        a.county.localeCompare(b.county) ||
        (a.kind === b.kind ? 0 : a.kind === 'escalation' ? 1 : -1) ||
        a.firm.localeCompare(b.firm, 'zh') ||
        a.nudgeId.localeCompare(b.nudgeId),
      robot: {
        title: (list) =>
          `环保服务联络：${monthZh(ctx.month)}未走访或视频连线 ${list.length - escalations(list)} 家${
            escalations(list) > 0 ? `，连续两月 ${escalations(list)} 家` : ''
          }`,
        intro: `以下结对企业${monthZh(ctx.month)}没有走访或视频连线记录，请联络员尽快联系并登记。`,
        line: (n) =>
          `- **${markdownText(n.firm)}**（${nameOf(n.county)}）${n.kind === 'escalation' ? '【连续两月】' : ''}联络员 ${markdownText(n.liaison)}，最近走访或视频连线：${lastContact(n, ctx.now)}`,
      },
      email: {
        subject: (list) =>
          `【环保服务联络】${monthZh(ctx.month)}：${list.length} 条结对企业未走访或视频连线的提醒${
            escalations(list) > 0 ? `（其中连续两月 ${escalations(list)} 条）` : ''
          }`,
        intro: `${monthZh(ctx.month)}以下结对企业没有走访或视频连线记录，请尽快联系企业并登记，或督促落实：`,
        line: (n, i) =>
          `${i + 1}. ${n.firm}（${n.uscc}，${nameOf(n.county)}）${n.kind === 'escalation' ? `连续两个月（${monthZh(ctx.previous)}、${monthZh(ctx.month)}）` : ''}没有走访或视频连线。联络员：${n.liaison}；最近一次走访或视频连线：${lastContact(n, ctx.now)}。登记：${n.link}`,
      },
    },
    nudges,
  );
};

const contentOf = (item: Record<string, unknown>): Content => ({
  subject: String(item.subject ?? ''),
  text: String(item.text ?? ''),
  ...(item.markdown ? { markdown: item.markdown as { title: string; text: string } } : {}),
});

/** Whether a digest's one delivery needs no more rounds (sent, or given up on). */
const settled = (delivery: Delivery | undefined) =>
  delivery === undefined ||
  delivery.channel === 'inbox' ||
  delivery.status === 'sent' ||
  delivery.attempts >= DIGEST_MAX_ATTEMPTS;

/**
 * Where a digest stands once a round settled its delivery, written with the outcome: out of the
 * queue of later rounds and off the deliveries page once sent; out of the queue and on the page as
 * given up (`failed`, to be retried there) after DIGEST_MAX_ATTEMPTS; otherwise left as it is
 * (queued, and listed as pending).
 */
const placeAfter = (item: Record<string, unknown>, delivery: Delivery | undefined): SettleExtra => {
  if (!settled(delivery)) return {};
  if (delivery === undefined || delivery.channel === 'inbox' || delivery.status === 'sent')
    return { remove: ['parentPk', 'parentSk', 'scopePk', 'scopeSk'] };
  const id = { about: String(item.about), kind: String(item.kind), occasion: String(item.occasion) };
  return {
    remove: ['parentPk', 'parentSk'],
    set: keys.messageScope({
      ...id,
      jurisdiction: String(item.jurisdiction),
      status: 'failed',
      createdAt: String(item.createdAt),
    }),
  };
};

/**
 * Takes a settled digest out of the queue when no run holds its round (one left there by a run
 * that stopped between its send and its settle, taken over and found sent).
 */
const dequeue = async (key: Key) => {
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'REMOVE parentPk, parentSk',
        ConditionExpression:
          'attribute_exists(parentPk) AND attribute_not_exists(#round) AND (deliveries[0].#status = :sent OR deliveries[0].attempts >= :max)',
        ExpressionAttributeNames: { '#round': 'round', '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':max': DIGEST_MAX_ATTEMPTS },
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
};

export interface DigestTally {
  created: number;
  emailsSent: number;
  robotPostsSent: number;
  failed: number;
}

const count = (tally: DigestTally, channel: 'email' | 'robot', delivery: Delivery | undefined) => {
  if (delivery === undefined || delivery.channel === 'inbox') return;
  if (delivery.status === 'sent') {
    if (channel === 'email') tally.emailsSent++;
    else tally.robotPostsSent++;
  }
  if (delivery.status === 'failed') tally.failed++;
};

/**
 * A later round of a digest: its round claimed (nothing, if another run holds it; taken over once
 * stale), its delivery sent if due (deliveries.ts), and the outcome recorded with its place in the
 * queue and on the deliveries page in the write that hands the round back.
 */
const deliverOne = async (key: Key, known: readonly Delivery[], run: Run, tally: DigestTally) => {
  if (!known.some((d) => due(d, run))) {
    await dequeue(key);
    return;
  }
  const claimed = await claimRound(key, run);
  if (!claimed) return;
  const deliveries = claimed.deliveries ?? [];
  const outcomes = await sendDue(deliveries, contentOf(claimed.item), run);
  const [delivery] = withOutcomes(deliveries, outcomes);
  await settleRound(key, run, outcomes, placeAfter(claimed.item, delivery));
  if (outcomes.size > 0) count(tally, claimed.item.channel === 'email' ? 'email' : 'robot', delivery);
};

/**
 * Sends a digest this run has just created (holding its round from the Put on) and records the
 * outcome in one Update that hands the round back, with its place in the queue and on the
 * deliveries page: two requests per digest besides the send.
 */
const sendCreated = async (d: Digest, run: Run, tally: DigestTally) => {
  const outcomes = await sendDue(d.deliveries, d.content, run);
  const [delivery] = withOutcomes(d.deliveries, outcomes);
  await settleRound(d.key, run, outcomes, placeAfter(d.item, delivery));
  count(tally, d.channel, delivery);
};

/**
 * Creates the run's digests (each only if new: a re-run or a concurrent run computes the same ones)
 * and delivers each once: the run that creates a digest holds its round from the Put on (as job
 * messages do), any other run claims the round as every delivery round does. Robot parts go in
 * order of part number across robots, so one robot with many parts waiting for its pacing slots
 * does not hold back the first part of every other; waiting is idle, so more of them go at once.
 */
export const sendDigests = async (digests: readonly Digest[], run: Run): Promise<DigestTally> => {
  const tally: DigestTally = { created: 0, emailsSent: 0, robotPostsSent: 0, failed: 0 };
  const one = async (d: Digest) => {
    try {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...d.item, ...heldRound(run) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await deliverOne(d.key, d.deliveries, run, tally);
      return;
    }
    tally.created++;
    await sendCreated(d, run, tally);
  };
  const emails = digests.filter((d) => d.channel === 'email');
  const robots = digests.filter((d) => d.channel === 'robot').sort((a, b) => Number(a.item.part) - Number(b.item.part));
  await Promise.all([eachLimit(emails, 16, one), eachLimit(robots, 48, one)]);
  return tally;
};

/**
 * Sends a run's digests (`sendDigests`) and reports them beside the run's other sends (its nudges'
 * inbox and single deliveries): rule 11's measure is messages sent ≤ e-mail recipients + robot digests.
 */
export const sendRunDigests = async (
  digests: { readonly recipients: number; readonly email: readonly Digest[]; readonly robot: readonly Digest[] },
  run: Run,
  others: { readonly sent: number; readonly failed: number },
) => {
  const sent = await sendDigests([...digests.email, ...digests.robot], run);
  return {
    recipients: digests.recipients,
    emailDigests: digests.email.length,
    robotDigests: digests.robot.length,
    digestsCreated: sent.created,
    emailsSent: sent.emailsSent,
    robotPostsSent: sent.robotPostsSent,
    sent: others.sent + sent.emailsSent + sent.robotPostsSent,
    failed: others.failed + sent.failed,
  };
};

/**
 * A later delivery round: every digest still due, oldest first, until the queue is worked through
 * or `deadline` (epoch ms) passes; what is left is the next round's.
 */
export const deliverDueDigests = async (run: Run, deadline: number) => {
  const tally: DigestTally & { digests: number } = {
    created: 0,
    emailsSent: 0,
    robotPostsSent: 0,
    failed: 0,
    digests: 0,
  };
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'byParent',
        KeyConditionExpression: 'parentPk = :p',
        ExpressionAttributeValues: { ':p': keys.nudgeDigestsDue().parentPk },
        Limit: 100,
        ExclusiveStartKey: cursor,
      }),
    );
    await eachLimit(page.Items ?? [], 8, async (item) => {
      if (Date.now() >= deadline) return;
      tally.digests++;
      const key = { pk: String(item.pk), sk: String(item.sk) };
      await deliverOne(key, (item.deliveries as Delivery[] | undefined) ?? [], run, tally);
    });
    cursor = page.LastEvaluatedKey;
  } while (cursor && Date.now() < deadline);
  return tally;
};
