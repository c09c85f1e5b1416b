import { createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Key } from '../../../shared/keys.ts';
import type { SmsKind } from '../../../shared/outbox.ts';
import { AppError, RateLimitedError } from '../http/errors.ts';
import { db, tableName } from '../store/table.ts';
import { messagePut } from './outgoing.ts';

/**
 * Six-digit codes sent by SMS to prove a mobile number: the firm's sign-in (firms/sign-in.ts), a
 * booking's hold and the recovery of one's bookings (consultation/booking-codes.ts). One challenge
 * record per subject (a new code replaces the last, not within 60 s), only a hash of the code kept,
 * 5 minutes and 5 tries, single use. The code's message is recorded in the challenge's transaction
 * (rule 11); a challenge written without a code (no oracle: the same record, the same answer) is
 * refused by `spendChallenge` the same way as a wrong code.
 */
export const CODE_TTL_SECONDS = 5 * 60;
export const CODE_TRIES = 5;
export const RESEND_SECONDS = 60;

/** The one refusal of a code that does not open: wrong, expired, used, tried too often, or never sent. */
export class CodeRefusedError extends AppError {
  constructor() {
    super(401, 'CODE_INVALID', 'The code is wrong or no longer valid; ask for a new one');
  }
}

const codeHash = (salt: string, code: string) => createHmac('sha256', salt).update(code).digest('base64url');

/** A fresh code and its challenge id (the occasion of its message, so each code is its own message). */
export const newSmsCode = () => ({ code: String(randomInt(0, 1_000_000)).padStart(6, '0'), challengeId: randomUUID() });

interface ChallengeArgs {
  key: Key;
  type: string;
  challengeId: string;
  /** Undefined for a subject that gets no code: the same record, refused as a wrong code would be. */
  code: string | undefined;
  now: Date;
}

/** The Put of a challenge, for a transaction that records it with its cause (a booking's hold). */
export const challengePut = (args: ChallengeArgs) => {
  const nowSeconds = Math.floor(args.now.getTime() / 1000);
  const salt = randomBytes(16).toString('base64url');
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...args.key,
        type: args.type,
        challengeId: args.challengeId,
        sentAt: nowSeconds,
        validUntil: nowSeconds + CODE_TTL_SECONDS,
        tries: 0,
        ...(args.code === undefined ? {} : { salt, codeHash: codeHash(salt, args.code) }),
        expiresAt: nowSeconds + CODE_TTL_SECONDS + 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR sentAt <= :resendBefore',
      ExpressionAttributeValues: { ':resendBefore': nowSeconds - RESEND_SECONDS },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  };
};

/**
 * Writes a challenge and whatever `with` holds (the code's message) in one transaction. Within
 * 60 s of the last code: 429 with the seconds left.
 */
export const putChallenge = async (
  args: ChallengeArgs & {
    // biome-ignore lint/suspicious/noExplicitAny: TransactWriteItems of any shape (a message's Put)
    with?: any[];
  },
): Promise<void> => {
  const nowSeconds = Math.floor(args.now.getTime() / 1000);
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [challengePut(args), ...(args.with ?? [])] }));
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

/**
 * Spends one try of the challenge at `key` on `code`; answers the challenge's record when the code
 * matched (and the challenge is used up), else throws CodeRefusedError.
 */
export const spendChallenge = async (key: Key, code: string, now: Date): Promise<Record<string, unknown>> => {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  let challenge: Record<string, unknown>;
  try {
    // The try is counted before the code is compared, so five wrong codes spend the challenge
    // however many requests race.
    const out = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
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
        Key: key,
        UpdateExpression: 'SET validUntil = :spent REMOVE codeHash, salt',
        ConditionExpression: 'challengeId = :id AND codeHash = :hash',
        ExpressionAttributeValues: { ':spent': 0, ':id': challenge.challengeId, ':hash': challenge.codeHash },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new CodeRefusedError();
    throw error;
  }
  return challenge;
};

/**
 * The message that texts a code (sign-in, a booking's hold, finding one's bookings): its words are
 * its subject (the deliveries page lists such kinds without them), one SMS delivery, kept a day.
 * Once per challenge (`occasion`), in the challenge's own transaction (`putChallenge`'s `with`).
 */
export const codeTextPut = (
  text: { readonly about: string; readonly kind: string; readonly challengeId: string; readonly jurisdiction: string },
  sms: { readonly kind: SmsKind; readonly params: Readonly<Record<string, string>>; readonly text: string },
  mobile: string,
  now: Date,
) =>
  messagePut(
    {
      about: text.about,
      kind: text.kind,
      occasion: text.challengeId,
      jurisdiction: text.jurisdiction,
      content: { subject: sms.text, text: sms.text, sms },
      deliveries: [{ channel: 'sms', to: mobile, status: 'pending', attempts: 0 }],
      expiresAt: Math.floor(now.getTime() / 1000) + 86_400,
    },
    now,
  );
