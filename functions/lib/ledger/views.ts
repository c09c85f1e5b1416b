import type { LEDGER_STATES } from '../../../shared/ledger.ts';
import { type PersonOf, staffNames } from '../accounts/names.ts';
import { type HistoryEntry, isOverdue, type LedgerItem } from './ledger.ts';

/**
 * Ledger items as the console reads them (`LedgerItemView`, `LedgerItemFull` of shared/ledger.ts):
 * the ledger's routes and a suggestion's acceptance answer an item the same way.
 */

type Moved = Pick<LedgerItem, 'createdBy' | 'lastMove'> & { history?: readonly HistoryEntry[] };

/**
 * Items with their people by name (issue 18): who raised each and who made each move, one lookup
 * for the whole answer. A firm's own move (`firm:<uscc>`) keeps its `by`, which the page words.
 */
const peopleOf = (i: Moved) => [i.createdBy, i.lastMove.by, ...(i.history ?? []).map((e) => e.by)];
const nameItem = <T extends Moved>(i: T, personOf: PersonOf) => {
  const move = (e: HistoryEntry) => ({ ...e, byName: personOf(e.by) });
  return {
    ...i,
    createdByName: personOf(i.createdBy),
    lastMove: move(i.lastMove),
    ...(i.history ? { history: i.history.map(move) } : {}),
  };
};
export const named = async <T extends Moved>(items: readonly T[]) => {
  const personOf = await staffNames(items.flatMap(peopleOf));
  return items.map((i) => nameItem(i, personOf));
};
export const namedOne = async <T extends Moved>(item: T) => nameItem(item, await staffNames(peopleOf(item)));

export const withOverdue = <T extends { state: (typeof LEDGER_STATES)[number]; dueOn: string }>(
  item: T,
  now: Date,
) => ({
  ...item,
  overdue: isOverdue(item, now),
});
