/**
 * The firm's card at the top of the contact form: the pairing's facts (status, liaison, last
 * contacts), the firm's reach (address, person to call, last contact) and the form shown or hidden as
 * the pairing is ended or not. The pairing comes from the list the caller may see (there is no
 * single-pairing read); that list also makes the liaison's month list after a save (`next-firm.ts`).
 */
import { api } from '../../kit/api.ts';
import { firmReach } from '../../kit/firm-reach.ts';
import { failureText } from '../../kit/messages.ts';
import type { TypedConsole } from '../console.ts';
import { dateTime, dayLabel, el } from '../format.ts';
import { firmOf, type Pairing } from '../pairings-common.ts';

/** What the card needs from the rest of the page. */
export interface PairingCardContext {
  c: TypedConsole;
  pairingId: string;
  /** Says the card could not be read, with a retry when one helps. */
  fail: (text: string, retry?: () => void) => void;
  retry: () => void;
}

export const pairingCard = ({ c, pairingId, fail, retry }: PairingCardContext) => {
  const { lang, m, $ } = c;
  let pairing: Pairing | undefined;
  /** Every pairing the caller may see, as the last read answered (the month's list is made of them). */
  let pairings: Pairing[] = [];
  const when = (iso: string | null) => (iso ? dateTime(iso, lang, true) : m('pairings.never'));

  const show = async (p: Pairing) => {
    const firm = await firmOf(c.token, p.uscc);
    const link = el('a', undefined, firm?.name ?? p.uscc);
    link.id = 'pairing-firm-link';
    link.href = `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(p.uscc)}`;
    $<HTMLElement>('#pairing-firm-name').replaceChildren(link);
    $<HTMLElement>('#pairing-uscc').textContent = p.uscc;
    const facts = $<HTMLElement>('#pairing-facts');
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
    $<HTMLElement>('#pairing-reach').replaceChildren(
      firmReach(
        m,
        firm ?? { name: p.uscc },
        p.lastContact,
        (iso) => dateTime(iso, lang, true),
        (mode) => m(`contactLog.mode.${mode}`),
      ),
    );
    const ended = p.status === 'ended';
    $<HTMLElement>('#contact-ended').hidden = !ended;
    $<HTMLElement>('#contact-new').hidden = ended;
    document.title = `${firm?.name ?? p.uscc} · ${document.title.split(' · ').slice(-2).join(' · ')}`;
  };

  /** Reads the pairing and shows it; false when it cannot be shown (the page then says why). */
  const load = async (): Promise<boolean> => {
    const listed = await api('pairings.list', { token: c.token });
    const { status, body: answer } = listed;
    if (status === 401) return false;
    const found = listed.ok ? listed.body.pairings : undefined;
    if (status !== 200 || !Array.isArray(found)) {
      fail(`${m('contactLog.failed')} ${failureText(c.m, status, answer)}`, retry);
      return false;
    }
    pairings = found;
    const p = found.find((x) => x.pairingId === pairingId);
    if (!p) {
      fail(m('error.NOT_FOUND'));
      return false;
    }
    pairing = p;
    await show(p);
    return true;
  };

  return {
    load,
    /** The pairing as last read (undefined before the first read). */
    current: () => pairing,
    /** Every pairing the caller may see, as last read. */
    all: () => pairings,
  };
};
