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
import { type Content, type Delivery, deliver, heldRound, type Run, sendDue, withOutcomes } from './deliveries.ts';

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

/** What a digest line needs of one nudge of the run. */
export interface DigestNudge {
  readonly nudgeId: string;
  readonly kind: NudgeKind;
  readonly county: string;
  readonly uscc: string;
  readonly firm: string;
  readonly liaison: string;
  readonly lastContactAt: string | null;
  readonly link: string;
  /** Who it is addressed to (the e-mail digests go to those with an address). */
  readonly people: readonly UserProfile[];
  /** The robot it goes to: of its jurisdiction, or of the nearest one above that has one. */
  readonly robot?: (WebhookConfig & { readonly jurisdiction: string }) | undefined;
  /** The digest line, plain text, when the rule is not the monthly contact (the leaders' field service). */
  readonly line?: string | undefined;
}

export interface DigestContext {
  readonly month: string;
  readonly previous: string;
  readonly now: Date;
  /** The console page to look at the month's nudges. */
  readonly link: string;
  /** Titles and lead-ins of another rule on the same engine (default: the monthly contact's). */
  readonly wording?: DigestWording | undefined;
}

/** What a rule's digests say around their lines (`period`: 2026年11月, 2026年第4季度). */
export interface DigestWording {
  readonly title: (period: string, missed: number, escalations: number) => string;
  readonly intro: (period: string) => string;
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
/** A period in Chinese: `2026-11` → 2026年11月, `2026-Q4` → 2026年第4季度. */
const monthZh = (period: string) =>
  period.charAt(5) === 'Q'
    ? `${period.slice(0, 4)}年第${period.slice(6)}季度`
    : `${period.slice(0, 4)}年${Number(period.slice(5))}月`;

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

const lastContact = (n: DigestNudge, now: Date) => {
  if (!n.lastContactAt) return '无记录';
  const days = Math.max(0, Math.floor((now.getTime() - Date.parse(n.lastContactAt)) / 86_400_000));
  return `${shanghaiDate(new Date(n.lastContactAt))}（${days} 天前）`;
};

const ordered = (list: readonly DigestNudge[]) =>
  [...list].sort(
    (a, b) =>
      a.county.localeCompare(b.county) ||
      (a.kind === b.kind ? 0 : a.kind === 'escalation' ? 1 : -1) ||
      a.firm.localeCompare(b.firm, 'zh') ||
      a.nudgeId.localeCompare(b.nudgeId),
  );

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

const hashOf = (list: readonly DigestNudge[]) =>
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

const digest = (
  ctx: DigestContext,
  channel: 'email' | 'robot',
  to: string,
  list: readonly DigestNudge[],
  part: { index: number; of: number },
  content: Content,
  delivery: Delivery,
): Digest => {
  const key = keys.nudgeDigest(ctx.month, channel, to, hashOf(list));
  const createdAt = ctx.now.toISOString();
  return {
    key,
    channel,
    content,
    deliveries: [delivery],
    item: {
      ...key,
      ...keys.nudgeDigestDue(createdAt, key.pk),
      type: 'nudgeDigest',
      messageId: key.pk,
      month: ctx.month,
      channel,
      to,
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

const robotDigests = (ctx: DigestContext, robot: DigestNudge['robot'] & object, list: readonly DigestNudge[]) => {
  const limit = ROBOT_MARKDOWN_BYTES[robot.kind];
  const escalations = list.filter((n) => n.kind === 'escalation').length;
  const title = ctx.wording
    ? ctx.wording.title(monthZh(ctx.month), list.length - escalations, escalations)
    : `环保服务联络：${monthZh(ctx.month)}未走访或视频连线 ${list.length - escalations} 家${
        escalations > 0 ? `，连续两月 ${escalations} 家` : ''
      }`;
  const line = (n: DigestNudge) =>
    cut(
      n.line !== undefined
        ? `- ${markdownText(n.line)}`
        : `- **${markdownText(n.firm)}**（${nameOf(n.county)}）${n.kind === 'escalation' ? '【连续两月】' : ''}联络员 ${markdownText(n.liaison)}，最近走访或视频连线：${lastContact(n, ctx.now)}`,
      limit - 600,
    );
  const head = (index: number, of: number) =>
    `### ${title}${of > 1 ? `（${index}/${of}）` : ''}\n> ${ctx.wording ? ctx.wording.intro(monthZh(ctx.month)) : `以下结对企业${monthZh(ctx.month)}没有走访或视频连线记录，请联络员尽快联系并登记。`}\n`;
  const foot = `\n[在控制台查看](${ctx.link})`;
  // The frame's largest size (a part number up to 999/999), so packing never overflows it.
  const room = limit - bytes(head(999, 999)) - bytes(foot);
  const parts = pack(ordered(list), line, room);
  return parts.map((nudges, i) => {
    const text = `${head(i + 1, parts.length)}${nudges.map(line).join('\n')}${foot}`;
    const subject = `${title}${parts.length > 1 ? `（${i + 1}/${parts.length}）` : ''}`;
    const { jurisdiction, ...webhook } = robot;
    return digest(
      ctx,
      'robot',
      jurisdiction,
      nudges,
      { index: i + 1, of: parts.length },
      { subject, text, markdown: { title: subject, text } },
      { channel: 'webhook', to: jurisdiction, webhook, status: 'pending', attempts: 0 },
    );
  });
};

const emailDigests = (ctx: DigestContext, person: UserProfile, list: readonly DigestNudge[]) => {
  const escalations = list.filter((n) => n.kind === 'escalation').length;
  const line = (n: DigestNudge, i: number) =>
    n.line !== undefined
      ? `${i + 1}. ${n.line}`
      : `${i + 1}. ${n.firm}（${n.uscc}，${nameOf(n.county)}）${n.kind === 'escalation' ? `连续两个月（${monthZh(ctx.previous)}、${monthZh(ctx.month)}）` : ''}没有走访或视频连线。联络员：${n.liaison}；最近一次走访或视频连线：${lastContact(n, ctx.now)}。登记：${n.link}`;
  const numbered = ordered(list).map((n, i) => ({ n, text: line(n, i) }));
  const parts = pack(numbered, (x) => x.text, EMAIL_TEXT_BYTES);
  return parts.map((entries, i) => {
    const subject = `【环保服务联络】${
      ctx.wording
        ? ctx.wording.title(monthZh(ctx.month), list.length - escalations, escalations)
        : `${monthZh(ctx.month)}：${list.length} 条结对企业未走访或视频连线的提醒${
            escalations > 0 ? `（其中连续两月 ${escalations} 条）` : ''
          }`
    }${parts.length > 1 ? `（${i + 1}/${parts.length}）` : ''}`;
    const text = `${person.displayName ?? person.username}，您好：\n${
      ctx.wording
        ? ctx.wording.intro(monthZh(ctx.month))
        : `${monthZh(ctx.month)}以下结对企业没有走访或视频连线记录，请尽快联系企业并登记，或督促落实：`
    }\n${entries.map((e) => e.text).join('\n')}\n\n在控制台查看：${ctx.link}`;
    return digest(
      ctx,
      'email',
      person.username,
      entries.map((e) => e.n),
      { index: i + 1, of: parts.length },
      { subject, text },
      { channel: 'email', to: person.email as string, status: 'pending', attempts: 0 },
    );
  });
};

/** The run's digests: one e-mail (rarely more parts) per person with an address, one or more parts per robot. */
export const digestsOf = (ctx: DigestContext, nudges: readonly DigestNudge[]) => {
  const byPerson = new Map<string, { person: UserProfile; list: DigestNudge[] }>();
  const byRobot = new Map<string, { robot: DigestNudge['robot'] & object; list: DigestNudge[] }>();
  for (const n of nudges) {
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
    email: [...byPerson.values()].flatMap(({ person, list }) => emailDigests(ctx, person, list)),
    robot: [...byRobot.values()].flatMap(({ robot, list }) => robotDigests(ctx, robot, list)),
  };
};

const contentOf = (item: Record<string, unknown>): Content => ({
  subject: String(item.subject ?? ''),
  text: String(item.text ?? ''),
  ...(item.markdown ? { markdown: item.markdown as { title: string; text: string } } : {}),
});

/** Takes a digest out of the queue once its delivery went out or was given up, only while no run holds its round. */
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

/** One round of a digest: claimed, sent if due (deliveries.ts), recorded, and out of the queue once settled. */
const deliverOne = async (
  key: Key,
  deliveries: readonly Delivery[],
  content: Content,
  run: Run,
  tally: DigestTally,
) => {
  const result = await deliver(key, deliveries, content, run);
  if (deliveries[0]?.channel === 'email') tally.emailsSent += result.sent;
  else tally.robotPostsSent += result.sent;
  tally.failed += result.failed;
  await dequeue(key);
};

/** Whether a digest's one delivery needs no more rounds (sent, or given up on). */
const settled = (delivery: Delivery | undefined) =>
  delivery === undefined ||
  delivery.channel === 'inbox' ||
  delivery.status === 'sent' ||
  delivery.attempts >= DIGEST_MAX_ATTEMPTS;

/**
 * Sends a digest this run has just created (holding its round from the Put on) and records the
 * outcome in one Update that hands the round back, and takes the digest out of the queue when it
 * needs no later round: two requests per digest besides the send.
 */
const sendCreated = async (d: Digest, run: Run, tally: DigestTally) => {
  const outcomes = await sendDue(d.deliveries, d.content, run);
  const [delivery] = withOutcomes(d.deliveries, outcomes);
  const done = settled(delivery);
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: d.key,
      UpdateExpression: `SET deliveries = :d REMOVE #round, roundAt${done ? ', parentPk, parentSk' : ''}`,
      ConditionExpression: '#round = :run',
      ExpressionAttributeNames: { '#round': 'round' },
      ExpressionAttributeValues: { ':d': [delivery], ':run': run.id },
    }),
  );
  const sent = delivery?.channel !== 'inbox' && delivery?.status === 'sent' ? 1 : 0;
  if (d.channel === 'email') tally.emailsSent += sent;
  else tally.robotPostsSent += sent;
  if (delivery?.channel !== 'inbox' && delivery?.status === 'failed') tally.failed++;
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
      await deliverOne(d.key, d.deliveries, d.content, run, tally);
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
      await deliverOne(key, (item.deliveries as Delivery[] | undefined) ?? [], contentOf(item), run, tally);
    });
    cursor = page.LastEvaluatedKey;
  } while (cursor && Date.now() < deadline);
  return tally;
};
