import { createHash } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/keys.ts';
import { bookingFindCodeSms } from '../../../shared/messages/outgoing.ts';
import { hit, type Limit } from '../http/rate-limit.ts';
import { codeTextPut, newSmsCode, putChallenge, spendChallenge } from '../messaging/sms-code.ts';
import { batchGet, db, fromItem, tableName } from '../store/table.ts';
import type { Booking, Personal } from './bookings.ts';
import { type Day, getDay, type Slot } from './days.ts';

/**
 * Finding one's bookings again (issue 16: a lost 20-character code): the booker gives the firm's
 * USCC and the mobile its bookings gave, and gets a six-digit code by SMS; with it, the bookings of
 * that firm made with that mobile, codes included. As the firm's sign-in (firms/sign-in.ts), whose
 * code rules it shares (messaging/sms-code.ts): `start` answers 202 the same way and writes the same
 * challenge whether or not such bookings exist (only then does it hold a code and send one), counts
 * the same limits either way, and `verify` refuses a wrong code and a challenge without one alike.
 * Only verified bookings are the firm's (a hold is not), so a stranger's hold names nobody.
 */
const SAME_REFUSAL = 'Too many codes asked for; try again later';
/** Codes asked for one mobile number (any firm), an hour. */
export const RECOVERY_PER_MOBILE: Limit = {
  name: 'recovery-mobile',
  max: 5,
  windowSeconds: 3600,
  message: SAME_REFUSAL,
};
/** Codes asked for one firm (any mobile), per Shanghai day: bounds guessing which mobile booked. */
export const RECOVERY_PER_USCC: Limit = {
  name: 'recovery-uscc',
  max: 20,
  windowSeconds: 86_400,
  message: SAME_REFUSAL,
};

export interface Subject {
  uscc: string;
  mobile: string;
}

const subjectKey = (subject: Subject) =>
  keys.bookingRecoveryCode(
    createHash('sha256').update(`${subject.uscc}\u0000${subject.mobile}`).digest('base64url').slice(0, 22),
  );

/** The firm's verified bookings that gave this mobile, newest slot first (Query on byScope; at most 100). */
const bookingsOf = async (subject: Subject): Promise<{ booking: Booking; personal: Personal }[]> => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p',
      ExpressionAttributeValues: { ':p': keys.bookingsOfFirm(subject.uscc).scopePk },
      ScanIndexForward: false,
      Limit: 100,
    }),
  );
  const bookings = (out.Items ?? []).filter((i) => i.type === 'booking').map((i) => fromItem<Booking>(i));
  if (bookings.length === 0) return [];
  const personal = new Map<string, Personal>();
  for (const item of await batchGet(bookings.map((b) => keys.bookingPersonal(b.code)))) {
    personal.set(String(item.pk).slice('BOOKING#'.length), fromItem<Personal>(item));
  }
  return bookings.flatMap((booking) => {
    const p = personal.get(booking.code);
    return p && p.mobile === subject.mobile ? [{ booking, personal: p }] : [];
  });
};

export const startRecovery = async (subject: Subject, now: Date): Promise<void> => {
  await hit(RECOVERY_PER_MOBILE, subject.mobile, now);
  await hit(RECOVERY_PER_USCC, subject.uscc, now);
  const mine = await bookingsOf(subject);
  const { code, challengeId } = newSmsCode();
  const day = mine[0] ? await getDay(mine[0].booking.dayId) : undefined;
  const text = bookingFindCodeSms(code);
  await putChallenge({
    key: subjectKey(subject),
    type: 'bookingRecoveryCode',
    challengeId,
    // No such bookings: the same record without a code, refused by verify as a wrong code is.
    code: day ? code : undefined,
    now,
    with: day
      ? [
          codeTextPut(
            { about: `firm:${subject.uscc}`, kind: 'recovery-code', challengeId, jurisdiction: day.day.jurisdiction },
            text,
            subject.mobile,
            now,
          ),
        ]
      : [],
  });
};

export const verifyRecovery = async (
  subject: Subject,
  smsCode: string,
  now: Date,
): Promise<{ booking: Booking; personal: Personal; day: Day | undefined; slot: Slot | undefined }[]> => {
  await spendChallenge(subjectKey(subject), smsCode, now);
  const mine = await bookingsOf(subject);
  const days = new Map<string, Awaited<ReturnType<typeof getDay>>>();
  for (const { booking } of mine) if (!days.has(booking.dayId)) days.set(booking.dayId, await getDay(booking.dayId));
  return mine.map(({ booking, personal }) => {
    const found = days.get(booking.dayId);
    return { booking, personal, day: found?.day, slot: found?.slots.find((s) => s.slotId === booking.slotId) };
  });
};
