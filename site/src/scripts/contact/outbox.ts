/**
 * `<contact-outbox>` (ContactOutbox.astro), the contacts waiting on this phone (issue 20): what the form kept without signal (kit/drafts.ts),
 * listed above the form (firm, time, mode, photos, and whether it waits for a signal, is being sent or
 * was refused), and sent when the network is back: on the browser's `online` event, when the page
 * opens, every 30 s while some wait, and on "send now". One draft at a time, in the order kept; its
 * photos are uploaded first (each evidence id written into the draft at once, so a crash does not
 * upload it again), then the contact with the draft's request id, so the server makes one contact
 * however often it is sent. Only the server's "done" (200/201) deletes a draft; no signal, a server
 * error or a rate limit leaves it waiting; a refusal for good (4xx) keeps it, refused, until the user
 * discards it (the summary stays readable, nothing typed is lost).
 */
import { type ContactDraft, deleteDraft, draftsOf, saveDraft } from '../../kit/drafts.ts';
import { lazy } from '../../kit/lazy.ts';
import { sendingRounds } from '../../kit/sending-rounds.ts';
import type { TypedConsole } from '../console.ts';
import { dateTime, el } from '../format.ts';
import { askingButton, outboxItem } from '../outbox-item.ts';
import type { Contact } from '../pairings-common.ts';
import type { Outcome } from './outbox-send.ts';

/**
 * The sending of a kept contact (its photos' uploads, then the contact: outbox-send.ts, ~1 KB gzip) loads
 * when a contact first waits to be sent, and after the page opens (`preload`), while there is signal.
 */
const sending = lazy(() => import('./outbox-send.ts'));

/** Told of each contact sent from here (the page reads the pairing and its contacts again). */
type OnSent = (contact: Contact, draft: ContactDraft) => Promise<void>;

export class ContactOutbox extends HTMLElement {
  #c: TypedConsole | undefined;
  /** The request id of the draft being sent now, if one is. */
  #sendingId: string | undefined;
  #flush: () => Promise<void> = async () => undefined;

  init(c: TypedConsole, onSent: OnSent): void {
    this.#c = c;
    this.#flush = sendingRounds(
      'eco-contact-drafts',
      () => this.#round(c, onSent),
      this.querySelector('button') as HTMLButtonElement,
      () => this.#box.dataset.waiting !== '0' && !this.#box.hidden,
    );
  }

  /** Sends what waits, if there is signal (a round under way is joined). */
  flush(): Promise<void> {
    return this.#flush();
  }

  /** Loads the sending now, so that a contact kept later is sent even if the page's files cannot be fetched. */
  async preload(): Promise<void> {
    await sending().catch(() => undefined);
  }

  /** Lists the drafts kept on this phone (none: the box hides), with "discard" for a refused one. */
  async paint(): Promise<void> {
    const c = this.#c;
    if (!c) return;
    const { lang, m } = c;
    const box = this.#box;
    const drafts = await draftsOf(c.me.username).catch((): ContactDraft[] => []);
    box.hidden = drafts.length === 0;
    box.dataset.waiting = String(drafts.filter((d) => d.state === 'waiting').length);
    (box.querySelector('h2') as HTMLElement).textContent = m('field.outbox.title', { n: drafts.length });
    (box.querySelector('button') as HTMLButtonElement).hidden = !drafts.some((d) => d.state === 'waiting');
    (box.querySelector('ul') as HTMLUListElement).replaceChildren(
      ...drafts.map((d) => {
        const sending = d.requestId === this.#sendingId;
        const li = outboxItem({
          what: m('field.outbox.item', {
            firm: d.firmName,
            at: dateTime(d.input.at, lang, true),
            mode: m(`contactLog.mode.${d.input.mode}`),
          }),
          photos: d.files.length > 0 ? m('field.outbox.files', { n: d.files.length }) : undefined,
          state: sending ? 'sending' : d.state,
          stateText: sending
            ? m('field.outbox.sending')
            : d.state === 'refused'
              ? m('field.outbox.refused', { reason: d.problem ?? '' })
              : m('field.outbox.waiting'),
        });
        li.dataset.requestId = d.requestId;
        if (d.state === 'refused') {
          // The summary stays readable, so it can be copied before the draft goes.
          li.append(el('p', 'outbox-summary', d.input.summary));
          li.append(
            askingButton(m('field.outbox.discard'), m('field.outbox.discardConfirm'), async () => {
              await deleteDraft(d.requestId);
              await this.paint();
            }),
          );
        }
        return li;
      }),
    );
  }

  get #box(): HTMLElement {
    return this.querySelector('section') as HTMLElement;
  }

  /** One round: the waiting drafts in the order kept, until one cannot go now. */
  async #round(c: TypedConsole, onSent: OnSent): Promise<void> {
    for (const draft of await draftsOf(c.me.username)) {
      if (draft.state !== 'waiting') continue;
      if (!navigator.onLine) return;
      this.#sendingId = draft.requestId;
      await this.paint();
      const outcome = await sending()
        .then(({ sendOne }) => sendOne(c, draft))
        .catch((): Outcome => ({ later: true }));
      this.#sendingId = undefined;
      if ('sent' in outcome) {
        await deleteDraft(draft.requestId);
        (this.querySelector('.outbox-live') as HTMLElement).textContent = c.m('field.outbox.sent', {
          firm: draft.firmName,
        });
        await onSent(outcome.sent, draft);
      } else if ('refused' in outcome) {
        await saveDraft({ ...draft, state: 'refused', problem: outcome.refused });
      } else {
        // No signal after all, or the server's trouble: the rest waits for the next round.
        break;
      }
    }
    await this.paint();
  }
}

if (!customElements.get('contact-outbox')) customElements.define('contact-outbox', ContactOutbox);
