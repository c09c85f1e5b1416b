/**
 * One pairing's card in `<pairing-list>`: the firm with its status, whether this month's contact is
 * still due, the facts, the link to log a contact and, for leads and admins, the actions (each opening
 * its confirmation under the card, pairings/actions.ts) and the pairing's history in the audit log.
 */
import { dateText } from '../../kit/dates.ts';
import type { TypedConsole } from '../console.ts';
import { buttonEl, dateTime, el } from '../format.ts';
import type { Pairing } from '../pairings-common.ts';

/** What a manager may do to a pairing from its card, each after a confirmation (pairings/actions.ts). */
export type Action = 'reassign' | 'pause' | 'resume' | 'end';

/** What a card shows with, as its list has read it. */
export interface CardView {
  c: TypedConsole;
  managers: boolean;
  /** The card names the county when the caller sees more than one. */
  withCounty: boolean;
  /** This service year: only its active pairings say whether the month's contact is due. */
  year: number;
  personOf: (username: string) => string;
  firmName: (uscc: string) => string;
  placeLabel: (code: string) => string;
  metThisMonth: (p: Pairing) => boolean;
  openConfirm: (p: Pairing, action: Action, trigger: HTMLButtonElement) => void;
}

/** The (hidden) confirmation form under a card, filled when one of its actions is chosen. */
export const confirmSlot = (id: string): HTMLFormElement => {
  const form = el('form', 'confirm pairing-confirm');
  form.id = id;
  form.noValidate = true;
  form.hidden = true;
  return form;
};

const BADGE = { active: 'confirmed', paused: 'waitlisted', ended: 'cancelled' } as const;

export const pairingCard = (p: Pairing, view: CardView): HTMLElement => {
  const { c, personOf, firmName } = view;
  const { m, lang } = c;
  const item = el('li', `card pairing pairing-${p.status}`);
  item.dataset.pairingId = p.pairingId;
  item.dataset.status = p.status;
  item.dataset.uscc = p.uscc;
  const head = el('div', 'pairing-head');
  const title = el('h4');
  const link = el('a', undefined, firmName(p.uscc));
  link.href = `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(p.uscc)}`;
  title.append(link);
  const badge = el('span', 'badge', m(`pairings.status.${p.status}`));
  badge.dataset.status = BADGE[p.status];
  head.append(title, badge);
  item.append(head, el('p', 'uscc mono', p.uscc));

  const when = (iso: string | null) => (iso ? dateTime(iso, lang, true) : m('pairings.never'));
  const facts = el('dl', 'pairing-facts');
  const fact = (label: string, value: string, name: string) => {
    const row = el('div');
    row.dataset.fact = name;
    row.append(el('dt', undefined, label), el('dd', undefined, value));
    facts.append(row);
  };
  // The liaison is the group's heading, so the card does not repeat it.
  fact(m('pairings.col.lastQualifying'), when(p.lastQualifyingContactAt), 'lastQualifying');
  fact(m('pairings.col.lastContact'), when(p.lastContactAt), 'lastContact');
  fact(m('pairings.col.year'), m('pairings.yearValue', { year: p.serviceYear }), 'year');
  fact(m('pairings.col.startsOn'), dateText(p.startsOn, lang), 'startsOn');
  if (view.withCounty) fact(m('pairings.col.county'), view.placeLabel(p.county), 'county');
  if (p.contactLeader) fact(m('pairings.col.contactLeader'), personOf(p.contactLeader), 'contactLeader');
  if (p.checkupIntervalMonths)
    fact(m('pairings.col.cadence'), m('pairings.cadence.months', { n: p.checkupIntervalMonths }), 'cadence');
  if (p.mentorUscc) fact(m('pairings.col.mentor'), firmName(p.mentorUscc), 'mentor');
  if (p.endedOn) fact(m('pairings.col.endedOn'), dateText(p.endedOn, lang), 'endedOn');

  if (p.status === 'active' && p.serviceYear === view.year) {
    const met = view.metThisMonth(p);
    item.append(el('p', `month-flag ${met ? 'month-met' : 'month-due'}`, m(met ? 'pairings.met' : 'pairings.due')));
  }
  item.append(facts, actionsOf(p, view), confirmSlot(`confirm-${p.pairingId}`));
  return item;
};

const actionsOf = (p: Pairing, { c, managers, firmName, openConfirm }: CardView): HTMLElement => {
  const { m } = c;
  const actions = el('div', 'pairing-actions');
  actions.setAttribute('role', 'group');
  actions.setAttribute('aria-label', m('pairings.actionsLabel', { firm: firmName(p.uscc) }));
  const ended = p.status === 'ended';
  const log = el('a', ended ? 'button button-secondary button-small' : 'button button-small');
  log.textContent = m(ended ? 'pairings.contacts' : 'pairings.logContact');
  log.href = `${c.path('/staff/pairings/contact/')}?id=${encodeURIComponent(p.pairingId)}`;
  log.dataset.action = 'contact';
  actions.append(log);
  if (!managers) return actions;
  const button = (action: Action, danger = false) => {
    const it = buttonEl(
      `button-small ${danger ? 'button-danger-outline' : 'button-secondary'}`,
      m(`pairings.${action}`),
    );
    it.dataset.action = action;
    it.setAttribute('aria-expanded', 'false');
    it.setAttribute('aria-controls', `confirm-${p.pairingId}`);
    it.addEventListener('click', () => openConfirm(p, action, it));
    return it;
  };
  if (!ended) {
    // Ending is rare and final: kept behind "more" on each card, not a red button on every one (issue 18).
    const more = el('details', 'more-actions');
    more.append(el('summary', 'button button-small button-secondary', m('pairings.more')), button('end', true));
    actions.append(button('reassign'), button(p.status === 'active' ? 'pause' : 'resume'), more);
  }
  const history = el('a', 'history-link', m('pairings.history'));
  history.href = `${c.path('/staff/audit/')}?entity=${encodeURIComponent(`pairing:${p.pairingId}`)}`;
  actions.append(history);
  return actions;
};
