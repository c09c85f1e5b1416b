/**
 * The day fields both console day forms have (the new-day form of the list, the edit form of a day):
 * their problems, and their slot times as the API takes them.
 */
import type { MessageKey, Say } from '../kit/messages.ts';
import type { Problem } from './console.ts';

/** The controls of the day fields both console forms have. */
export interface DayControls {
  venue: HTMLElement;
  onlineUrl: HTMLElement;
  topics: HTMLElement;
  bookingClosesAt: HTMLElement;
}

const DAY_FIELD_MESSAGES: Record<keyof DayControls, MessageKey> = {
  venue: 'console.err.venue',
  onlineUrl: 'console.err.onlineUrl',
  topics: 'console.err.topics',
  bookingClosesAt: 'console.err.closes',
};

/**
 * A problem key of a day field both console forms have (`venue`, `onlineUrl`, `topics`,
 * `bookingClosesAt`) → its control and message; any other key → the key and the server's text.
 * The forms handle their own fields first and leave the rest to this.
 */
export const dayProblemFor = (m: Say, controls: DayControls, key: string, text?: string): Problem => {
  const head = key.split('.')[0] ?? '';
  if (Object.hasOwn(DAY_FIELD_MESSAGES, head)) {
    const field = head as keyof DayControls;
    return { control: controls[field], text: m(DAY_FIELD_MESSAGES[field]) };
  }
  return { text: text ? `${key}: ${text}` : m('error.VALIDATION_FAILED') };
};

/** `2026-12-15` + `09:00` → `2026-12-15T09:00:00+08:00`; an empty or malformed time gives an invalid string. */
export const slotIso = (date: string, time: string): string =>
  /^\d{2}:\d{2}$/.test(time) ? `${date}T${time}:00+08:00` : '';

/** Maps the English messages of `slotProblems` (and the server's) to a message key. */
export const slotMessageKey = (field: string, text: string | undefined): MessageKey => {
  if (text && /overlap/i.test(text)) return 'console.err.overlap';
  if (text && /inside the day/i.test(text)) return 'console.err.outside';
  if (field === 'capacity') return 'console.err.capacity';
  if (field === 'endsAt' || (text && /end after/i.test(text))) return 'console.err.end';
  return 'console.err.start';
};
