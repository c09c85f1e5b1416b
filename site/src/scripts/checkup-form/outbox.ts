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
import { answerDraftsOf, deleteAnswerDraft, saveAnswerDraft } from '../../kit/drafts.ts';
import { lazy } from '../../kit/lazy.ts';
import { sendingRounds } from '../../kit/sending-rounds.ts';
import type { CheckupAnswer } from '../checkup-common.ts';
import type { Draft, OutboxHost, Outcome } from './kept-sending.ts';

/**
 * Keeping answers and sending kept ones: needed only when the signal goes or something waits, so it
 * loads then (the check-up form also loads it after opening, to have it without signal).
 */
export const keptSending = lazy(() => import('./kept-sending.ts'));

export const answerOutbox = (h: OutboxHost) => {
  const { c, id, locals } = h;
  const { m, $ } = c;
  const box = $<HTMLElement>('#checkup-outbox');
  const title = $<HTMLElement>('#checkup-outbox-title');
  const list = box.querySelector('ul') as HTMLUListElement;
  const live = $<HTMLElement>('#checkup-outbox-live');
  const sendNow = $<HTMLButtonElement>('#checkup-outbox-send');
  const offlineNote = $<HTMLElement>('#checkup-offline');
  let drafts: Draft[] = [];
  let sendingId: string | undefined;

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
    // Drawn by the code that keeps and sends them, loaded once something waits (and after the page opens).
    if (drafts.length === 0) list.replaceChildren();
    else {
      const shown = drafts;
      const sending = sendingId;
      void keptSending().then(
        (work) => work.drawKept(h, list, shown, sending, { refresh, flush }),
        () => undefined,
      );
    }
    overlay();
  };

  const refresh = async () => {
    drafts = await answerDraftsOf<CheckupAnswer>(c.me.username, id).catch(() => drafts);
    paint();
  };

  /**
   * Keeps the items' answers on the device (kept-sending.ts). False when the browser cannot keep them,
   * or the code that keeps them did not load (the page preloads it: see checkup-form.ts).
   */
  const keep = async (itemIds: string[]): Promise<boolean> => {
    const work = await keptSending().catch(() => undefined);
    if (!work || !(await work.keepAnswers(h, { drafts, sendingId }, itemIds))) return false;
    await refresh();
    return true;
  };

  const flushNow = async () => {
    await refresh();
    if (!drafts.some((d) => d.state === 'waiting') || !navigator.onLine) return;
    // The check-up as it is now: what each answer is sent over (and its version).
    const fresh = await h.fetchCheckup();
    if (!fresh) return;
    h.accept(fresh);
    const work = await keptSending().catch(() => undefined);
    if (!work) return;
    for (const d of drafts) {
      if (d.state !== 'waiting') continue;
      sendingId = d.requestId;
      paint();
      const outcome = await work.sendKept(h, d).catch((): Outcome => 'later');
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
