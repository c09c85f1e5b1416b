/**
 * Keeping the check-up's answers on the device and sending a kept one (see outbox.ts for the whole
 * story): loaded when the form first keeps or sends one, and after the page opens (checkup-form.ts), so
 * that a form opened again without signal holds it.
 */
import { api, errorCodeOf } from '../../kit/api.ts';
import { type AnswerDraft, type DraftFile, draftsAvailable, saveAnswerDraft } from '../../kit/drafts.ts';
import { failureText } from '../../kit/messages.ts';
import { forgetGoneUploads, retryLater, uploadKept } from '../../kit/outbox.ts';
import type { Checkup, CheckupAnswer } from '../checkup-common.ts';
import type { TypedConsole } from '../console.ts';
import { answerOf, type Local } from './item-panel.ts';

export type Draft = AnswerDraft<CheckupAnswer>;
export type Outcome = 'sent' | 'conflict' | 'refused' | 'later';
/** What a kept answer holds: the form's answer, with the photos already uploaded. */
export type KeptAnswer = Draft['answer'];

export interface OutboxHost {
  c: TypedConsole;
  id: string;
  locals: Map<string, Local>;
  /** The check-up as the server last answered it, and taking a newer one (after a save or a read). */
  checkup: () => Checkup;
  accept: (checkup: Checkup) => void;
  /** The check-up read again from the server; undefined without an answer. */
  fetchCheckup: () => Promise<Checkup | undefined>;
  /** Shows the stored check-up again (the items not being edited), with what still waits over it. */
  repaint: () => void;
  /** The check-up was submitted elsewhere: nothing more can be saved. */
  stop: (text: string) => void;
}

/** An answer in short, to compare: the result, the note, the photos' ids. */
const sig = (
  a: { result: string; note?: string | undefined; evidenceIds?: string[] | undefined } | null | undefined,
) => (a ? JSON.stringify([a.result, (a.note ?? '').trim(), [...(a.evidenceIds ?? [])].sort()]) : 'none');

/**
 * Keeps the items' answers on the device, with their photos not uploaded (taken off the item's list:
 * the outbox sends them). A waiting answer of the same item is replaced, its photos and the answer it
 * was made over carried on. False when the browser cannot keep them.
 */
export const keepAnswers = async (
  h: OutboxHost,
  { drafts, sendingId }: { drafts: readonly Draft[]; sendingId: string | undefined },
  itemIds: string[],
): Promise<boolean> => {
  const { c, id, locals } = h;
  if (!draftsAvailable()) return false;
  try {
    for (const itemId of itemIds) {
      const local = locals.get(itemId) as Local;
      const answer: KeptAnswer = answerOf(local);
      const old = drafts.filter((d) => d.itemId === itemId && d.requestId !== sendingId);
      const taken = local.photos.all().filter((p) => p.state === 'failed' && p.file);
      const files: DraftFile[] = [
        ...old.flatMap((d) => d.files),
        ...taken.map((p) => ({ blob: p.file as File, fileName: p.fileName, contentType: p.contentType })),
      ];
      const draft: Draft = {
        requestId: crypto.randomUUID(),
        username: c.me.username,
        checkupId: id,
        itemId,
        savedAt: new Date().toISOString(),
        answer,
        // What the first waiting change was made over (null: no answer then), else the server's now.
        before: old[0] ? old[0].before : (h.checkup().answers[itemId] ?? null),
        files,
        state: 'waiting',
      };
      await saveAnswerDraft(
        draft,
        old.map((d) => d.requestId),
      );
      local.photos.forget(taken);
    }
  } catch {
    return false;
  }
  return true;
};

const refuse = async (h: OutboxHost, d: Draft, status: number, body: unknown): Promise<Outcome> => {
  await saveAnswerDraft({ ...d, state: 'refused', problem: failureText(h.c.m, status, body) });
  return 'refused';
};

/** Uploads the answer's photos not uploaded yet, then saves it; a stale version reads and tries again. */
export const sendKept = async (h: OutboxHost, d: Draft): Promise<Outcome> => {
  const { id } = h;
  const { m, token } = h.c;
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = h.checkup().answers[d.itemId];
    const uploaded = d.files.flatMap((f) => (f.evidenceId ? [f.evidenceId] : []));
    const mine = { ...d.answer, evidenceIds: [...d.answer.evidenceIds, ...uploaded] };
    // Saved already (its answer was lost before the record went): nothing to send.
    if (uploaded.length === d.files.length && sig(server) === sig(mine)) return 'sent';
    if (sig(server) !== sig(d.before)) {
      await saveAnswerDraft({ ...d, state: 'conflict' });
      return 'conflict';
    }
    const uploads = await uploadKept(d.files, token, () => saveAnswerDraft(d));
    if (uploads === 'later') return 'later';
    if (uploads !== 'uploaded') return refuse(h, d, uploads.refused.status, uploads.refused.body);
    const evidenceIds = [...d.answer.evidenceIds, ...d.files.map((f) => f.evidenceId ?? '')];
    const sent = await api('checkups.answer', {
      params: { id },
      method: 'PATCH',
      json: {
        version: h.checkup().version,
        answers: { [d.itemId]: { ...d.answer, evidenceIds } },
        requestId: d.requestId,
      },
      token,
    });
    const { status, body } = sent;
    const saved = sent.ok ? sent.body.checkup : undefined;
    if (saved) {
      h.accept(saved);
      return 'sent';
    }
    if (retryLater(status)) return 'later';
    const code = errorCodeOf(body);
    if (status === 409 && code === 'VERSION_CONFLICT') {
      const fresh = await h.fetchCheckup();
      if (!fresh) return 'later';
      h.accept(fresh);
      continue;
    }
    if (status === 409 && code === 'INVALID_TRANSITION') {
      h.stop(m('checkup.alreadySubmitted'));
      return refuse(h, d, status, body);
    }
    // A photo's upload gone (unattached for more than a day): it goes again next round.
    if (forgetGoneUploads(status, body, d.files, d.answer.evidenceIds.length)) {
      await saveAnswerDraft(d);
      return 'later';
    }
    return refuse(h, d, status, body);
  }
  return 'later';
};
