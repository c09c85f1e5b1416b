/**
 * Contacts sent again (issue 20): a phone that logged a visit without signal keeps it and sends it when
 * the network is back, and a phone whose answer was lost on the way sends it once more. Each contact
 * form names its request with an id made on the phone (`requestId`); the first contact saved under it
 * writes, in the same transaction, a record `CONTACTREQ#<username>#<requestId>` that holds which
 * contact it made and a hash of what was asked. The same request again (however often, even at the
 * same time) answers that contact and writes nothing; the same id with other content is refused. The
 * record is the caller's own (the username is in its key): another account's id names nothing.
 */
import { createHash } from 'node:crypto';
import { keys } from '../../../shared/keys.ts';
import type { ContactInput } from '../../../shared/pairing.ts';
import type { Contact } from '../../../shared/pairing-views.ts';
import { ConflictError } from '../http/errors.ts';
import { getRecord, tableName } from '../store/table.ts';

/** How long a request id is remembered: longer than a phone stays in a basement. */
const REMEMBER_DAYS = 90;

interface ContactRequest {
  pairingId: string;
  contactId: string;
  atUtc: string;
  inputHash: string;
}

/** What was asked, the same however the phone spelt the time or ordered the JSON's members. */
const hashOf = (pairingId: string, input: ContactInput): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        pairingId,
        new Date(input.at).toISOString(),
        input.mode,
        input.participants,
        input.summary,
        input.evidenceIds ?? [],
      ]),
    )
    .digest('hex');

/** The Put that remembers the request, for the contact's transaction (only if it is new). */
export const contactRequestPut = (
  username: string,
  requestId: string,
  pairingId: string,
  input: ContactInput,
  contact: Pick<Contact, 'contactId'>,
  atUtc: string,
  now: Date,
) => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...keys.contactRequest(username, requestId),
      type: 'contactRequest',
      pairingId,
      contactId: contact.contactId,
      atUtc,
      inputHash: hashOf(pairingId, input),
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + REMEMBER_DAYS * 86_400,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * The contact an earlier request of the caller's with this id made, if any (then nothing is to be
 * written); 409 `ALREADY_EXISTS` when the id was used for another pairing or other content.
 */
export const earlierContact = async (
  username: string,
  requestId: string,
  pairingId: string,
  input: ContactInput,
): Promise<Contact | undefined> => {
  const earlier = await getRecord<ContactRequest>(keys.contactRequest(username, requestId), { consistent: true });
  if (!earlier) return undefined;
  if (earlier.pairingId !== pairingId || earlier.inputHash !== hashOf(pairingId, input)) {
    throw new ConflictError('ALREADY_EXISTS', 'This request id was used for another contact');
  }
  const contact = await getRecord<Contact>(keys.contact(earlier.pairingId, earlier.atUtc, earlier.contactId), {
    consistent: true,
  });
  // The request record and its contact are written in one transaction: one without the other is a bug.
  if (!contact) throw new Error(`contact request without its contact: ${earlier.contactId}`);
  return contact;
};
