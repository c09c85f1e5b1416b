import { shanghaiParts } from '../../../shared/time.ts';
import type { UserProfile } from '../accounts/profiles.ts';
import type { staffDirectory } from '../messaging/recipients.ts';
import { liaisonsOfFirms } from '../pairings/pairings.ts';
import type { LedgerItem } from './ledger.ts';

/**
 * Who owns an item, for the nudges of the `overdue` job (late items, requests not taken up): while
 * its firm's county holds it, the liaison of the firm's pairing this service year; otherwise (handed
 * over), or without a pairing, the leads of the unit holding it.
 */
export const ownersOf = async (
  items: readonly Pick<LedgerItem, 'itemId' | 'uscc' | 'county' | 'holder'>[],
  now: Date,
  directory: ReturnType<typeof staffDirectory>,
) => {
  const home = items.filter((i) => i.holder === i.county);
  const liaisonOf = await liaisonsOfFirms(
    home.map((i) => i.uscc),
    shanghaiParts(now).year,
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
