/**
 * Staff console, pairings: `GET /api/staff/pairings` (liaison / county / service year; a liaison
 * gets its own), grouped per liaison, with firm names from the roster. Leads and admins also get
 * reassign / pause / resume / end on each pairing (each behind a confirmation in the card), the
 * province's submission-table export, and the new-pairing form (`POST /api/staff/pairings`).
 */

import { contains, levelOf, names } from '../../../shared/jurisdictions.ts';
import { shanghaiMonth } from '../../../shared/time.ts';
import { api, apiPath } from '../kit/api.ts';
import { dateText } from '../kit/dates.ts';
import { failureBox } from '../kit/failure.ts';
import { failureText } from '../kit/messages.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { exportButtons } from './export-buttons.ts';
import { buttonEl, dateTime, el, showStatus } from './format.ts';
import { type Action, pairingActions } from './pairings/actions.ts';
import { newPairingForm } from './pairings/new-pairing.ts';
import { rollOverSection } from './pairings/roll-over.ts';
import {
  type Firm,
  firmNames,
  keepQueryOnLangSwitch,
  loadWorkloads,
  type Pairing,
  personLabel,
  placeLabel,
  type StaffUser,
  staffUsers,
  thisYear,
} from './pairings-common.ts';

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, $ } = c;
  const status = $<HTMLElement>('#pairings-status');
  const filters = $<HTMLFormElement>('#pairings-filters');
  const year = $<HTMLSelectElement>('#filter-year');
  const county = $<HTMLSelectElement>('#filter-county');
  const liaisonFilter = $<HTMLSelectElement>('#filter-liaison');
  const statusFilter = $<HTMLSelectElement>('#filter-status');
  const list = $<HTMLElement>('#pairings-list');
  const count = $<HTMLElement>('#pairings-count');
  const managers = c.me.role === 'lead' || c.me.role === 'admin';
  const scope = c.me.jurisdiction.code;
  const contactPath = c.path('/staff/pairings/contact/');
  const firmPath = c.path('/staff/enterprises/firm/');
  const auditPath = c.path('/staff/audit/');

  for (const item of root.querySelectorAll<HTMLElement>('[data-managers]')) item.hidden = !managers;

  // ---- people ----

  let users: StaffUser[] = [];
  /** Names the pairings' answer carried (issue 18): a liaison reads no staff list, and needs none. */
  const answered = new Map<string, string>();
  const personOf = (username: string): string =>
    answered.get(username) ??
    (username === c.me.username
      ? personLabel({ username, displayName: c.me.displayName ?? '' }, username, lang)
      : personLabel(
          users.find((u) => u.username === username),
          username,
          lang,
        ));
  const liaisonsOf = (code?: string) =>
    users
      .filter((u) => u.role === 'liaison' && (code === undefined || u.jurisdiction === code))
      .sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction) || a.username.localeCompare(b.username));
  /** 联系领导 candidates: enabled leads whose jurisdiction holds the county (the server checks the same). */
  const leadsOver = (code: string) =>
    users
      .filter((u) => u.role === 'lead' && u.enabled !== false && contains(u.jurisdiction, code))
      .sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction) || a.username.localeCompare(b.username));

  // ---- filters ----

  const params = new URLSearchParams(location.search);
  const now = thisYear();
  year.append(new Option(m('pairings.filter.allYears'), ''));
  for (let y = now + 1; y >= now - 3; y--) year.append(new Option(m('pairings.yearValue', { year: y }), String(y)));
  const wantedYear = params.get('serviceYear');
  year.value = wantedYear !== null && [...year.options].some((o) => o.value === wantedYear) ? wantedYear : String(now);

  const counties = Object.keys(names)
    .filter((code) => levelOf(code) === 'county' && contains(scope, code))
    .sort();
  if (levelOf(scope) !== 'county') county.append(new Option(m('pairings.filter.allCounties'), ''));
  else if (!counties.includes(scope)) counties.push(scope);
  for (const code of counties) county.append(new Option(placeLabel(code, lang), code));
  const wantedCounty = params.get('county') ?? '';
  if ([...county.options].some((o) => o.value === wantedCounty)) county.value = wantedCounty;
  const wantedStatus = params.get('status') ?? '';
  if ([...statusFilter.options].some((o) => o.value === wantedStatus)) statusFilter.value = wantedStatus;

  const fillLiaisonFilter = () => {
    const keep = liaisonFilter.value || params.get('liaison') || '';
    liaisonFilter.replaceChildren(new Option(m('pairings.filter.allLiaisons'), ''));
    for (const u of liaisonsOf()) {
      if (county.value && u.jurisdiction !== county.value) continue;
      liaisonFilter.append(new Option(personLabel(u, u.username, lang), u.username));
    }
    liaisonFilter.value = [...liaisonFilter.options].some((o) => o.value === keep) ? keep : '';
  };

  // ---- the list ----

  let pairings: Pairing[] = [];
  let firms = new Map<string, Firm>();
  const firmName = (uscc: string) => firms.get(uscc)?.name ?? uscc;
  const month = shanghaiMonth(new Date());

  const say = (text: string | Node, kind: 'success' | 'error' | 'info' = 'success') => {
    showStatus(status, kind, text);
  };

  const when = (iso: string | null) => (iso ? dateTime(iso, lang, true) : m('pairings.never'));
  const metThisMonth = (p: Pairing) =>
    p.lastQualifyingContactAt !== null && shanghaiMonth(new Date(p.lastQualifyingContactAt)) === month;

  const actionButton = (label: string, action: Action, p: Pairing, danger = false) => {
    const button = buttonEl(`button-small ${danger ? 'button-danger-outline' : 'button-secondary'}`, label);
    button.dataset.action = action;
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', `confirm-${p.pairingId}`);
    button.addEventListener('click', () => openConfirm(p, action, button));
    return button;
  };

  const card = (p: Pairing): HTMLElement => {
    const item = el('li', `card pairing pairing-${p.status}`);
    item.dataset.pairingId = p.pairingId;
    item.dataset.status = p.status;
    item.dataset.uscc = p.uscc;
    const head = el('div', 'pairing-head');
    const title = el('h4');
    const link = el('a', undefined, firmName(p.uscc));
    link.href = `${firmPath}?uscc=${encodeURIComponent(p.uscc)}`;
    title.append(link);
    const badge = el('span', 'badge', m(`pairings.status.${p.status}`));
    badge.dataset.status = p.status === 'active' ? 'confirmed' : p.status === 'paused' ? 'waitlisted' : 'cancelled';
    head.append(title, badge);
    item.append(head, el('p', 'uscc mono', p.uscc));

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
    if (managers && levelOf(scope) !== 'county') fact(m('pairings.col.county'), placeLabel(p.county, lang), 'county');
    if (p.contactLeader) fact(m('pairings.col.contactLeader'), personOf(p.contactLeader), 'contactLeader');
    if (p.checkupIntervalMonths)
      fact(m('pairings.col.cadence'), m('pairings.cadence.months', { n: p.checkupIntervalMonths }), 'cadence');
    if (p.mentorUscc) fact(m('pairings.col.mentor'), firms.get(p.mentorUscc)?.name ?? p.mentorUscc, 'mentor');
    if (p.endedOn) fact(m('pairings.col.endedOn'), dateText(p.endedOn, lang), 'endedOn');

    if (p.status === 'active' && p.serviceYear === now) {
      const met = metThisMonth(p);
      const flag = el('p', `month-flag ${met ? 'month-met' : 'month-due'}`, m(met ? 'pairings.met' : 'pairings.due'));
      item.append(flag);
    }
    item.append(facts);

    const actions = el('div', 'pairing-actions');
    actions.setAttribute('role', 'group');
    actions.setAttribute('aria-label', m('pairings.actionsLabel', { firm: firmName(p.uscc) }));
    const log = el('a', p.status === 'ended' ? 'button button-secondary button-small' : 'button button-small');
    log.textContent = m(p.status === 'ended' ? 'pairings.contacts' : 'pairings.logContact');
    log.href = `${contactPath}?id=${encodeURIComponent(p.pairingId)}`;
    log.dataset.action = 'contact';
    actions.append(log);
    if (managers && p.status !== 'ended') {
      actions.append(actionButton(m('pairings.reassign'), 'reassign', p));
      actions.append(
        p.status === 'active'
          ? actionButton(m('pairings.pause'), 'pause', p)
          : actionButton(m('pairings.resume'), 'resume', p),
      );
      actions.append(actionButton(m('pairings.end'), 'end', p, true));
    }
    if (managers) {
      const history = el('a', 'history-link', m('pairings.history'));
      history.href = `${auditPath}?entity=${encodeURIComponent(`pairing:${p.pairingId}`)}`;
      actions.append(history);
    }
    item.append(actions);
    item.append(confirmSlot(`confirm-${p.pairingId}`));
    return item;
  };

  /** The (hidden) confirmation form of a card, filled when an action is chosen. */
  const confirmSlot = (id: string): HTMLFormElement => {
    const form = el('form', 'confirm pairing-confirm');
    form.id = id;
    form.noValidate = true;
    form.hidden = true;
    return form;
  };

  const ORDER = { active: 0, paused: 1, ended: 2 } as const;

  const render = () => {
    const wanted = statusFilter.value;
    const shown = pairings.filter((p) =>
      wanted === 'all' ? true : wanted === 'current' ? p.status !== 'ended' : p.status === wanted,
    );
    count.textContent = m('pairings.list.count', { n: shown.length });
    if (shown.length === 0) {
      const mine = !managers && pairings.length === 0;
      list.replaceChildren(el('p', 'muted empty', m(mine ? 'pairings.list.emptyMine' : 'pairings.list.empty')));
      return;
    }
    const groups = new Map<string, Pairing[]>();
    for (const p of shown) groups.set(p.liaison, [...(groups.get(p.liaison) ?? []), p]);
    const sections = [...groups.entries()].sort(([a], [b]) => personOf(a).localeCompare(personOf(b), lang));
    const out = el('div', 'pairing-groups');
    for (const [liaison, items] of sections) {
      // Active first, and among them the ones still to visit this month.
      items.sort(
        (a, b) =>
          ORDER[a.status] - ORDER[b.status] ||
          b.serviceYear - a.serviceYear ||
          Number(metThisMonth(a)) - Number(metThisMonth(b)) ||
          firmName(a.uscc).localeCompare(firmName(b.uscc), lang),
      );
      const section = el('section', 'pairing-group');
      section.dataset.liaison = liaison;
      const heading = el('h3', undefined, m('pairings.group', { name: personOf(liaison), n: items.length }));
      heading.id = `group-${liaison.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      section.setAttribute('aria-labelledby', heading.id);
      const ul = el('ul', 'pairing-list');
      for (const p of items) ul.append(card(p));
      section.append(heading, ul);
      out.append(section);
    }
    list.replaceChildren(out);
  };

  const query = () => {
    const q = new URLSearchParams();
    if (year.value) q.set('serviceYear', year.value);
    if (managers && county.value) q.set('county', county.value);
    if (managers && liaisonFilter.value) q.set('liaison', liaisonFilter.value);
    return q;
  };

  const loadPairings = async (): Promise<void> => {
    list.setAttribute('aria-busy', 'true');
    list.replaceChildren(el('p', 'muted', m('console.loading')));
    count.textContent = '';
    const q = query();
    const listed = await api('pairings.list', { query: q, token: c.token });
    const { status: code, body: answer } = listed;
    const found = listed.ok ? listed.body.pairings : undefined;
    if (code === 401) return;
    if (code !== 200 || !Array.isArray(found)) {
      list.removeAttribute('aria-busy');
      list.replaceChildren(
        failureBox(c.m, m('pairings.list.failed'), failureText(c.m, code, answer), () => void loadPairings()),
      );
      return;
    }
    pairings = found;
    for (const p of found) {
      answered.set(p.liaison, p.liaisonName);
      if (p.contactLeader && p.contactLeaderName) answered.set(p.contactLeader, p.contactLeaderName);
    }
    const codes = [...new Set(pairings.flatMap((p) => (p.mentorUscc ? [p.uscc, p.mentorUscc] : [p.uscc])))];
    firms = await firmNames(c.token, (managers && county.value) || scope, codes);
    list.removeAttribute('aria-busy');
    render();
  };

  /** Keeps the filters in the address (a link or reload shows the same list). */
  const remember = () => {
    const q = query();
    if (statusFilter.value !== 'current') q.set('status', statusFilter.value);
    history.replaceState(null, '', `${location.pathname}${q.size ? `?${q}` : ''}`);
    keepQueryOnLangSwitch();
  };
  const applyFilters = () => {
    remember();
    void loadPairings();
  };
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilters();
  });
  year.addEventListener('change', applyFilters);
  county.addEventListener('change', () => {
    fillLiaisonFilter();
    applyFilters();
  });
  liaisonFilter.addEventListener('change', applyFilters);
  // The status is chosen among the pairings already loaded.
  statusFilter.addEventListener('change', () => {
    remember();
    if (list.getAttribute('aria-busy') !== 'true') render();
  });

  const { openConfirm } = pairingActions({ c, list, confirmSlot, firmName, liaisonsOf, personOf, loadPairings, say });

  // ---- export ----

  exportButtons(c, root, (format) => {
    const q = new URLSearchParams({ format });
    if (year.value) q.set('serviceYear', year.value);
    if (county.value) q.set('county', county.value);
    return {
      path: apiPath('pairings.export', undefined, q),
      fallback: `pairings-${year.value || 'all'}${county.value ? `-${county.value}` : ''}.${format}`,
    };
  });

  const newPairing = newPairingForm({ c, liaisonsOf, leadsOver, personOf, loadPairings, list, status, say, now });
  if (managers) rollOverSection({ c, personOf, loadPairings });

  // ---- start ----

  keepQueryOnLangSwitch();
  if (managers) {
    newPairing.defaults();
    [users] = await Promise.all([staffUsers(c).then((u) => u ?? []), loadWorkloads(c)]);
    fillLiaisonFilter();
    newPairing.fillLiaisons();
  }
  await loadPairings();
};

runConsolePage(run, ['liaison', 'lead', 'admin']);
