/**
 * What the two offline outboxes share (the contacts kept on a phone, the check-up answers kept on a
 * tablet): which answers mean "try again later", uploading a kept record's photos one by one (each
 * evidence id written into the record at once, so a crash does not upload it again), finding the
 * photos a 400 says are gone, and the rounds that send what waits.
 */
import { fieldsOf } from './api.ts';
import type { DraftFile } from './drafts.ts';
import { announceEvidence, putEvidence } from './evidence-upload.ts';

/** Statuses worth trying again later: no answer, the session (renewed by `api`), rate limits, the server. */
export const retryLater = (status: number) =>
  status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;

/** How a record's uploads ended: all there, to try later, or refused for good with the API's answer. */
export type UploadOutcome = 'uploaded' | 'later' | { refused: { status: number; body: unknown } };

/** Uploads the record's photos not uploaded yet; `keep` writes the record after each one. */
export const uploadKept = async (
  files: DraftFile[],
  token: string,
  keep: () => Promise<unknown>,
): Promise<UploadOutcome> => {
  for (const file of files) {
    if (file.evidenceId) continue;
    const announced = await announceEvidence(file.blob, file.fileName, file.contentType, token);
    if (!('evidenceId' in announced)) return retryLater(announced.status) ? 'later' : { refused: announced };
    if (!(await putEvidence(file.blob, announced))) return 'later';
    file.evidenceId = announced.evidenceId;
    await keep();
  }
  return 'uploaded';
};

/**
 * The kept photos a 400 says are gone (unattached for more than a day, or never arrived): their
 * places in `files` (the request's `evidenceIds` hold `before` others first). Each loses its id and
 * goes again next round; false when the 400 is about something else.
 */
export const forgetGoneUploads = (status: number, body: unknown, files: DraftFile[], before = 0): boolean => {
  const gone = Object.keys(fieldsOf(body)).flatMap((key) => {
    const [head, index] = key.split('.');
    return head === 'evidenceIds' && index !== undefined ? [Number(index) - before] : [];
  });
  if (status !== 400 || gone.length === 0 || !gone.every((i) => files[i])) return false;
  for (const i of gone) (files[i] as DraftFile).evidenceId = undefined;
  return true;
};

export { sendingRounds } from './sending-rounds.ts';
