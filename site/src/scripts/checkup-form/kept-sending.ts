/**
 * Keeping the check-up's answers on the device, listing the kept ones and sending a kept one (see
 * outbox.ts for the whole story): loaded when the form first keeps, shows or sends one, and after the
 * page opens (checkup-form.ts), so that a form opened again without signal holds it.
 */
import type { Answer } from '../../../../shared/checkups-rules.ts';
import { api, errorCodeOf } from '../../kit/api.ts';
import {
  type AnswerDraft,
  type DraftFile,
  deleteAnswerDraft,
  draftsAvailable,
  saveAnswerDraft,
} from '../../kit/drafts.ts';
import { failureText } from '../../kit/messages.ts';
import { forgetGoneUploads, retryLater, uploadKept } from '../../kit/outbox.ts';
import type { Checkup, CheckupAnswer } from '../checkup-common.ts';
import type { TypedConsole } from '../console.ts';
import { buttonEl } from '../format.ts';
import { askingButton, outboxItem } from '../outbox-item.ts';
import { answerOf, type CheckupItem } from './item-panel.ts';

export type Draft = AnswerDraft<CheckupAnswer>;
export type Outcome = 'sent' | 'conflict' | 'refused' | 'later';
/** What a kept answer holds: the form's answer, with the photos already uploaded. */
export type KeptAnswer = Draft['answer'];

export interface OutboxHost {
  c: TypedConsole;
  id: string;
  locals: Map<string, CheckupItem>;
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
      const local = locals.get(itemId) as CheckupItem;
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

/** What the list's buttons do to the outbox: read the kept answers again, and send what waits. */
export interface KeptActions {
  refresh: () => Promise<void>;
  flush: () => Promise<void>;
}

/**
 * The kept answers as the outbox's list: the item, the answer, its photos, and where it stands; a
 * conflict offers "send mine" or "keep theirs", a refused one "discard" (readable until then).
 */
export const drawKept = (
  h: OutboxHost,
  list: HTMLElement,
  drafts: readonly Draft[],
  sendingId: string | undefined,
  { refresh, flush }: KeptActions,
): void => {
  const { lang, m } = h.c;
  const resultText = (a: { result: string; note?: string | undefined } | null | undefined) =>
    a
      ? [m(`checkup.result.${a.result as Answer}`), a.note?.trim()].filter(Boolean).join(' · ')
      : m('checkup.result.none');
  const itemText = (itemId: string) => {
    const item = h.locals.get(itemId)?.item;
    return item ? `${itemId} ${item.text[lang]}` : itemId;
  };
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
};
