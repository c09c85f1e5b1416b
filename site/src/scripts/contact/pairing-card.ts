/**
 * `<pairing-card>` (ContactPage.astro), the firm's card at the top of the contact form: the pairing's
 * facts (status, liaison, last contacts) and the firm's reach (address, person to call, last contact);
 * the page shows the form, or says the pairing ended, from what `load` answers. The pairing comes from
 * the list the caller may see (there is no single-pairing read); that list also makes the liaison's
 * month list after a save (`next-firm.ts`).
 */
import { api } from '../../kit/api.ts';
import { firmReach } from '../../kit/firm-reach.ts';
import { failureText } from '../../kit/messages.ts';
import type { TypedConsole } from '../console.ts';
import { dateTime, dayLabel, el } from '../format.ts';
import { firmOf, type Pairing } from '../pairings-common.ts';

/** What reading the pairing came to: shown, or what went wrong (and whether trying again may help). */
export type PairingRead = { shown: Pairing } | { failed: string; retry: boolean };

export class PairingCard extends HTMLElement {
  #c: TypedConsole | undefined;
  #pairingId = '';
  #pairing: Pairing | undefined;
  /** Every pairing the caller may see, as the last read answered (the month's list is made of them). */
  #pairings: Pairing[] = [];

  init(c: TypedConsole, pairingId: string): void {
    this.#c = c;
    this.#pairingId = pairingId;
  }

  /** The pairing as last read (undefined before the first read). */
  get current(): Pairing | undefined {
    return this.#pairing;
  }

  /** Every pairing the caller may see, as last read. */
  get all(): Pairing[] {
    return this.#pairings;
  }

  /** The firm's name as the card shows it (its USCC until the firm is read). */
  get firmName(): string {
    return this.querySelector('h2')?.textContent?.trim() || (this.#pairing?.uscc ?? '');
  }

  /** Reads the pairing and shows it; undefined when the session ended (the console signs in again). */
  async load(): Promise<PairingRead | undefined> {
    const c = this.#c;
    if (!c) return undefined;
    const { m } = c;
    const listed = await api('pairings.list', { token: c.token });
    const { status, body: answer } = listed;
    if (status === 401) return undefined;
    const found = listed.ok ? listed.body.pairings : undefined;
    if (status !== 200 || !Array.isArray(found)) {
      return { failed: `${m('contactLog.failed')} ${failureText(m, status, answer)}`, retry: true };
    }
    this.#pairings = found;
    const p = found.find((x) => x.pairingId === this.#pairingId);
    if (!p) return { failed: m('error.NOT_FOUND'), retry: false };
    this.#pairing = p;
    await this.#show(c, p);
    return { shown: p };
  }

  async #show(c: TypedConsole, p: Pairing): Promise<void> {
    const { lang, m } = c;
    const when = (iso: string | null) => (iso ? dateTime(iso, lang, true) : m('pairings.never'));
    const firm = await firmOf(c.token, p.uscc);
    const link = el('a', undefined, firm?.name ?? p.uscc);
    link.id = 'pairing-firm-link';
    link.href = `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(p.uscc)}`;
    (this.querySelector('h2') as HTMLElement).replaceChildren(link);
    (this.querySelector('.uscc') as HTMLElement).textContent = p.uscc;
    const facts = this.querySelector('dl') as HTMLElement;
    facts.replaceChildren();
    const fact = (label: string, value: string | Node, name: string) => {
      const row = el('div');
      row.dataset.fact = name;
      const dd = el('dd');
      dd.append(value);
      row.append(el('dt', undefined, label), dd);
      facts.append(row);
    };
    const badge = el('span', 'badge', m(`pairings.status.${p.status}`));
    badge.dataset.status = p.status === 'active' ? 'confirmed' : p.status === 'paused' ? 'waitlisted' : 'cancelled';
    fact(m('pairings.col.status'), badge, 'status');
    fact(m('pairings.col.liaison'), p.liaisonName, 'liaison');
    fact(m('pairings.col.year'), m('pairings.yearValue', { year: p.serviceYear }), 'year');
    fact(m('pairings.col.lastQualifying'), when(p.lastQualifyingContactAt), 'lastQualifying');
    fact(m('pairings.col.lastContact'), when(p.lastContactAt), 'lastContact');
    if (p.endedOn) fact(m('pairings.col.endedOn'), dayLabel(p.endedOn, lang), 'endedOn');
    (this.querySelector('.pairing-reach') as HTMLElement).replaceChildren(
      firmReach(
        m,
        firm ?? { name: p.uscc },
        p.lastContact,
        (iso) => dateTime(iso, lang, true),
        (mode) => m(`contactLog.mode.${mode}`),
      ),
    );
    document.title = `${firm?.name ?? p.uscc} · ${document.title.split(' · ').slice(-2).join(' · ')}`;
  }
}

if (!customElements.get('pairing-card')) customElements.define('pairing-card', PairingCard);
