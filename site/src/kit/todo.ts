/**
 * A liaison's "still to contact this month" list (rule 5): its active pairings started by the
 * month's first day with no visit or video call yet that month, the longest unvisited first. The
 * console home lists them; the contact form goes on to the next one after saving (issue 20).
 */
import { firstDayOf } from '../../../shared/monthly.ts';
import type { Pairing } from '../../../shared/pairing-views.ts';

export const stillToContact = (pairings: Pairing[], month: string): Pairing[] =>
  pairings
    .filter(
      (p) => p.status === 'active' && p.startsOn <= firstDayOf(month) && !(p.qualifyingMonths ?? []).includes(month),
    )
    .sort(
      (a, b) =>
        (a.lastQualifyingContactAt ?? '').localeCompare(b.lastQualifyingContactAt ?? '') ||
        a.uscc.localeCompare(b.uscc),
    );
