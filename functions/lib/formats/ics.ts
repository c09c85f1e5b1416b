/**
 * iCalendar (RFC 5545) for one booking: times in Asia/Shanghai with its VTIMEZONE,
 * CRLF line ends, text escaped and long lines folded at 75 octets.
 */

/**
 * TEXT (§3.3.11): backslash first, then `;` `,`; every line break a calendar might honour (CRLF, a
 * lone CR, a lone LF) becomes `\n`, since a bare CR or LF would end the property and let user text
 * start its own (an ATTENDEE, an END:VEVENT). Other control characters are not allowed in TEXT at
 * all and are dropped; a tab is allowed.
 */
const isControl = (char: string): boolean => {
  const code = char.charCodeAt(0);
  return (code < 0x20 && char !== '\t' && char !== '\n') || code === 0x7f;
};
export const escapeText = (value: string): string =>
  value
    .replace(/\r\n|\r|\n/g, '\n')
    .split('')
    .filter((char) => !isControl(char))
    .join('')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');

const fold = (line: string): string => {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  for (const char of line) {
    const limit = parts.length === 0 ? 75 : 74;
    if (Buffer.byteLength(current + char, 'utf8') > limit) {
      parts.push(current);
      current = char;
    } else current += char;
  }
  parts.push(current);
  return parts.join('\r\n ');
};

/** `2026-12-15T09:00:00+08:00` → `20261215T090000` (local time of the +08:00 offset). */
const localStamp = (iso: string): string => {
  const shifted = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return shifted.slice(0, 19).replace(/[-:]/g, '');
};
const utcStamp = (date: Date): string => `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

export interface CalendarEvent {
  readonly uid: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly summary: string;
  readonly description: string;
  readonly location: string;
  readonly url?: string;
  readonly cancelled?: boolean;
  /**
   * RFC 5545 §3.8.7.4: a calendar replaces the event it holds (same UID) only with a higher
   * sequence, so a cancellation must carry a higher one than the invitation it cancels.
   */
  readonly sequence: number;
  /**
   * The sender's address (RFC 5546 §3.2.5: a CANCEL without ORGANIZER is ignored by Outlook and
   * Apple Calendar, which honour a cancellation only from the event's organizer).
   */
  readonly organizer: { readonly name: string; readonly email: string };
  /** Minutes before the start a calendar alerts (VALARM); none on a cancellation. */
  readonly alarmMinutesBefore?: number;
}

/**
 * An address as a CAL-ADDRESS URI, from a plain address or `Name <address>` (how MAIL_FROM may be
 * written): anything that could end the value or the line is refused.
 */
const mailto = (from: string): string => {
  const email = /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from.trim();
  if (!/^[^\s"\\;:,<>]+@[^\s"\\;:,<>]+$/.test(email)) throw new Error('Organizer address is not a plain e-mail');
  return `mailto:${email}`;
};

/** A parameter value (RFC 5545 §3.2): quoted, without the quote, control characters or line breaks. */
const paramValue = (value: string): string =>
  `"${[...value].filter((c) => c !== '"' && !isControl(c) && c !== '\n').join('')}"`;

export const calendar = (event: CalendarEvent, now = new Date()): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Eco Liaison//Consultation day//ZH',
    'CALSCALE:GREGORIAN',
    `METHOD:${event.cancelled ? 'CANCEL' : 'PUBLISH'}`,
    'BEGIN:VTIMEZONE',
    'TZID:Asia/Shanghai',
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    'TZOFFSETFROM:+0800',
    'TZOFFSETTO:+0800',
    'TZNAME:CST',
    'END:STANDARD',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `DTSTAMP:${utcStamp(now)}`,
    `DTSTART;TZID=Asia/Shanghai:${localStamp(event.startsAt)}`,
    `DTEND;TZID=Asia/Shanghai:${localStamp(event.endsAt)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `LOCATION:${escapeText(event.location)}`,
    ...(event.url ? [`URL:${event.url}`] : []),
    `ORGANIZER;CN=${paramValue(event.organizer.name)}:${mailto(event.organizer.email)}`,
    `SEQUENCE:${Math.max(0, Math.trunc(event.sequence))}`,
    `STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    ...(!event.cancelled && event.alarmMinutesBefore !== undefined
      ? [
          'BEGIN:VALARM',
          'ACTION:DISPLAY',
          `TRIGGER:-PT${Math.max(0, Math.trunc(event.alarmMinutesBefore))}M`,
          `DESCRIPTION:${escapeText(event.summary)}`,
          'END:VALARM',
        ]
      : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ]
    .map(fold)
    .join('\r\n')
    .concat('\r\n');
