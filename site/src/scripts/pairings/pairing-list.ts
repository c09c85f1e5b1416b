/**
 * `<pairing-list>` (PairingList.astro): the pairings of `GET /api/staff/pairings` (service year, county,
 * liaison; a liaison gets its own) grouped per liaison with firm names from the roster, the filters
 * kept in the address, the status line above them, and for leads and admins the province's
 * submission-table export and each card's actions. The page hands it the console and the people with
 * `init`, calls `load` when another section changed the pairings, and `peopleKnown` once the staff
 * accounts are read (the liaison filter lists them).
 */
import { contains, levelOf, names } from '../../../../shared/jurisdictions.ts';
import { shanghaiMonth } from '../../../../shared/time.ts';
import { api, apiPath } from '../../kit/api.ts';
import { answerFailureBox } from '../../kit/failure.ts';
import { lazy, warmOn } from '../../kit/lazy.ts';
import type { TypedConsole } from '../console.ts';
import { exportButtons } from '../export-buttons.ts';
import { fieldOf } from '../form-refusal.ts';
import { el, showStatus } from '../format.ts';
import { type Firm, firmNames, keepQueryOnLangSwitch, type Pairing, placeLabel, thisYear } from '../pairings-common.ts';
import { partOf } from '../parts.ts';
import { type CardView, pairingCard } from './card.ts';
import type { People } from './people.ts';

const ORDER = { active: 0, paused: 1, ended: 2 } as const;

export class PairingList extends HTMLElement {
  #section: ReturnType<typeof listSection> | undefined;

  init(c: TypedConsole, people: People): void {
    this.#section = listSection(this, c, people);
  }

  /** Reads the pairings again (with the filters as they are). */
  load(): Promise<void> {
    return this.#section?.load() ?? Promise.resolve();
  }

  /** Says what was done, in the status line above the filters. */
  say(text: string, kind: 'success' | 'error' = 'success'): void {
    this.#section?.say(text, kind);
  }

  /** A pairing just made (the list read again with it): its card marked, and the status line says so. */
  made(pairingId: string, text: string): void {
    this.querySelector(`[data-pairing-id="${CSS.escape(pairingId)}"]`)?.classList.add('pairing-new');
    this.say(text);
    this.#section?.status.scrollIntoView({ block: 'center' });
  }

  /** The staff accounts are read: the liaison filter offers them. */
  peopleKnown(): void {
    this.#section?.fillLiaisons();
  }
}

const listSection = (host: HTMLElement, c: TypedConsole, people: People) => {
  const { lang, m } = c;
  const status = partOf<HTMLElement>(host, '.pairings-status');
  const filters = partOf<HTMLFormElement>(host, 'form.filters');
  const list = partOf<HTMLElement>(host, '.list-body');
  const count = partOf<HTMLElement>(host, '.list-count');
  // The filters by their names in the form (and in the address).
  const [year, county, liaison, wanted] = ['serviceYear', 'county', 'liaison', 'status'].map((name) =>
    fieldOf<HTMLSelectElement>(filters, name),
  ) as [HTMLSelectElement, HTMLSelectElement, HTMLSelectElement, HTMLSelectElement];
  const managers = c.me.role === 'lead' || c.me.role === 'admin';
  const scope = c.me.jurisdiction.code;
  const params = new URLSearchParams(location.search);
  const choose = (select: HTMLSelectElement, value: string | null) => {
    if ([...select.options].some((o) => o.value === value)) select.value = value ?? '';
  };

  // ---- filters ----

  const now = thisYear();
  year.append(new Option(m('pairings.filter.allYears'), ''));
  for (let y = now + 1; y >= now - 3; y--) year.append(new Option(m('pairings.yearValue', { year: y }), String(y)));
  year.value = String(now);
  choose(year, params.get('serviceYear'));

  const counties = Object.keys(names)
    .filter((code) => levelOf(code) === 'county' && contains(scope, code))
    .sort();
  if (levelOf(scope) !== 'county') county.append(new Option(m('pairings.filter.allCounties'), ''));
  else if (!counties.includes(scope)) counties.push(scope);
  for (const code of counties) county.append(new Option(placeLabel(code, lang), code));
  choose(county, params.get('county') ?? '');
  choose(wanted, params.get('status') ?? '');

  const fillLiaisons = () => {
    const keep = liaison.value || params.get('liaison') || '';
    liaison.replaceChildren(new Option(m('pairings.filter.allLiaisons'), ''));
    for (const u of people.liaisonsOf(county.value || undefined)) {
      liaison.append(new Option(people.personOf(u.username), u.username));
    }
    liaison.value = '';
    choose(liaison, keep);
  };

  // ---- the list ----

  let pairings: Pairing[] = [];
  let firms = new Map<string, Firm>();
  const month = shanghaiMonth(new Date());
  const firmName = (uscc: string) => firms.get(uscc)?.name ?? uscc;
  const metThisMonth = (p: Pairing) =>
    p.lastQualifyingContactAt !== null && shanghaiMonth(new Date(p.lastQualifyingContactAt)) === month;
  const say = (text: string, kind: 'success' | 'error' = 'success') => showStatus(status, kind, text);

  const render = () => {
    const shown = pairings.filter((p) =>
      wanted.value === 'all' ? true : wanted.value === 'current' ? p.status !== 'ended' : p.status === wanted.value,
    );
    count.textContent = m('pairings.list.count', { n: shown.length });
    if (shown.length === 0) {
      const mine = !managers && pairings.length === 0;
      list.replaceChildren(el('p', 'muted empty', m(mine ? 'pairings.list.emptyMine' : 'pairings.list.empty')));
      return;
    }
    const groups = new Map<string, Pairing[]>();
    for (const p of shown) groups.set(p.liaison, [...(groups.get(p.liaison) ?? []), p]);
    const { personOf } = people;
    const sections = [...groups.entries()].sort(([a], [b]) => personOf(a).localeCompare(personOf(b), lang));
    const out = el('div', 'pairing-groups');
    for (const [name, items] of sections) {
      // Active first, and among them the ones still to visit this month.
      items.sort(
        (a, b) =>
          ORDER[a.status] - ORDER[b.status] ||
          b.serviceYear - a.serviceYear ||
          Number(metThisMonth(a)) - Number(metThisMonth(b)) ||
          firmName(a.uscc).localeCompare(firmName(b.uscc), lang),
      );
      const section = el('section', 'pairing-group');
      section.dataset.liaison = name;
      const heading = el('h3', undefined, m('pairings.group', { name: personOf(name), n: items.length }));
      heading.id = `group-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      section.setAttribute('aria-labelledby', heading.id);
      const ul = el('ul', 'pairing-list');
      for (const p of items) ul.append(pairingCard(p, view));
      section.append(heading, ul);
      out.append(section);
    }
    list.replaceChildren(out);
  };

  const query = () => {
    const q = new URLSearchParams();
    if (year.value) q.set('serviceYear', year.value);
    if (managers && county.value) q.set('county', county.value);
    if (managers && liaison.value) q.set('liaison', liaison.value);
    return q;
  };

  const load = async (): Promise<void> => {
    list.setAttribute('aria-busy', 'true');
    list.replaceChildren(el('p', 'muted', m('console.loading')));
    count.textContent = '';
    const listed = await api('pairings.list', { query: query(), token: c.token });
    if (listed.status === 401) return;
    if (!listed.ok || !Array.isArray(listed.body.pairings)) {
      list.removeAttribute('aria-busy');
      list.replaceChildren(answerFailureBox(m, 'pairings.list.failed', listed, () => void load()));
      return;
    }
    pairings = listed.body.pairings;
    people.heard(pairings);
    const codes = [...new Set(pairings.flatMap((p) => (p.mentorUscc ? [p.uscc, p.mentorUscc] : [p.uscc])))];
    firms = await firmNames(c.token, (managers && county.value) || scope, codes);
    list.removeAttribute('aria-busy');
    render();
  };

  // A card's confirmations load with the first action chosen (leads and admins only, and seldom).
  const confirmations = lazy(async () =>
    (await import('./actions.ts')).pairingActions({ c, list, people, firmName, reload: load, say }),
  );
  const openConfirm: CardView['openConfirm'] = (p, action, trigger) => {
    confirmations().then(
      (loaded) => loaded.openConfirm(p, action, trigger),
      () => say(m('error.NETWORK'), 'error'),
    );
  };
  // Warmed as a manager turns to the cards, so the first confirmation opens without a wait.
  if (managers) warmOn(list, confirmations);
  const view: CardView = {
    c,
    managers,
    withCounty: managers && levelOf(scope) !== 'county',
    year: now,
    personOf: people.personOf,
    firmName,
    placeLabel: (code) => placeLabel(code, lang),
    metThisMonth,
    openConfirm,
  };

  /** Keeps the filters in the address (a link or reload shows the same list). */
  const remember = () => {
    const q = query();
    if (wanted.value !== 'current') q.set('status', wanted.value);
    history.replaceState(null, '', `${location.pathname}${q.size ? `?${q}` : ''}`);
    keepQueryOnLangSwitch();
  };
  const apply = () => {
    remember();
    void load();
  };
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  year.addEventListener('change', apply);
  county.addEventListener('change', () => {
    fillLiaisons();
    apply();
  });
  liaison.addEventListener('change', apply);
  // The status is chosen among the pairings already loaded.
  wanted.addEventListener('change', () => {
    remember();
    if (list.getAttribute('aria-busy') !== 'true') render();
  });

  // ---- export (leads and admins) ----

  exportButtons(c, host, (format) => {
    const q = new URLSearchParams({ format });
    if (year.value) q.set('serviceYear', year.value);
    if (county.value) q.set('county', county.value);
    return {
      path: apiPath('pairings.export', undefined, q),
      fallback: `pairings-${year.value || 'all'}${county.value ? `-${county.value}` : ''}.${format}`,
    };
  });

  keepQueryOnLangSwitch();
  return { load, say, fillLiaisons, status };
};

if (!customElements.get('pairing-list')) customElements.define('pairing-list', PairingList);

declare global {
  interface HTMLElementTagNameMap {
    'pairing-list': PairingList;
  }
}
