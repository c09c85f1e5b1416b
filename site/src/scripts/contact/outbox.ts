/**
 * The contacts waiting on this phone (issue 20): what the form kept without signal (kit/drafts.ts),
 * listed above the form (firm, time, mode, photos, and whether it waits for a signal, is being sent or
 * was refused), and sent when the network is back: on the browser's `online` event, when the page
 * opens, every 30 s while some wait, and on "send now". One draft at a time, in the order kept; its
 * photos are uploaded first (each evidence id written into the draft at once, so a crash does not
 * upload it again), then the contact with the draft's request id, so the server makes one contact
 * however often it is sent. Only the server's "done" (200/201) deletes a draft; no signal, a server
 * error or a rate limit leaves it waiting; a refusal for good (4xx) keeps it, refused, until the user
 * discards it (the summary stays readable, nothing typed is lost).
 */
import { api, errorCodeOf, fieldsOf } from '../../kit/api.ts';
import { type ContactDraft, deleteDraft, draftsOf, saveDraft } from '../../kit/drafts.ts';
import { announceEvidence, putEvidence } from '../../kit/evidence-upload.ts';
import { failureText } from '../../kit/messages.ts';
import type { TypedConsole } from '../console.ts';
import { dateTime, el } from '../format.ts';
import type { Contact } from '../pairings-common.ts';

/** What ended a draft's sending: sent, refused for good, or to try later (no signal, the server's trouble). */
type Outcome = { sent: Contact } | { refused: string } | { later: true };

/** Statuses worth trying again later: no answer, the session (renewed by `api`), rate limits, the server. */
const later = (status: number) => status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;

export const contactOutbox = (
  c: TypedConsole,
  root: HTMLElement,
  onSent: (contact: Contact, draft: ContactDraft) => Promise<void>,
) => {
  const { lang, m } = c;
  const box = root.querySelector('#contact-outbox') as HTMLElement;
  const title = box.querySelector('#contact-outbox-title') as HTMLElement;
  const list = box.querySelector('ul') as HTMLUListElement;
  const live = box.querySelector('.outbox-live') as HTMLElement;
  const sendNow = box.querySelector('#contact-outbox-send') as HTMLButtonElement;
  let sendingId: string | undefined;

  const paint = async () => {
    const drafts = await draftsOf(c.me.username).catch(() => [] as ContactDraft[]);
    box.hidden = drafts.length === 0;
    box.dataset.waiting = String(drafts.filter((d) => d.state === 'waiting').length);
    title.textContent = m('field.outbox.title', { n: drafts.length });
    sendNow.hidden = !drafts.some((d) => d.state === 'waiting');
    list.replaceChildren(
      ...drafts.map((d) => {
        const li = el('li', 'outbox-item');
        li.dataset.requestId = d.requestId;
        li.dataset.state = d.requestId === sendingId ? 'sending' : d.state;
        const what = m('field.outbox.item', {
          firm: d.firmName,
          at: dateTime(d.input.at, lang, true),
          mode: m(`contactLog.mode.${d.input.mode}`),
        });
        li.append(el('p', 'outbox-what', what));
        if (d.files.length > 0)
          li.append(el('p', 'outbox-files muted', m('field.outbox.files', { n: d.files.length })));
        const state =
          d.requestId === sendingId
            ? m('field.outbox.sending')
            : d.state === 'refused'
              ? m('field.outbox.refused', { reason: d.problem ?? '' })
              : m('field.outbox.waiting');
        li.append(el('p', 'outbox-state', state));
        if (d.state === 'refused') {
          // The summary stays readable, so it can be copied before the draft goes.
          li.append(el('p', 'outbox-summary', d.input.summary));
          const discard = el('button', 'button-secondary button-small', m('field.outbox.discard'));
          discard.type = 'button';
          discard.addEventListener('click', async () => {
            if (!confirm(m('field.outbox.discardConfirm'))) return;
            await deleteDraft(d.requestId);
            await paint();
          });
          li.append(discard);
        }
        return li;
      }),
    );
  };

  /** Uploads the draft's photos not uploaded yet, then sends the contact. */
  const sendOne = async (draft: ContactDraft): Promise<Outcome> => {
    for (const file of draft.files) {
      if (file.evidenceId) continue;
      const announced = await announceEvidence(file.blob, file.fileName, file.contentType, c.token);
      if (!('evidenceId' in announced)) {
        return later(announced.status)
          ? { later: true }
          : { refused: failureText(m, announced.status, announced.body) };
      }
      if (!(await putEvidence(file.blob, announced))) return { later: true };
      file.evidenceId = announced.evidenceId;
      await saveDraft(draft);
    }
    const input = {
      ...draft.input,
      evidenceIds: draft.files.map((f) => f.evidenceId ?? ''),
      requestId: draft.requestId,
    };
    const { status, body } = await api('contacts.create', {
      params: { id: draft.pairingId },
      json: input,
      token: c.token,
    });
    const contact = (body as { contact?: Contact } | null)?.contact;
    if ((status === 200 || status === 201) && contact) return { sent: contact };
    if (later(status)) return { later: true };
    // A concurrent contact moved the pairing's version on: nothing was written; the next round sends it.
    if (status === 409 && errorCodeOf(body) === 'VERSION_CONFLICT') return { later: true };
    // An upload gone (unattached for more than a day, or never arrived): it goes again next round.
    const gone = Object.keys(fieldsOf(body)).flatMap((key) => {
      const [head, index] = key.split('.');
      return head === 'evidenceIds' && index !== undefined ? [Number(index)] : [];
    });
    if (status === 400 && gone.length > 0 && gone.every((i) => draft.files[i])) {
      for (const i of gone) (draft.files[i] as { evidenceId?: string }).evidenceId = undefined;
      await saveDraft(draft);
      return { later: true };
    }
    return { refused: failureText(m, status, body) };
  };

  let running: Promise<void> | undefined;
  const flushNow = async () => {
    for (const draft of await draftsOf(c.me.username)) {
      if (draft.state !== 'waiting') continue;
      if (!navigator.onLine) return;
      sendingId = draft.requestId;
      await paint();
      const outcome = await sendOne(draft).catch((): Outcome => ({ later: true }));
      sendingId = undefined;
      if ('sent' in outcome) {
        await deleteDraft(draft.requestId);
        live.textContent = m('field.outbox.sent', { firm: draft.firmName });
        await onSent(outcome.sent, draft);
      } else if ('refused' in outcome) {
        await saveDraft({ ...draft, state: 'refused', problem: outcome.refused });
      } else {
        // No signal after all, or the server's trouble: the rest waits for the next round.
        break;
      }
    }
    await paint();
  };

  /** Sends what waits, one round at a time (two tabs: one at a time across them, where the browser can). */
  const flush = (): Promise<void> => {
    running ??= (async () => {
      try {
        if (navigator.locks) await navigator.locks.request('eco-contact-drafts', () => flushNow());
        else await flushNow();
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  sendNow.addEventListener('click', () => void flush());
  window.addEventListener('online', () => void flush());
  window.setInterval(() => {
    if (navigator.onLine && box.dataset.waiting !== '0' && !box.hidden) void flush();
  }, 30_000);

  return { paint, flush };
};
