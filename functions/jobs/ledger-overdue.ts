import { keys } from '../../shared/keys.ts';
import type { JobEvent } from '../../shared/schedules.ts';
import { shanghaiDate } from '../../shared/time.ts';
import type { WebhookConfig } from '../../shared/webhooks.ts';
import type { UserProfile } from '../lib/accounts/profiles.ts';
import { tellFirmsOverdue } from '../lib/ledger/firm-overdue.ts';
import { type LedgerItem, overdueItems } from '../lib/ledger/ledger.ts';
import { ownersOf } from '../lib/ledger/owners.ts';
import { nudgeTakeUp } from '../lib/ledger/take-up.ts';
import { newRun } from '../lib/messaging/deliveries.ts';
import {
  consoleLink,
  createMany,
  deliverAll,
  deliveriesOfPeople,
  type Message,
  sendWeeklyDigests,
} from '../lib/messaging/job-messages.ts';
import {
  type DigestEntry,
  type DigestFormat,
  digestsOf,
  markdownText,
  sendRunDigests,
} from '../lib/messaging/nudge-digests.ts';
import { staffDirectory } from '../lib/messaging/recipients.ts';
import { nearestWebhook } from '../lib/messaging/webhooks.ts';

/**
 * The ledger's overdue rule (design rule 10). `overdue` runs daily at 09:00 Beijing: each open item
 * whose due date has passed gets one overdue nudge (an inbox entry for each of its owners), and
 * the run's digests carry the nudges it made outside: one e-mail per owner listing its newly
 * overdue items, one robot post per unit's robot (nudge-digests.ts: split within the platform's
 * size, paced under its 20 a minute, each digest sent once and retried by later rounds). It reads
 * the items due in the week before today, so a day the schedule missed is caught up, and the
 * nudge's conditional write keeps it to once. `ledger-digest` runs on Mondays: one digest per lead
 * of every overdue item its unit holds. Both read open items from the `byJudging` index (open
 * items only, by due date), never the whole ledger.
 */
const DAY_MS = 86_400_000;
const CATCH_UP_DAYS = 7;

const daysLate = (dueOn: string, today: string) =>
  Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dueOn}T00:00:00Z`)) / DAY_MS);

/** What an item is late to do by each kind of date: its due date, to be done (办结). */
const LATE_TO: Record<Late['kind'], string> = { overdue: '办结' };

/** An item late by one of its dates: its due date (`overdue`). */
export interface Late {
  readonly item: LedgerItem;
  readonly kind: 'overdue';
  /** The date it is late by (Shanghai YYYY-MM-DD). */
  readonly dateOn: string;
}

/** The open items past their due date (in the catch-up window), as late. */
const pastDue = async (today: string, now: Date): Promise<Late[]> =>
  (await overdueItems(today, now, shanghaiDate(new Date(now.getTime() - CATCH_UP_DAYS * DAY_MS)))).map((item) => ({
    item,
    kind: 'overdue',
    dateOn: item.dueOn,
  }));

/** A line of the run's digests: one late item. */
interface LateEntry extends DigestEntry {
  readonly late: Late;
  readonly link: string;
}

const lateFormat = (today: string, now: Date): DigestFormat<LateEntry> => {
  const line = ({ late: { item, dateOn, kind } }: LateEntry) =>
    `应${LATE_TO[kind]} ${dateOn}，逾期 ${daysLate(dateOn, today)} 天，承办：${item.ownerDepartment}`;
  return {
    kind: 'overdue-digest',
    slot: today,
    now,
    link: consoleLink('/staff/ledger/?overdue=true'),
    order: (a, b) =>
      a.late.dateOn.localeCompare(b.late.dateOn) ||
      a.late.item.firmName.localeCompare(b.late.item.firmName, 'zh') ||
      a.nudgeId.localeCompare(b.nudgeId),
    robot: {
      title: (list) => `服务台账：${today}新增 ${list.length} 项逾期未办结`,
      intro: '以下台账事项已过办结期限，请承办人尽快办理。',
      line: (e) =>
        `- **${markdownText(e.late.item.firmName)}**：${markdownText(e.late.item.title)}（${markdownText(line(e))}）`,
    },
    email: {
      subject: (list) => `【服务台账·已逾期】${today}新增 ${list.length} 项逾期未办结`,
      intro: `以下台账事项已过办结期限（截至${today}），请尽快办理：`,
      line: (e, i) =>
        `${i + 1}. ${e.late.item.firmName}（${e.late.item.uscc}）：${e.late.item.title}（${line(e)}）。办理：${e.link}`,
    },
  };
};

/**
 * Nudges late items: each one nudge (its inbox entries), once; then the run's digests of the
 * nudges made today (by this run, or by another run of the same day: every run of the day computes
 * the same digests, so each exists and goes out once; a run that stopped before its digests is
 * finished by running the day's job again).
 */
const nudgeLate = async (late: readonly Late[], today: string, now: Date) => {
  const run = newRun();
  const directory = staffDirectory();
  const webhooks = new Map<string, Promise<WebhookConfig | undefined>>();
  const owners = await ownersOf(
    late.map((l) => l.item),
    now,
    directory,
  );
  const entries = new Map<string, LateEntry>();
  const messages = await Promise.all(
    late.map(async (l): Promise<Message> => {
      const { item } = l;
      const people = owners.get(item.itemId) ?? [];
      const link = consoleLink(`/staff/ledger/item/?id=${item.itemId}`);
      const nudgeId = `${item.itemId}:${l.kind}`;
      entries.set(nudgeId, { nudgeId, people, robot: await nearestWebhook(item.holder, webhooks), late: l, link });
      return {
        key: keys.ledgerNudge(item.itemId, l.kind),
        item: {
          type: 'ledgerNudge',
          messageId: nudgeId,
          itemId: item.itemId,
          kind: l.kind,
          dueOn: l.dateOn,
          createdAt: now.toISOString(),
          // The inbox only: e-mail and robot carry the nudge in the run's digests.
          deliveries: deliveriesOfPeople(people).filter((d) => d.channel === 'inbox'),
        },
        inboxFor: people.map((p) => p.username),
        content: {
          subject: `【服务台账·已逾期】${item.firmName}：${item.title}`,
          text: `${item.firmName}（${item.uscc}）的台账事项“${item.title}”应于${l.dateOn}前${LATE_TO[l.kind]}，已逾期 ${daysLate(l.dateOn, today)} 天（承办：${item.ownerDepartment}）。请尽快办理：${link}`,
        },
        link,
      };
    }),
  );
  const stored = await createMany(messages, run);
  const tally = { sent: 0, failed: 0 };
  await deliverAll(stored, run, tally);
  const ofToday = stored.filter((s) => shanghaiDate(new Date(s.createdAt)) === today);
  const digests = digestsOf(
    lateFormat(today, now),
    ofToday.flatMap((s) => entries.get(String(s.message.item.messageId)) ?? []),
  );
  const sent = await sendRunDigests(digests, run, tally);
  return {
    nudgesCreated: stored.filter((s) => s.created).length,
    ...sent,
  };
};

/** Daily: each item past its due date nudged once, carried to its owners by the day's digests. */
export const overdue = async (_event: JobEvent, now: Date) => {
  const today = shanghaiDate(now);
  const late = [...(await pastDue(today, now))];
  const nudged = await nudgeLate(late, today, now);
  // The firm hears that its item stays open past its date (issue 16), once per item and date.
  const firmsTold = await tellFirmsOverdue(
    late.map((l) => l.item),
    now,
  );
  // A firm's request still not taken up past its take-up day (issue 16): a nudge of its own, once.
  return { day: today, overdue: late.length, ...nudged, firmsTold, takeUp: await nudgeTakeUp(now) };
};

/** The Monday of the week `day` (YYYY-MM-DD) falls in. */
export const mondayOf = (day: string) => {
  const at = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(at).getUTCDay() + 6) % 7;
  return new Date(at - weekday * DAY_MS).toISOString().slice(0, 10);
};

/** Weekly: one digest per lead of the overdue items its unit (or the nearest unit below with no lead) holds. */
export const ledgerDigest = async (_event: JobEvent, now: Date) => {
  const run = newRun();
  const today = shanghaiDate(now);
  const monday = mondayOf(today);
  const items = await overdueItems(today, now);
  const directory = staffDirectory();
  const byLead = new Map<string, { lead: UserProfile; items: LedgerItem[] }>();
  for (const item of items) {
    for (const lead of (await directory.nearestLeads(item.holder))?.leads ?? []) {
      const entry = byLead.get(lead.username) ?? { lead, items: [] };
      entry.items.push(item);
      byLead.set(lead.username, entry);
    }
  }
  const messages = [...byLead.values()].map(({ lead, items: list }): Message => {
    const sorted = [...list].sort((a, b) => a.dueOn.localeCompare(b.dueOn));
    const link = consoleLink('/staff/ledger/?overdue=true');
    const lines = sorted.map(
      (i, n) =>
        `${n + 1}. ${i.firmName}：${i.title}（应办结 ${i.dueOn}，逾期 ${daysLate(i.dueOn, today)} 天，${i.ownerDepartment}）`,
    );
    return {
      key: keys.ledgerDigest(lead.username, monday),
      item: {
        type: 'digest',
        messageId: `${lead.username}:${monday}:ledger`,
        lead: lead.username,
        week: monday,
        kind: 'ledger-digest',
        itemIds: sorted.map((i) => i.itemId),
        createdAt: now.toISOString(),
        deliveries: deliveriesOfPeople([lead]),
      },
      inboxFor: [lead.username],
      content: {
        subject: `【服务台账·周报】截至${today}共 ${sorted.length} 项逾期未办结`,
        text: `${lead.displayName ?? lead.username}，您好：截至${today}，您辖区以下台账事项已逾期未办结：\n${lines.join('\n')}\n${link}`,
      },
      link,
    };
  });
  return { week: monday, overdue: items.length, leads: byLead.size, ...(await sendWeeklyDigests(messages, run)) };
};
