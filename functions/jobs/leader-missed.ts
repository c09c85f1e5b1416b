import { nameOf, parentOf } from '../../shared/jurisdictions.ts';
import { keys } from '../../shared/keys.ts';
import { isLeadHeld } from '../../shared/leader-visits.ts';
import { lastDayOf, type NudgeKind, periodBefore, quarterOf } from '../../shared/monthly.ts';
import type { JobEvent } from '../../shared/schedules.ts';
import type { WebhookConfig } from '../../shared/webhooks.ts';
import type { UserProfile } from '../lib/accounts/profiles.ts';
import { heldLevels, type LeadAccount, leadsUnder, quartersUnder, setLeaderCounts } from '../lib/leaders/visits.ts';
import { newRun } from '../lib/messaging/deliveries.ts';
import {
  consoleLink,
  createMany,
  deliverAll,
  deliveriesOfPeople,
  type Message,
  PARALLEL,
} from '../lib/messaging/job-messages.ts';
import {
  type DigestEntry,
  type DigestFormat,
  digestsOf,
  markdownText,
  sendRunDigests,
} from '../lib/messaging/nudge-digests.ts';
import { nudgeRecord } from '../lib/messaging/nudge-record.ts';
import { staffDirectory } from '../lib/messaging/recipients.ts';
import { nearestWebhook } from '../lib/messaging/webhooks.ts';
import { rollUp } from '../lib/pairings/counters.ts';
import { eachLimit } from '../lib/store/concurrency.ts';

/**
 * The leaders' quarterly field service (issue 19) on the monthly rule's engine with the period a
 * quarter: `leader-missed` runs on the first day of a quarter for the quarter before; every lead
 * held to it (shared/leader-visits.ts) without a field service gets one `missed` nudge and the
 * leads of the next level up one `escalation` nudge, each (lead, quarter, kind) created once by the
 * job messages' conditional claims, their e-mails and robot posts carried by the run's digests
 * (nudge-digests.ts), one per recipient. `leader-reminder` runs in the quarter's last month: one
 * reminder per held lead without a field service yet. "Now" is the scheduled time.
 */

const quarterZh = (quarter: string) => `${quarter.slice(0, 4)}年第${quarter.slice(6)}季度`;

/** One lead's nudge of the run, as a digest lists it. */
interface LeaderEntry extends DigestEntry {
  readonly kind: NudgeKind;
  readonly lead: string;
  readonly jurisdiction: string;
}

/** The run's digests: by jurisdiction, the leads' own nudges before their superiors' escalations. */
const leaderFormat = (quarter: string, now: Date, link: string): DigestFormat<LeaderEntry> => {
  const period = quarterZh(quarter);
  const escalations = (list: readonly LeaderEntry[]) => list.filter((e) => e.kind === 'escalation').length;
  const title = (list: readonly LeaderEntry[]) =>
    `${period}未带队开展环保服务的领导 ${list.length} 位${escalations(list) > 0 ? `（其中需督促下级 ${escalations(list)} 位）` : ''}`;
  const line = (e: LeaderEntry) =>
    `${e.lead}（${nameOf(e.jurisdiction)}）${e.kind === 'escalation' ? '【上级督促】' : ''}${period}未带队开展环保服务`;
  const intro = `以下领导${period}没有带队开展环保服务（每季度至少一次），请尽快安排并登记，或督促落实：`;
  return {
    kind: 'leader-missed-digest',
    slot: quarter,
    now,
    link,
    order: (a, b) =>
      a.jurisdiction.localeCompare(b.jurisdiction) ||
      (a.kind === b.kind ? 0 : a.kind === 'escalation' ? 1 : -1) ||
      a.nudgeId.localeCompare(b.nudgeId),
    robot: { title, intro, line: (e) => `- ${markdownText(line(e))}` },
    email: { subject: (list) => `【环保服务联络】${title(list)}`, intro, line: (e, i) => `${i + 1}. ${line(e)}` },
  };
};

/**
 * A lead's nudge record of a quarter, shaped as the monthly rule's (the lead stands where a pairing
 * does: `pairingId` is its subject, `month` the quarter) so the inbox, the deliveries page and the
 * nudge scope read both alike.
 */
const leaderNudge = (
  lead: LeadAccount,
  quarter: string,
  kind: NudgeKind,
  now: Date,
  deliveries: ReturnType<typeof deliveriesOfPeople>,
): Pick<Message, 'key' | 'item'> => {
  const { key, nudgeId, item } = nudgeRecord({
    subject: keys.leaderSubject(lead.username),
    period: quarter,
    kind,
    county: lead.jurisdiction,
    uscc: '',
    firmName: lead.displayName,
    liaison: lead.username,
    lastQualifyingContactAt: null,
    createdAt: now.toISOString(),
  });
  return { key, item: { ...item, rule: 'leader', messageId: nudgeId, leader: lead.username, quarter, deliveries } };
};

/** Counters of a quarter (absolute: a re-run writes the same) for every level, from counts by jurisdiction. */
const setCounts = (quarter: string, byCode: Map<string, Record<string, number>>) =>
  eachLimit([...rollUp(byCode)], PARALLEL, ([code, counts]) => setLeaderCounts(quarter, code, counts));

const heldBy = (
  leads: readonly LeadAccount[],
  fields: (visited: boolean) => Record<string, number>,
  visited: ReadonlySet<string>,
) => {
  const byCode = new Map<string, Record<string, number>>();
  for (const lead of leads) {
    const counts = byCode.get(lead.jurisdiction) ?? {};
    for (const [field, n] of Object.entries(fields(visited.has(lead.username))))
      counts[field] = (counts[field] ?? 0) + n;
    byCode.set(lead.jurisdiction, counts);
  }
  return byCode;
};

const profileOf = (lead: LeadAccount): UserProfile => ({
  username: lead.username,
  displayName: lead.displayName,
  email: lead.email,
  role: lead.role,
  jurisdiction: lead.jurisdiction,
});

/** The first day of a quarter: the quarter before is closed; each held lead without a field service is nudged. */
export const leaderMissed = async (_event: JobEvent, now: Date) => {
  const run = newRun();
  const current = quarterOf(now);
  const quarter = periodBefore(current);
  const levels = heldLevels();
  // Two reads of lists (accounts, the closed quarter's field services), whatever the number of leads.
  const [leads, visits] = await Promise.all([leadsUnder(), quartersUnder(quarter)]);
  const visited = new Set(visits.map((v) => v.username));
  const held = leads.filter((l) => isLeadHeld(l, quarter, levels));
  const opening = leads.filter((l) => isLeadHeld(l, current, levels));
  const missing = held.filter((l) => !visited.has(l.username));

  const directory = staffDirectory();
  const webhooks = new Map<string, Promise<WebhookConfig | undefined>>();
  const digestNudges: LeaderEntry[] = [];
  const link = consoleLink(`/staff/leader-visits/?quarter=${quarter}`);
  const message = async (lead: LeadAccount, kind: NudgeKind): Promise<Message | undefined> => {
    const upper = kind === 'escalation' ? await directory.nearestLeads(parentOf(lead.jurisdiction)) : undefined;
    if (kind === 'escalation' && !upper) return undefined;
    const people = kind === 'missed' ? [profileOf(lead)] : (upper?.leads ?? []);
    const robot = await nearestWebhook(kind === 'missed' ? lead.jurisdiction : (upper?.code as string), webhooks);
    const subject = keys.leaderSubject(lead.username);
    const nudgeId = `${subject}:${quarter}:${kind}`;
    const text =
      kind === 'missed'
        ? `${lead.displayName}：${quarterZh(quarter)}没有带队开展环保服务的记录（每季度至少一次）。请尽快安排并登记：${link}`
        : `${lead.displayName}（${lead.jurisdiction}）${quarterZh(quarter)}没有带队开展环保服务的记录，请督促落实：${link}`;
    digestNudges.push({ nudgeId, kind, lead: lead.displayName, jurisdiction: lead.jurisdiction, people, robot });
    return {
      // The inbox only: e-mail and robot carry the nudge in the run's digests.
      ...leaderNudge(
        lead,
        quarter,
        kind,
        now,
        deliveriesOfPeople(people).filter((d) => d.channel === 'inbox'),
      ),
      inboxFor: people.map((p) => p.username),
      content: {
        subject: `【环保服务联络】${lead.displayName}${quarterZh(quarter)}未带队开展环保服务`,
        text,
      },
      link,
    };
  };
  const messages = (
    await Promise.all(missing.flatMap((lead) => (['missed', 'escalation'] as const).map((k) => message(lead, k))))
  ).filter((m): m is Message => m !== undefined);
  const tally = { nudgesCreated: 0, sent: 0, failed: 0 };
  const counted = async () => {
    await Promise.all([
      setCounts(
        quarter,
        heldBy(held, (v) => ({ held: 1, missed: v ? 0 : 1 }), visited),
      ),
      setCounts(
        current,
        heldBy(opening, () => ({ held: 1 }), visited),
      ),
    ]);
  };
  const nudged = async () => {
    const stored = await createMany(messages, run);
    tally.nudgesCreated += stored.filter((s) => s.created).length;
    await deliverAll(stored, run, tally);
  };
  await Promise.all([counted(), nudged()]);
  const digests = digestsOf(leaderFormat(quarter, now, link), digestNudges);
  const sent = await sendRunDigests(digests, run, tally);
  return {
    quarter,
    leadsRead: leads.length,
    held: held.length,
    missed: missing.length,
    escalations: messages.filter((m) => m.item.kind === 'escalation').length,
    nudgesCreated: tally.nudgesCreated,
    ...sent,
  };
};

/** The quarter's last month: one reminder (inbox, e-mail) per held lead without a field service yet. */
export const leaderReminder = async (_event: JobEvent, now: Date) => {
  const run = newRun();
  const quarter = quarterOf(now);
  const levels = heldLevels();
  const [leads, visits] = await Promise.all([leadsUnder(), quartersUnder(quarter)]);
  const visited = new Set(visits.map((v) => v.username));
  const open = leads.filter((l) => isLeadHeld(l, quarter, levels) && !visited.has(l.username));
  const link = consoleLink(`/staff/leader-visits/?quarter=${quarter}`);
  const messages: Message[] = open.map((lead) => {
    return {
      ...leaderNudge(lead, quarter, 'reminder', now, deliveriesOfPeople([profileOf(lead)])),
      inboxFor: [lead.username],
      content: {
        subject: `【环保服务联络】${quarterZh(quarter)}还没有领导带队服务记录`,
        text: `${lead.displayName}，您好：${quarterZh(quarter)}您还没有带队开展环保服务的记录（每季度至少一次），请在${lastDayOf(quarter)}前完成并登记：${link}`,
      },
      link,
    };
  });
  const stored = await createMany(messages, run);
  const tally = { sent: 0, failed: 0 };
  await deliverAll(stored, run, tally);
  return {
    quarter,
    leadsRead: leads.length,
    open: open.length,
    nudgesCreated: stored.filter((s) => s.created).length,
    ...tally,
  };
};
