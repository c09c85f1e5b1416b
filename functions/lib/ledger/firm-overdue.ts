import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ledgerOverdue } from '../../../shared/messages/outgoing.ts';
import { readStored } from '../enterprises/enterprises.ts';
import { firmDeliveries, messagePut } from '../messaging/outgoing.ts';
import { eachLimit } from '../store/concurrency.ts';
import { db } from '../store/table.ts';
import type { LedgerItem } from './ledger.ts';

/**
 * Issue 16, "tell the firm": when one of its items stays open past its date, the firm hears it, with
 * what staff last wrote on the item (the explanation) when they wrote anything after raising it. The
 * overdue job records one message per item and due date (`ledger:<id>`, kind `item-overdue`, occasion
 * the due date): the record's own condition keeps it to exactly one, whether the job runs once, twice
 * or twice at once, and a run that stopped half way is finished by the next (its catch-up window).
 * A due date moved later and missed again is told again; the same date never twice. The message is
 * delivered like every other, by the deliveries' retried rounds (rule 11), e-mail and text message.
 */

/** The message's personal data (the firm's addresses) is kept this long: 30 days. */
const KEEP_S = 30 * 86_400;

/** What staff last wrote on the item, unless the newest entry is its raising (the firm's own words then). */
export const explanationOf = (item: Pick<LedgerItem, 'lastMove'>): string | null =>
  item.lastMove && item.lastMove.from !== null && item.lastMove.note.trim() ? item.lastMove.note.trim() : null;

/** Records the firm's message for each late item (none for a firm with no contact); answers how many are new. */
export const tellFirmsOverdue = async (items: readonly LedgerItem[], now: Date) => {
  const firms = new Map((await readStored([...new Set(items.map((i) => i.uscc))])).map((s) => [s.uscc, s.view]));
  let told = 0;
  await eachLimit(items, 8, async (item) => {
    const contacts = firms.get(item.uscc)?.contacts ?? [];
    const deliveries = firmDeliveries({
      email: contacts.find((c) => c.email)?.email,
      mobile: contacts.find((c) => c.mobile)?.mobile,
    });
    if (deliveries.length === 0) return;
    const { Put } = messagePut(
      {
        about: `ledger:${item.itemId}`,
        kind: 'item-overdue',
        occasion: item.dueOn,
        jurisdiction: item.county,
        content: ledgerOverdue(item.title, item.dueOn, explanationOf(item)),
        deliveries,
        expiresAt: Math.floor(now.getTime() / 1000) + KEEP_S,
      },
      now,
    );
    try {
      await db().send(new PutCommand(Put));
      told += 1;
    } catch (error) {
      // Told already (another run, or this one before a crash): the one message stands.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  });
  return told;
};
