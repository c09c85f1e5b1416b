import { keys } from '../../../shared/keys.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { newRun } from '../messaging/deliveries.ts';
import { consoleLink, createMany, deliverAll, deliveriesOfPeople, type Message } from '../messaging/job-messages.ts';
import { staffDirectory } from '../messaging/recipients.ts';
import { batchGet, fromItem, queryAll } from '../store/table.ts';
import type { LedgerItem } from './ledger.ts';
import { ownersOf } from './owners.ts';

/**
 * A firm's request is promised a take-up within 2 working days (functions/lib/firms/requests.ts). Run
 * by the daily `overdue` job: every request still `collected` after its take-up day nudges the
 * firm's liaison (inbox and e-mail; the unit's leads when the firm has no liaison this year) once,
 * by the job-message claim on `LEDGERNUDGE#<id>` / `take-up`, however often the job runs. It reads
 * the markers whose day lies in the week before today, so a day the schedule missed is caught up.
 */
const DAY_MS = 86_400_000;
const CATCH_UP_DAYS = 7;

type Request = LedgerItem & { takeUpBy: string };

/** Requests past their take-up day (in the catch-up week) and still `collected`, read whole. */
export const requestsNotTakenUp = async (now: Date): Promise<Request[]> => {
  const today = shanghaiDate(now);
  const since = shanghaiDate(new Date(now.getTime() - CATCH_UP_DAYS * DAY_MS));
  const markers = await queryAll({
    IndexName: 'byJudging',
    // `<day>#<id>` BETWEEN `<since>` AND `<today>`: every day from `since` up to yesterday.
    KeyConditionExpression: 'judgePk = :p AND judgeSk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':p': keys.ledgerTakeUpPartition().judgePk, ':from': since, ':to': today },
  });
  const ids = markers.map((m) => String(m.judgeSk).split('#')[1] ?? '').filter((id) => id !== '');
  const items = await batchGet(ids.map((id) => keys.ledgerItem(id)));
  return items
    .map((i) => fromItem<Request>(i))
    .filter(
      (i) => i.source === 'firm' && i.state === 'collected' && typeof i.takeUpBy === 'string' && i.takeUpBy < today,
    );
};

/** The take-up nudges of a day: one per request not taken up, exactly once across runs. */
export const nudgeTakeUp = async (now: Date) => {
  const run = newRun();
  const items = await requestsNotTakenUp(now);
  const directory = staffDirectory();
  const owners = await ownersOf(items, now, directory);
  const messages = items.map((item): Message => {
    const people = owners.get(item.itemId) ?? [];
    const link = consoleLink(`/staff/ledger/item/?id=${item.itemId}`);
    return {
      key: keys.ledgerNudge(item.itemId, 'take-up'),
      item: {
        type: 'ledgerNudge',
        messageId: `${item.itemId}:take-up`,
        itemId: item.itemId,
        kind: 'take-up',
        takeUpBy: item.takeUpBy,
        createdAt: now.toISOString(),
        deliveries: deliveriesOfPeople(people),
      },
      inboxFor: people.map((p) => p.username),
      content: {
        subject: `【企业诉求·待受理】${item.firmName}：${item.title}`,
        text: `${item.firmName}（${item.uscc}）自报的困难“${item.title}”应于${item.takeUpBy}前受理，至今仍未受理；请尽快联系企业并受理（答复期限 ${item.dueOn}）：${link}`,
      },
      link,
    };
  });
  const stored = await createMany(messages, run);
  const tally = { sent: 0, failed: 0 };
  await deliverAll(stored, run, tally);
  return { notTakenUp: items.length, takeUpNudges: stored.filter((s) => s.created).length, ...tally };
};
