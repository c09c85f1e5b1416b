import { keys } from '../../shared/keys.ts';
import type { JobEvent } from '../../shared/schedules.ts';
import { shanghaiDate, shanghaiParts } from '../../shared/time.ts';
import type { WebhookConfig } from '../../shared/webhooks.ts';
import type { UserProfile } from '../lib/accounts/profiles.ts';
import { type LedgerItem, overdueItems } from '../lib/ledger/ledger.ts';
import { nudgeTakeUp } from '../lib/ledger/take-up.ts';
import { newRun } from '../lib/messaging/deliveries.ts';
import {
  consoleLink,
  createMany,
  deliverAll,
  deliveriesFor,
  deliveriesOfPeople,
  type Message,
} from '../lib/messaging/job-messages.ts';
import { staffDirectory } from '../lib/messaging/recipients.ts';
import { liaisonsOfFirms } from '../lib/pairings/pairings.ts';

/**
 * The ledger's overdue rule (design rule 10). `overdue` runs daily at 09:00 Beijing: each open item
 * whose due date has passed nudges its owner once (inbox, e-mail, the unit's robot). It reads the
 * items due in the week before today, so a day the schedule missed is caught up, and the nudge's
 * conditional write keeps it to once. `ledger-digest` runs on Mondays: one digest per lead of every
 * overdue item its unit holds. Both read open items from the `byJudging` index (open items only, by
 * due date), never the whole ledger.
 */
const DAY_MS = 86_400_000;
const CATCH_UP_DAYS = 7;

const daysLate = (dueOn: string, today: string) =>
  Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dueOn}T00:00:00Z`)) / DAY_MS);

/**
 * Who owns an item: while its firm's county holds it, the liaison of the firm's pairing this service
 * year; otherwise (handed over), or without a pairing, the leads of the unit holding it.
 */
const ownersOf = async (items: readonly LedgerItem[], now: Date, directory: ReturnType<typeof staffDirectory>) => {
  const year = shanghaiParts(now).year;
  const home = items.filter((i) => i.holder === i.county);
  const liaisonOf = await liaisonsOfFirms(
    home.map((i) => i.uscc),
    year,
  );
  const profiles = await directory.profiles([...liaisonOf.values()]);
  const owners = new Map<string, UserProfile[]>();
  for (const item of items) {
    const username = item.holder === item.county ? liaisonOf.get(item.uscc) : undefined;
    const liaison = username !== undefined ? profiles.get(username) : undefined;
    owners.set(item.itemId, liaison ? [liaison] : ((await directory.nearestLeads(item.holder))?.leads ?? []));
  }
  return owners;
};

/** Daily: an overdue nudge to each item's owner, once, on the day it becomes overdue. */
export const overdue = async (_event: JobEvent, now: Date) => {
  const run = newRun();
  const today = shanghaiDate(now);
  const items = await overdueItems(today, now, shanghaiDate(new Date(now.getTime() - CATCH_UP_DAYS * DAY_MS)));
  const directory = staffDirectory();
  const webhooks = new Map<string, Promise<WebhookConfig | undefined>>();
  const owners = await ownersOf(items, now, directory);
  const messages = await Promise.all(
    items.map(async (item): Promise<Message> => {
      const people = owners.get(item.itemId) ?? [];
      const link = consoleLink(`/staff/ledger/item/?id=${item.itemId}`);
      return {
        key: keys.ledgerNudge(item.itemId, 'overdue'),
        item: {
          type: 'ledgerNudge',
          messageId: `${item.itemId}:overdue`,
          itemId: item.itemId,
          kind: 'overdue',
          dueOn: item.dueOn,
          createdAt: now.toISOString(),
          deliveries: await deliveriesFor(people, item.holder, webhooks),
        },
        inboxFor: people.map((p) => p.username),
        content: {
          subject: `【服务台账·已逾期】${item.firmName}：${item.title}`,
          text: `${item.firmName}（${item.uscc}）的台账事项“${item.title}”应于${item.dueOn}前办结，已逾期 ${daysLate(item.dueOn, today)} 天（承办：${item.ownerDepartment}）。请尽快办理：${link}`,
        },
        link,
      };
    }),
  );
  const stored = await createMany(messages, run);
  const tally = { sent: 0, failed: 0 };
  await deliverAll(stored, run, tally);
  await nudgeTakeUp(now); // a firm's request still not taken up past its take-up day (issue 16)
  return { day: today, overdue: items.length, nudgesCreated: stored.filter((s) => s.created).length, ...tally };
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
  const stored = await createMany(messages, run);
  const tally = { sent: 0, failed: 0 };
  await deliverAll(stored, run, tally);
  return {
    week: monday,
    overdue: items.length,
    leads: byLead.size,
    digestsCreated: stored.filter((s) => s.created).length,
    ...tally,
  };
};
