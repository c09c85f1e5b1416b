import { type Day, getDay, type Slot } from './days.ts';

/** How long a process books from a day it read, before reading it again. */
const DAY_READ_MS = 5_000;
const recentDays = new Map<string, { at: number; found: { day: Day; slots: Slot[] } }>();

/**
 * A day and its slots as read for booking. Bookings come in bursts, and each read of the day costs
 * as much as a third of the booking; so a process books from a read a few seconds old (`cached`).
 * That is safe because the booking's transaction checks the day's version (every edit and the
 * cancellation change it) and the seats themselves; a read's seat counts only answer "full" at
 * once, and only from a fresh read.
 */
export const readDayForBooking = async (dayId: string, fresh: boolean) => {
  const hit = recentDays.get(dayId);
  if (!fresh && hit && Date.now() - hit.at < DAY_READ_MS) return { found: hit.found, cached: true };
  const found = await getDay(dayId);
  if (recentDays.size >= 500) recentDays.clear();
  if (found) recentDays.set(dayId, { at: Date.now(), found });
  else recentDays.delete(dayId);
  return { found, cached: false };
};
