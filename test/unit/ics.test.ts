import { describe, expect, it } from 'vitest';
import { bookingCalendar } from '../../functions/lib/consultation/booking-views.ts';
import type { Booking } from '../../functions/lib/consultation/bookings.ts';
import type { Day, Slot } from '../../functions/lib/consultation/days.ts';
import { calendar } from '../../functions/lib/formats/ics.ts';

/** RFC 5545 §3.1: unfold (CRLF + one space or tab), split into content lines. */
const contentLines = (ics: string) =>
  ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .slice(0, -1);

/** RFC 5545 §3.3.11: TEXT unescaped. */
const unescapeText = (value: string) =>
  value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/** A control character TEXT may not hold (tab and the escaped line break aside). */
const isControl = (c: string) => (c.charCodeAt(0) < 0x20 && c !== '\t' && c !== '\n') || c.charCodeAt(0) === 0x7f;

const propertyText = (ics: string, name: string) => {
  const line = contentLines(ics).find((l) => l.startsWith(`${name}:`));
  return line === undefined ? undefined : unescapeText(line.slice(name.length + 1));
};

/** Text that tries to end the property and start its own (a lone CR, a lone LF, CRLF), with every TEXT special. */
const HOSTILE = [
  'A\rATTENDEE:mailto:evil@example.com',
  'B\nBEGIN:VALARM',
  'C\r\nEND:VEVENT',
  'semi;colon,comma\\back\\nslash',
  '控制\u0000字符\u0007\u001b\u007f',
  `${'长'.repeat(60)}🙂${'x'.repeat(200)}`,
].join(' | ');

const assertWellFormed = (ics: string) => {
  // Every line ends in CRLF: no CR or LF anywhere else.
  expect(ics.endsWith('\r\n')).toBe(true);
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  // No control character other than the line ends (RFC 5545 excludes CTLs from TEXT).
  expect([...ics.replace(/\r\n/g, '')].filter((c) => c === '\n' || isControl(c))).toEqual([]);
  // Folded at 75 octets, never inside a UTF-8 character.
  for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  // VCALENDAR, VTIMEZONE, STANDARD, VEVENT and our one VALARM only, and no property the text tried to smuggle in.
  const lines = contentLines(ics);
  expect(lines.filter((l) => l.startsWith('BEGIN:'))).toEqual([
    'BEGIN:VCALENDAR',
    'BEGIN:VTIMEZONE',
    'BEGIN:STANDARD',
    'BEGIN:VEVENT',
    'BEGIN:VALARM',
  ]);
  expect(lines.filter((l) => l.startsWith('END:'))).toHaveLength(5);
  const names = lines.map((l) => l.split(/[:;]/)[0]);
  expect(names).not.toContain('ATTENDEE');
  expect(names.filter((n) => n === 'ORGANIZER')).toHaveLength(1);
};

describe('ics: user text cannot break out of its property (RFC 5545 §3.1, §3.3.11)', () => {
  it('a lone CR, a lone LF, CRLF, commas, semicolons, backslashes and control characters stay inside the value', () => {
    // Prepare
    const event = {
      uid: 'ABC@eco-liaison',
      startsAt: '2026-12-15T09:00:00+08:00',
      endsAt: '2026-12-15T10:00:00+08:00',
      summary: HOSTILE,
      description: HOSTILE,
      location: HOSTILE,
      sequence: 1,
      organizer: { name: HOSTILE, email: 'no-reply@example.com' },
      alarmMinutesBefore: 60,
    };
    // Act
    const ics = calendar(event, new Date('2026-12-01T00:00:00Z'));
    // Assess
    assertWellFormed(ics);
    const expected = [...HOSTILE.replace(/\r\n|\r/g, '\n')].filter((c) => !isControl(c)).join('');
    expect(propertyText(ics, 'SUMMARY')).toBe(expected);
    expect(propertyText(ics, 'DESCRIPTION')).toBe(expected);
    expect(propertyText(ics, 'LOCATION')).toBe(expected);
  });

  it("every field a booker or staff types (company, topic, venue, online link) reaches the booking's .ics escaped", () => {
    // Prepare
    const booking: Booking = {
      code: 'ABCDEFGHJKLMNPQR',
      dayId: 'd1',
      slotId: 's1',
      startsAt: '2026-12-15T01:00:00.000Z',
      uscc: '91350100M000100Y43',
      companyName: `Evil\rCo${HOSTILE}`,
      topic: `Topic\r\nX-INJECTED:1${HOSTILE}`,
      status: 'confirmed',
      createdAt: '2026-12-01T00:00:00.000Z',
      outcome: null,
      version: 1,
    };
    const day: Day = {
      dayId: 'd1',
      date: '2026-12-15',
      jurisdiction: '320506',
      venue: `Hall\rORGANIZER:evil${HOSTILE}`,
      onlineUrl: 'https://example.com/a,b;c\\d',
      mode: 'both',
      topics: ['a'],
      bookingClosesAt: '2026-12-14T17:00:00+08:00',
      status: 'open',
      version: 1,
      createdAt: '2026-12-01T00:00:00.000Z',
      createdBy: 'lead',
    };
    const slot: Slot = {
      slotId: 's1',
      startsAt: '2026-12-15T09:00:00+08:00',
      endsAt: '2026-12-15T10:00:00+08:00',
      capacity: 5,
      confirmed: 1,
      waitlisted: 0,
    };
    process.env.MAIL_FROM = 'no-reply@example.com';
    // Act
    const ics = bookingCalendar(booking, day, slot);
    // Assess
    assertWellFormed(ics);
    const names = contentLines(ics).map((l) => l.split(/[:;]/)[0]);
    expect(names).not.toContain('X-INJECTED');
    expect(contentLines(ics).filter((l) => l.startsWith('ORGANIZER'))).toEqual([
      'ORGANIZER;CN="Eco Liaison 企业环保咨询日":mailto:no-reply@example.com',
    ]);
    expect(propertyText(ics, 'DESCRIPTION')).toContain('Evil\nCo');
    expect(propertyText(ics, 'DESCRIPTION')).toContain('Topic\nX-INJECTED:1');
    expect(propertyText(ics, 'LOCATION')).toContain('Hall\nORGANIZER:evil');
    expect(propertyText(ics, 'LOCATION')).toContain('https://example.com/a,b;c\\d');
  });
});

const booking: Booking = {
  code: 'ABCDEFGHJKLMNPQR',
  dayId: 'd1',
  slotId: 's1',
  startsAt: '2026-12-15T01:00:00.000Z',
  uscc: '91350100M000100Y43',
  companyName: 'Green Co',
  topic: 'Permits',
  status: 'confirmed',
  createdAt: '2026-12-01T00:00:00.000Z',
  outcome: null,
  version: 1,
};
const day: Day = {
  dayId: 'd1',
  date: '2026-12-15',
  jurisdiction: '320506',
  venue: 'Hall 1',
  onlineUrl: null,
  mode: 'onsite',
  topics: ['a'],
  bookingClosesAt: '2026-12-14T17:00:00+08:00',
  status: 'open',
  version: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  createdBy: 'lead',
};
const slot: Slot = {
  slotId: 's1',
  startsAt: '2026-12-15T09:00:00+08:00',
  endsAt: '2026-12-15T10:00:00+08:00',
  capacity: 5,
  confirmed: 1,
  waitlisted: 0,
};
const property = (ics: string, name: string) => contentLines(ics).find((l) => l.split(/[:;]/)[0] === name);
/** The lines between BEGIN:<component> and its END. */
const component = (ics: string, name: string) => {
  const lines = contentLines(ics);
  const start = lines.indexOf(`BEGIN:${name}`);
  return start < 0 ? undefined : lines.slice(start + 1, lines.indexOf(`END:${name}`));
};

describe('ics: calendars remind the booker and honour a cancellation (RFC 5545, RFC 5546)', () => {
  it('a booking .ics alarms an hour before the slot', () => {
    // Prepare
    process.env.MAIL_FROM = 'no-reply@example.com';
    // Act
    const ics = bookingCalendar(booking, day, slot);
    // Assess
    expect(property(ics, 'METHOD')).toBe('METHOD:PUBLISH');
    expect(component(ics, 'VALARM')).toEqual([
      'ACTION:DISPLAY',
      'TRIGGER:-PT60M',
      expect.stringMatching(/^DESCRIPTION:企业环保咨询日/),
    ]);
  });

  it('a cancellation .ics is METHOD:CANCEL, STATUS:CANCELLED, same UID, higher SEQUENCE, with ORGANIZER and no alarm', () => {
    // Prepare
    process.env.MAIL_FROM = 'Eco Liaison <no-reply@example.com>';
    const original = bookingCalendar(booking, day, slot);
    // Act: cancelling raises the booking's version (bookingCancelWrites)
    const cancelled = bookingCalendar({ ...booking, status: 'cancelled', version: booking.version + 1 }, day, slot);
    // Assess
    expect(property(cancelled, 'METHOD')).toBe('METHOD:CANCEL');
    expect(property(cancelled, 'STATUS')).toBe('STATUS:CANCELLED');
    expect(property(cancelled, 'UID')).toBe(property(original, 'UID'));
    const sequence = (ics: string) => Number(property(ics, 'SEQUENCE')?.slice('SEQUENCE:'.length));
    expect(sequence(cancelled)).toBeGreaterThan(sequence(original));
    expect(property(cancelled, 'ORGANIZER')).toBe(
      'ORGANIZER;CN="Eco Liaison 企业环保咨询日":mailto:no-reply@example.com',
    );
    expect(component(cancelled, 'VALARM')).toBeUndefined();
  });

  it('an organizer address that would break out of its property is refused', () => {
    // Prepare
    const event = {
      uid: 'A@eco-liaison',
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      summary: 's',
      description: 'd',
      location: 'l',
      sequence: 1,
      organizer: { name: 'n', email: 'a@b.c\r\nATTENDEE:mailto:evil@example.com' },
    };
    // Act / Assess
    expect(() => calendar(event)).toThrow(/Organizer address/);
  });
});
