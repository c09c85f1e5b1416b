/**
 * Sending one contact kept on the phone (see outbox.ts for the whole story): its photos not uploaded
 * yet first (each evidence id written into the draft at once), then the contact with the draft's
 * request id, so the server makes one contact however often it is sent.
 */
import { api, errorCodeOf } from '../../kit/api.ts';
import { type ContactDraft, saveDraft } from '../../kit/drafts.ts';
import { failureText } from '../../kit/messages.ts';
import { forgetGoneUploads, retryLater, uploadKept } from '../../kit/outbox.ts';
import type { TypedConsole } from '../console.ts';
import type { Contact } from '../pairings-common.ts';

/** What ended a draft's sending: sent, refused for good, or to try later (no signal, the server's trouble). */
export type Outcome = { sent: Contact } | { refused: string } | { later: true };

/** Uploads the draft's photos not uploaded yet, then sends the contact. */
export const sendOne = async (c: TypedConsole, draft: ContactDraft): Promise<Outcome> => {
  const uploads = await uploadKept(draft.files, c.token, () => saveDraft(draft));
  if (uploads === 'later') return { later: true };
  if (uploads !== 'uploaded') return { refused: failureText(c.m, uploads.refused.status, uploads.refused.body) };
  const input = {
    ...draft.input,
    evidenceIds: draft.files.map((f) => f.evidenceId ?? ''),
    requestId: draft.requestId,
  };
  const made = await api('contacts.create', { params: { id: draft.pairingId }, json: input, token: c.token });
  const { status, body } = made;
  if (made.ok && made.body.contact) return { sent: made.body.contact };
  if (retryLater(status)) return { later: true };
  // A concurrent contact moved the pairing's version on: nothing was written; the next round sends it.
  if (status === 409 && errorCodeOf(body) === 'VERSION_CONFLICT') return { later: true };
  // An upload gone (unattached for more than a day, or never arrived): it goes again next round.
  if (forgetGoneUploads(status, body, draft.files)) {
    await saveDraft(draft);
    return { later: true };
  }
  return { refused: failureText(c.m, status, body) };
};
