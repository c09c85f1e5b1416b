import { parentOf } from '../../shared/jurisdictions.ts';
import { keys } from '../../shared/keys.ts';
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
import type { UserProfile } from '../lib/accounts/profiles.ts';
import { enterpriseNames } from '../lib/enterprises/enterprises.ts';
import { type Content, newRun } from '../lib/messaging/deliveries.ts';
import {
  consoleLink,
  createMany,
  deliverAll,
  deliveriesOfPeople,
  type Message,
  PARALLEL,
} from '../lib/messaging/job-messages.ts';
import { type DigestNudge, missedDigests, sendRunDigests } from '../lib/messaging/nudge-digests.ts';
import { nudgeRecord } from '../lib/messaging/nudge-record.ts';
import { staffDirectory } from '../lib/messaging/recipients.ts';
import { nearestWebhook } from '../lib/messaging/webhooks.ts';
import { putReminders } from '../lib/pairings/compliance.ts';
import { rollUp, setMonthCounts } from '../lib/pairings/counters.ts';
import { eachPairingNotEndedBy, type Judgeable, pairingsNotEndedBy } from '../lib/pairings/pairings.ts';
import { eachLimit } from '../lib/store/concurrency.ts';

/**
 * The monthly-contact rule's jobs (design rules 4-7). `missed` runs on day 1 for the month before:
 * every judged pairing without a qualifying contact gets one `missed` nudge (liaison and its lead),
 * a second missed month in a row one `escalation` (the next lead up). `reminder` runs on the
 * reminder day: one digest per liaison of its pairings not contacted yet. "Now" is the scheduled
 * time. Each (pairing, month, kind) nudge is created once with a conditional transaction, with an
 * inbox entry per person it is addressed to; its outside channels are the run's digests
 * (nudge-digests.ts): one e-mail per person listing all its nudges, one robot message per robot
 * (in parts within the platform's size, paced), each delivered once (deliveries.ts).
 */

const monthZh = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;
const lastContactZh = (p: Pick<Judgeable, 'lastQualifyingContactAt'>) =>
  p.lastQualifyingContactAt ? shanghaiDate(new Date(p.lastQualifyingContactAt)) : '无';

/**
 * Sets a month's counters (absolute: a re-run writes the same) for every level, from counts by
 * county. They are decided by the same read that decides the nudges, so they are written once per
 * jurisdiction here rather than in each nudge's transaction, where every nudge of a province would
 * contend for the same counter items.
 */
const setCounts = (month: string, byCounty: Map<string, Record<string, number>>) =>
  eachLimit([...rollUp(byCounty)], PARALLEL, ([code, counts]) => setMonthCounts(month, code, counts));

/** What a nudge needs of a missed pairing (the rest of what the index gave is dropped as pages arrive). */
type Missed = Pick<Judgeable, 'pairingId' | 'uscc' | 'county' | 'liaison' | 'lastQualifyingContactAt'>;

/** Missed pairings handled per step: their messages built, created, delivered and settled together. */
const STEP = 500;

/** Day 1: the month before is closed; missed pairings are nudged, repeats escalated. */
export const missed = async (_event: JobEvent, now: Date) => {
  const run = newRun();
  const month = monthBefore(monthOf(now));
  const previous = monthBefore(month);
  const current = monthOf(now);
  // By county: the closed month's judged and missed, the opening month's judged.
  const closing = new Map<string, { judged: number; missed: number }>();
  const opening = new Map<string, { judged: number }>();
  const missing: Missed[] = [];
  const repeated = new Set<string>();
  let pairingsRead = 0;
  // One pass over the index: counts, and only the missed pairings kept.
  await eachPairingNotEndedBy(lastDayOf(month), (p) => {
    pairingsRead++;
    // Not ended within the opening month: a pairing the year roll-over ends on 1 January is judged in December.
    const endsAfter = p.endedOn === null || p.endedOn > lastDayOf(current);
    if (p.startsOn <= firstDayOf(current) && endsAfter && p.status === 'active') {
      const counts = opening.get(p.county) ?? { judged: 0 };
      opening.set(p.county, { judged: counts.judged + 1 });
    }
    if (!isJudged(p, month)) return;
    const counts = closing.get(p.county) ?? { judged: 0, missed: 0 };
    closing.set(p.county, counts);
    counts.judged++;
    if (wasContacted(p, month)) return;
    counts.missed++;
    const { pairingId, uscc, county, liaison, lastQualifyingContactAt } = p;
    missing.push({ pairingId, uscc, county, liaison, lastQualifyingContactAt });
    if (isJudged(p, previous) && !wasContacted(p, previous)) repeated.add(pairingId);
  });

  const directory = staffDirectory();
  const webhooks = new Map<string, Promise<WebhookConfig | undefined>>();
  const tally = { nudgesCreated: 0, sent: 0, failed: 0 };
  // What the digests need of each nudge of the run, whoever created it (an earlier or concurrent
  // run of the same slot computes the same list, so the same digests).
  const digestNudges: DigestNudge[] = [];
  const message = async (
    p: Missed,
    kind: NudgeKind,
    firm: string,
    liaison: UserProfile | undefined,
  ): Promise<Message> => {
    const countyLead = await directory.nearestLeads(p.county);
    const upper =
      kind === 'escalation' ? await directory.nearestLeads(countyLead && parentOf(countyLead.code)) : undefined;
    const people =
      kind === 'missed' ? [...(liaison ? [liaison] : []), ...(countyLead?.leads ?? [])] : (upper?.leads ?? []);
    const webhookAt = kind === 'missed' ? p.county : upper?.code;
    const robot = webhookAt ? await nearestWebhook(webhookAt, webhooks) : undefined;
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
    const nudgeId = `${p.pairingId}:${month}:${kind}`;
    digestNudges.push({
      nudgeId,
      kind,
      county: p.county,
      uscc: p.uscc,
      firm,
      liaison: liaison?.displayName ?? p.liaison,
      lastContactAt: p.lastQualifyingContactAt,
      link,
      people,
      robot,
    });
    const record = nudgeRecord({
      subject: p.pairingId,
      period: month,
      kind,
      county: p.county,
      uscc: p.uscc,
      firmName: firm,
      liaison: p.liaison,
      lastQualifyingContactAt: p.lastQualifyingContactAt,
      createdAt: now.toISOString(),
    });
    return {
      key: record.key,
      item: {
        ...record.item,
        messageId: nudgeId,
        // The inbox only: e-mail and robot carry the nudge in the run's digests.
        deliveries: deliveriesOfPeople(people).filter((d) => d.channel === 'inbox'),
      },
      inboxFor: people.map((person) => person.username),
      content,
      link,
    };
  };
  const steps: Missed[][] = [];
  for (let start = 0; start < missing.length; start += STEP) steps.push(missing.slice(start, start + STEP));
  const nudgeStep = async (step: Missed[]) => {
    const [names, liaisons] = await Promise.all([
      enterpriseNames(step.map((p) => p.uscc)),
      directory.profiles([...new Set(step.map((p) => p.liaison))]),
    ]);
    const messages = await Promise.all(
      step.flatMap((p) => {
        const firm = names.get(p.uscc) ?? p.uscc;
        const kinds: NudgeKind[] = repeated.has(p.pairingId) ? ['missed', 'escalation'] : ['missed'];
        return kinds.map((kind) => message(p, kind, firm, liaisons.get(p.liaison)));
      }),
    );
    const stored = await createMany(messages, run);
    tally.nudgesCreated += stored.filter((m) => m.created).length;
    await deliverAll(stored, run, tally);
  };
  // The counters are written while the nudges are made (nothing here reads them), and two steps go
  // at a time, so one step's nudges are written while the other's go out.
  await Promise.all([setCounts(month, closing), setCounts(current, opening), eachLimit(steps, 2, nudgeStep)]);
  // Then the digests, once every nudge exists (its inbox entries with it).
  const digests = missedDigests(
    { month, previous, now, link: consoleLink(`/staff/compliance/?month=${month}`) },
    digestNudges,
  );
  const digestsStarted = Date.now();
  const sent = await sendRunDigests(digests, run, tally);
  // Wall time of the digests (robot parts wait for their pacing slots: a robot's n-th part goes
  // about 3.5 s × (n − 1) after its first).
  const digestsMs = Date.now() - digestsStarted;
  return {
    month,
    pairingsRead,
    judged: [...closing.values()].reduce((a, b) => a + b.judged, 0),
    missed: missing.length,
    escalations: repeated.size,
    nudgesCreated: tally.nudgesCreated,
    // Rule 11's measure: messages sent by a run ≤ distinct e-mail recipients + robot digests.
    digestsMs,
    ...sent,
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
    // The (pairing, month, reminder) records, each pointing at the digest that carries it, written
    // before the digest: their keys and content are the same for the same scheduled time, so a run
    // that stops in between leaves nothing the next run would not write again.
    await putReminders(list, { month, digest: `${username}:${month}`, names, at: now.toISOString() });
    const [stored] = await createMany(
      [
        {
          key: keys.digest(username, month),
          item: {
            type: 'digest',
            messageId: `${username}:${month}:reminder`,
            liaison: username,
            month,
            kind: 'reminder',
            pairingIds: list.map((p) => p.pairingId),
            createdAt: now.toISOString(),
            deliveries: person ? deliveriesOfPeople([person]) : [{ channel: 'inbox', to: username, status: 'sent' }],
          },
          inboxFor: [username],
          content,
          link,
        },
      ],
      run,
    );
    if (stored?.created) {
      tally.digestsCreated++;
      tally.nudgesCreated += list.length;
    }
    if (stored) await deliverAll([stored], run, tally);
  });
  return { month, pairingsRead: pairings.length, open: open.length, liaisons: byLiaison.size, ...tally };
};
