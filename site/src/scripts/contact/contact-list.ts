/**
 * `<contact-list>` (ContactList.astro): the contacts logged for a pairing, newest first
 * (`GET /api/staff/pairings/{id}/contacts`). The cards with their evidence thumbnails (contact-card.ts
 * and the evidence links, ~1.2 KB gzip) load while the list is asked for, so the form opens without
 * them; the page loads the list as soon as it opens, so a phone that loses its signal later has them.
 */
import { api } from '../../kit/api.ts';
import { answerFailureBox } from '../../kit/failure.ts';
import { lazy } from '../../kit/lazy.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';

const cardsModule = lazy(() => import('./contact-card.ts'));

export class ContactList extends HTMLElement {
  #c: TypedConsole | undefined;
  #pairingId = '';

  init(c: TypedConsole, pairingId: string): void {
    this.#c = c;
    this.#pairingId = pairingId;
  }

  /** Asks for the pairing's contacts and shows them (or what went wrong, with a retry). */
  async load(): Promise<void> {
    const c = this.#c;
    if (!c) return;
    const { m } = c;
    const list = this.querySelector('.contact-list') as HTMLElement;
    list.setAttribute('aria-busy', 'true');
    list.replaceChildren(el('p', 'muted', m('console.loading')));
    const cards = cardsModule();
    const listed = await api('contacts.list', { params: { id: this.#pairingId }, token: c.token });
    const module = await cards.catch(() => undefined);
    list.removeAttribute('aria-busy');
    if (!listed.ok || !Array.isArray(listed.body.contacts) || !module) {
      list.replaceChildren(answerFailureBox(m, 'contactLog.list.failed', listed, () => void this.load()));
      return;
    }
    const { contacts } = listed.body;
    if (contacts.length === 0) {
      list.replaceChildren(el('p', 'muted', m('contactLog.list.empty')));
      return;
    }
    const qualifying = (this.dataset.qualifying ?? '').split(' ');
    const card = module.contactCards(c, JSON.parse(this.dataset.types ?? '{}') as Record<string, string>, qualifying);
    const ul = el('ul', 'contact-items');
    for (const contact of contacts) ul.append(card(contact));
    list.replaceChildren(ul);
  }
}

if (!customElements.get('contact-list')) customElements.define('contact-list', ContactList);
