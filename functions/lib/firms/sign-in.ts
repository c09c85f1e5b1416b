import { createHash, createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/keys.ts';
import { firmSignInCodeSms } from '../../../shared/messages/firm.ts';
import { getEnterprise } from '../enterprises/enterprises.ts';
import { AppError, RateLimitedError } from '../http/errors.ts';
import { hit, type Limit } from '../http/rate-limit.ts';
import { messagePut } from '../messaging/outgoing.ts';
import { db, tableName } from '../store/table.ts';
import { type FirmSubject, signFirmToken } from './firm-token.ts';

/**
 * A firm signs in by proving a mobile number of its roster contacts: `start` sends a six-digit code
 * by SMS, `verify` exchanges it for a firm token (firm-token.ts). Neither answer tells whether the
 * firm exists or the mobile is its contact (no oracle): `start` writes the same challenge record and
 * counts the same limits either way, and only a real contact's challenge holds a code and records a
 * text message (in the same transaction, delivered by the message rounds; nothing is sent inside the
 * request). A code lasts 5 minutes and allows 5 tries; a new one may be asked for after 60 s.
 */
export const CODE_TTL_SECONDS = 5 * 60;
export const CODE_TRIES = 5;
export const RESEND_SECONDS = 60;

const SAME_REFUSAL = 'Too many sign-in codes asked for; try again later';
/** Codes asked for one mobile number (any firm): a person's phone is not a free SMS gateway. */
export const PER_MOBILE: Limit = { name: 'firm-code-mobile', max: 5, windowSeconds: 3600, message: SAME_REFUSAL };
/** Codes asked for one firm (any mobile), per Shanghai day: bounds guessing which mobile is a contact. */
export const PER_USCC: Limit = { name: 'firm-code-uscc', max: 20, windowSeconds: 86_400, message: SAME_REFUSAL };

/** The one refusal of a code that does not open: wrong, expired, used, tried too often, or never sent. */
export class CodeRefusedError extends AppError {
  constructor() {
    super(401, 'CODE_INVALID', 'The code is wrong or no longer valid; ask for a new one');
  }
}

const codeHash = (salt: string, code: string) => createHmac('sha256', salt).update(code).digest('base64url');

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
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16).toString('base64url');
  const challengeId = randomUUID();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const challenge = {
    Put: {
      TableName: tableName(),
      Item: {
        ...challengeKey(subject),
        type: 'firmSignInCode',
        challengeId,
        sentAt: nowSeconds,
        validUntil: nowSeconds + CODE_TTL_SECONDS,
        tries: 0,
        // Not a contact: the same record without a code, so verify refuses it the same way.
        ...(isContact ? { salt, codeHash: codeHash(salt, code) } : {}),
        expiresAt: nowSeconds + CODE_TTL_SECONDS + 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR sentAt <= :resendBefore',
      ExpressionAttributeValues: { ':resendBefore': nowSeconds - RESEND_SECONDS },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  };
  const sms = firmSignInCodeSms(code);
  const message =
    firm && isContact
      ? [
          messagePut(
            {
              about: `firm:${subject.uscc}`,
              kind: 'sign-in-code',
              occasion: challengeId,
              jurisdiction: firm.county,
              content: { subject: sms.text, text: sms.text, sms },
              deliveries: [{ channel: 'sms', to: subject.mobile, status: 'pending', attempts: 0 }],
              expiresAt: nowSeconds + 86_400,
            },
            now,
          ),
        ]
      : [];
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [challenge, ...message] }));
  } catch (error) {
    const old = error instanceof TransactionCanceledException ? error.CancellationReasons?.[0]?.Item : undefined;
    if (old && 'sentAt' in old) {
      const sentAt = Number(old.sentAt.N);
      throw new RateLimitedError(
        'A code was sent a moment ago; wait before asking again',
        sentAt + RESEND_SECONDS - nowSeconds,
      );
    }
    throw error;
  }
};

export const verifyFirmSignIn = async (
  subject: FirmSubject,
  code: string,
  now: Date,
): Promise<{ token: string; expiresAt: string }> => {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  let challenge: Record<string, unknown>;
  try {
    // The try is counted before the code is compared, so five wrong codes spend the challenge
    // however many requests race.
    const out = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: challengeKey(subject),
        UpdateExpression: 'ADD tries :one',
        ConditionExpression: 'attribute_exists(pk) AND tries < :max AND validUntil > :now',
        ExpressionAttributeValues: { ':one': 1, ':max': CODE_TRIES, ':now': nowSeconds },
        ReturnValues: 'ALL_NEW',
      }),
    );
    challenge = out.Attributes ?? {};
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new CodeRefusedError();
    throw error;
  }
  const expected = typeof challenge.codeHash === 'string' ? Buffer.from(challenge.codeHash) : undefined;
  const given = Buffer.from(codeHash(String(challenge.salt ?? ''), code));
  if (!expected || expected.length !== given.length || !timingSafeEqual(expected, given)) throw new CodeRefusedError();
  // Single use: the challenge is removed by the one request that matched it.
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: challengeKey(subject),
        UpdateExpression: 'SET validUntil = :spent REMOVE codeHash, salt',
        ConditionExpression: 'challengeId = :id AND codeHash = :hash',
        ExpressionAttributeValues: { ':spent': 0, ':id': challenge.challengeId, ':hash': challenge.codeHash },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new CodeRefusedError();
    throw error;
  }
  return signFirmToken(subject, now);
};
