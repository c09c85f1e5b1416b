import { createHash } from 'node:crypto';
import { keys } from '../../../shared/keys.ts';
import { firmSignInCodeSms } from '../../../shared/messages/firm.ts';
import { getEnterprise } from '../enterprises/enterprises.ts';
import { hit, type Limit } from '../http/rate-limit.ts';
import { codeTextPut, newSmsCode, putChallenge, spendChallenge } from '../messaging/sms-code.ts';
import { type FirmSubject, signFirmToken } from './firm-token.ts';

/**
 * A firm signs in by proving a mobile number of its roster contacts: `start` sends a six-digit code
 * by SMS, `verify` exchanges it for a firm token (firm-token.ts). Neither answer tells whether the
 * firm exists or the mobile is its contact (no oracle): `start` writes the same challenge record and
 * counts the same limits either way, and only a real contact's challenge holds a code and records a
 * text message (in the same transaction, delivered by the message rounds; nothing is sent inside the
 * request). The code's lifetime, tries and resend wait are messaging/sms-code.ts's.
 */
export { CODE_TRIES, CODE_TTL_SECONDS, CodeRefusedError, RESEND_SECONDS } from '../messaging/sms-code.ts';

const SAME_REFUSAL = 'Too many sign-in codes asked for; try again later';
/** Codes asked for one mobile number (any firm): a person's phone is not a free SMS gateway. */
export const PER_MOBILE: Limit = { name: 'firm-code-mobile', max: 5, windowSeconds: 3600, message: SAME_REFUSAL };
/** Codes asked for one firm (any mobile), per Shanghai day: bounds guessing which mobile is a contact. */
export const PER_USCC: Limit = { name: 'firm-code-uscc', max: 20, windowSeconds: 86_400, message: SAME_REFUSAL };

/** The challenge record's key: one per firm and mobile, so a new code replaces the last one. */
const challengeKey = (subject: FirmSubject) =>
  keys.firmSignInCode(
    createHash('sha256').update(`${subject.uscc}\u0000${subject.mobile}`).digest('base64url').slice(0, 22),
  );

export const startFirmSignIn = async (subject: FirmSubject, now: Date): Promise<void> => {
  await hit(PER_MOBILE, subject.mobile, now);
  await hit(PER_USCC, subject.uscc, now);
  const firm = await getEnterprise(subject.uscc);
  const isContact = Boolean(firm?.contacts.some((c) => c.mobile === subject.mobile));
  const { code, challengeId } = newSmsCode();
  const sms = firmSignInCodeSms(code);
  const message =
    firm && isContact
      ? [
          codeTextPut(
            { about: `firm:${subject.uscc}`, kind: 'sign-in-code', challengeId, jurisdiction: firm.county },
            sms,
            subject.mobile,
            now,
          ),
        ]
      : [];
  // Not a contact: the same record without a code, so verify refuses it the same way.
  await putChallenge({
    key: challengeKey(subject),
    type: 'firmSignInCode',
    challengeId,
    code: firm && isContact ? code : undefined,
    now,
    with: message,
  });
};

export const verifyFirmSignIn = async (
  subject: FirmSubject,
  code: string,
  now: Date,
): Promise<{ token: string; expiresAt: string }> => {
  await spendChallenge(challengeKey(subject), code, now);
  return signFirmToken(subject, now);
};
