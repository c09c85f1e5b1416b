/**
 * The check-up answers waiting on this device (issue 20: a plant's basement has no signal). Without
 * signal (the browser offline, or a save whose answer never came) the form hands each changed item to
 * `keep`: its answer, and its photos not uploaded as blobs, go to IndexedDB (kit/drafts.ts), one
 * record per item (a newer change replaces the waiting one). While any wait, every change waits behind
 * them, so they are sent in the order made: on the browser's `online` event, when the page opens, every
 * 30 s, and on "send now". Each is sent once: its photos are uploaded first (each evidence id written
 * into the record at once, so a crash does not upload it again), then `PATCH` with the record's request
 * id, which the server remembers, so a replay after a crash between the send and the delete is
 * answered, not applied twice. A stale version reads the check-up again and sends once more, unless
 * the item itself changed elsewhere since it was kept: then it is a conflict, shown with both answers
 * until the liaison sends theirs anyway or keeps the other (never dropped silently).
 */
import { ANSWERS, type Answer } from '../../../../shared/checkups-rules.ts';
import { api, errorCodeOf } from '../../kit/api.ts';
import {
  type AnswerDraft,
  answerDraftsOf,
  type DraftFile,
  deleteAnswerDraft,
  draftsAvailable,
  saveAnswerDraft,
} from '../../kit/drafts.ts';
import { failureText } from '../../kit/messages.ts';
import { forgetGoneUploads, retryLater, sendingRounds, uploadKept } from '../../kit/outbox.ts';
import type { Checkup, CheckupAnswer } from '../checkup-common.ts';
import type { TypedConsole } from '../console.ts';
import { buttonEl } from '../format.ts';
import { askingButton, outboxItem } from '../outbox-item.ts';
import { answerOf, type Local } from './item-panel.ts';

type Draft = AnswerDraft<CheckupAnswer>;
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

export const answerOutbox = (h: OutboxHost) => {
  const { c, id, locals } = h;
  const { lang, m, token, $ } = c;
  const box = $<HTMLElement>('#checkup-outbox');
  const title = $<HTMLElement>('#checkup-outbox-title');
  const list = box.querySelector('ul') as HTMLUListElement;
  const live = $<HTMLElement>('#checkup-outbox-live');
  const sendNow = $<HTMLButtonElement>('#checkup-outbox-send');
  const offlineNote = $<HTMLElement>('#checkup-offline');
  let drafts: Draft[] = [];
  let sendingId: string | undefined;

  const resultText = (a: { result: string; note?: string | undefined } | null | undefined) =>
    a
      ? [m(`checkup.result.${a.result as Answer}`), a.note?.trim()].filter(Boolean).join(' · ')
      : m('checkup.result.none');
  const itemText = (itemId: string) => {
    const item = locals.get(itemId)?.item;
    return item ? `${itemId} ${item.text[lang]}` : itemId;
  };

  /** The item's panel shows its kept answer (and says it waits) over the stored one. */
  const overlay = () => {
    for (const local of locals.values()) {
      const d = [...drafts].reverse().find((x) => x.itemId === local.item.itemId);
      local.waiting.hidden = !d;
      if (!d) continue;
      local.waiting.dataset.state = d.state;
      local.waiting.textContent =
        d.files.length > 0 ? m('checkup.offline.itemPhotos', { n: d.files.length }) : m('checkup.offline.item');
      if (ANSWERS.includes(d.answer.result as Answer)) local.result = d.answer.result as Answer;
      if (document.activeElement !== local.noteBox) {
        local.note = d.answer.note ?? '';
        local.noteBox.value = local.note;
      }
    }
  };

  const paint = () => {
    box.hidden = drafts.length === 0;
    box.dataset.waiting = String(drafts.length);
    title.textContent = m('checkup.offline.waiting', { n: drafts.length });
    sendNow.hidden = !drafts.some((d) => d.state === 'waiting') || !navigator.onLine;
    offlineNote.hidden = navigator.onLine;
    list.replaceChildren(
      ...drafts.map((d) => {
        const sending = d.requestId === sendingId;
        const there = h.checkup().answers[d.itemId];
        const li = outboxItem({
          what: m('checkup.offline.line', { item: itemText(d.itemId), answer: resultText(d.answer) }),
          photos: d.files.length > 0 ? m('checkup.offline.photos', { n: d.files.length }) : undefined,
          state: sending ? 'sending' : d.state,
          stateText: sending
            ? m('checkup.offline.sending')
            : d.state === 'conflict'
              ? m('checkup.offline.conflict', { there: resultText(there) })
              : d.state === 'refused'
                ? m('checkup.offline.refused', { reason: d.problem ?? '' })
                : m('checkup.offline.waitingOne'),
        });
        li.dataset.itemId = d.itemId;
        const drop = async () => {
          await deleteAnswerDraft(d.requestId);
          await refresh();
          h.repaint();
        };
        if (d.state === 'conflict') {
          const mine = buttonEl('button-small', m('checkup.offline.sendMine'));
          mine.addEventListener('click', async () => {
            // Theirs was read and set aside: this answer now goes over it.
            await saveAnswerDraft({ ...d, state: 'waiting', before: there ?? null });
            await refresh();
            void flush();
          });
          const theirs = askingButton(m('checkup.offline.keepTheirs'), m('checkup.offline.keepTheirsConfirm'), drop);
          li.append(mine, ' ', theirs);
        } else if (d.state === 'refused') {
          // Refused for good (say the check-up was submitted elsewhere): readable until discarded.
          li.append(askingButton(m('checkup.offline.discard'), m('checkup.offline.discardConfirm'), drop));
        }
        return li;
      }),
    );
    overlay();
  };

  const refresh = async () => {
    drafts = await answerDraftsOf<CheckupAnswer>(c.me.username, id).catch(() => drafts);
    paint();
  };

  /**
   * Keeps the items' answers on the device, with their photos not uploaded (taken off the item's list:
   * the outbox sends them). A waiting answer of the same item is replaced, its photos and the answer it
   * was made over carried on. False when the browser cannot keep them.
   */
  const keep = async (itemIds: string[]): Promise<boolean> => {
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
    await refresh();
    return true;
  };

  type Outcome = 'sent' | 'conflict' | 'refused' | 'later';

  const refuse = async (d: Draft, status: number, body: unknown): Promise<Outcome> => {
    await saveAnswerDraft({ ...d, state: 'refused', problem: failureText(m, status, body) });
    return 'refused';
  };

  /** Uploads the answer's photos not uploaded yet, then saves it; a stale version reads and tries again. */
  const sendOne = async (d: Draft): Promise<Outcome> => {
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
      if (uploads !== 'uploaded') return refuse(d, uploads.refused.status, uploads.refused.body);
      const evidenceIds = [...d.answer.evidenceIds, ...d.files.map((f) => f.evidenceId ?? '')];
      const { status, body } = await api('checkups.answer', {
        params: { id },
        method: 'PATCH',
        json: {
          version: h.checkup().version,
          answers: { [d.itemId]: { ...d.answer, evidenceIds } },
          requestId: d.requestId,
        },
        token,
      });
      const saved = (body as { checkup?: Checkup } | null)?.checkup;
      if (status === 200 && saved) {
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
        return refuse(d, status, body);
      }
      // A photo's upload gone (unattached for more than a day): it goes again next round.
      if (forgetGoneUploads(status, body, d.files, d.answer.evidenceIds.length)) {
        await saveAnswerDraft(d);
        return 'later';
      }
      return refuse(d, status, body);
    }
    return 'later';
  };

  const flushNow = async () => {
    await refresh();
    if (!drafts.some((d) => d.state === 'waiting') || !navigator.onLine) return;
    // The check-up as it is now: what each answer is sent over (and its version).
    const fresh = await h.fetchCheckup();
    if (!fresh) return;
    h.accept(fresh);
    for (const d of drafts) {
      if (d.state !== 'waiting') continue;
      sendingId = d.requestId;
      paint();
      const outcome = await sendOne(d).catch((): Outcome => 'later');
      sendingId = undefined;
      if (outcome === 'sent') {
        await deleteAnswerDraft(d.requestId);
        live.textContent = m('checkup.offline.sent', { item: d.itemId });
        // A change of the same item kept while this one was on its way is made over this answer now.
        const saved = h.checkup().answers[d.itemId] ?? null;
        for (const next of await answerDraftsOf<CheckupAnswer>(c.me.username, id)) {
          if (next.itemId === d.itemId && next.state === 'waiting') await saveAnswerDraft({ ...next, before: saved });
        }
      }
      if (outcome === 'later') break;
    }
    await refresh();
    h.repaint();
    const conflict = drafts.find((d) => d.state === 'conflict');
    if (conflict) live.textContent = m('checkup.offline.conflictSaid', { item: conflict.itemId });
  };

  const flush = sendingRounds(`eco-checkup-answers-${id}`, flushNow, sendNow, () =>
    drafts.some((d) => d.state === 'waiting'),
  );
  window.addEventListener('offline', paint);

  return {
    keep,
    refresh,
    overlay,
    flush,
    /** How many answers wait on the device (submitting waits for none). */
    waiting: () => drafts.length,
    /** Whether the items' changes must wait behind kept ones (or there is no signal). */
    holding: () => drafts.length > 0 || !navigator.onLine,
  };
};
