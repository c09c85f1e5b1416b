/**
 * Staff console, coverage per county (issue 19): `GET /api/staff/coverage?jurisdiction=&year=` for
 * a jurisdiction in the caller's scope (its own, or a city or county under it), one row per county:
 * paired firms against the target, then the mix of sizes and of types (codes labelled with the
 * roster's own words, FIRM_TYPE_WORDS, so the page and the firm form name a type alike).
 */

import { type CountyCoverage, FIRM_TYPES } from '../../../shared/coverage.ts';
import { FIRM_TYPE_WORDS } from '../../../shared/enterprise-words.ts';
import { contains, names } from '../../../shared/jurisdictions.ts';
import { api } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { headRow, startConsole, type TypedConsole } from './console.ts';
import { el } from './format.ts';
import { placeLabel, thisYear } from './pairings-common.ts';

const SIZE_KEYS = ['large', 'medium', 'small', 'micro', 'unknown'] as const;
const root = document.querySelector<HTMLElement>('#console');

const run = async (c: TypedConsole) => {
  const { lang, m, token, me, $ } = c;
  $('#console-body').hidden = false;
  const place = $<HTMLSelectElement>('#coverage-jurisdiction');
  const yearSelect = $<HTMLSelectElement>('#coverage-year');
  const body = $<HTMLElement>('#coverage-body');
  const year = thisYear();
  for (const y of [year + 1, year, year - 1, year - 2]) yearSelect.add(new Option(String(y), String(y)));
  yearSelect.value = String(year);
  // The caller's own jurisdiction first, then every known code under it (cities, then counties).
  const codes = Object.keys(names)
    .filter((code) => contains(me.jurisdiction.code, code))
    .sort((a, b) => (a === me.jurisdiction.code ? -1 : b === me.jurisdiction.code ? 1 : a.localeCompare(b)));
  for (const code of codes) place.add(new Option(placeLabel(code, lang), code));

  const mix = (entries: [string, number][]) => {
    const list = el('ul', 'coverage-mix');
    for (const [label, n] of entries) if (n > 0) list.append(el('li', undefined, `${label} ${n}`));
    return list.childElementCount > 0 ? list : el('span', 'muted', m('coverage.none'));
  };

  const rowOf = (county: CountyCoverage, target: number) => {
    const tr = el('tr', county.underTarget ? 'is-under' : undefined);
    const name = el('th', undefined, placeLabel(county.county, lang));
    name.setAttribute('scope', 'row');
    const paired = el('td');
    paired.dataset.label = m('coverage.col.paired');
    paired.append(
      el('span', 'coverage-num', `${county.paired} / ${target}`),
      ' ',
      county.underTarget
        ? el('span', 'coverage-under', m('coverage.under', { n: target - county.paired }))
        : el('span', 'coverage-met', m('coverage.met')),
    );
    const sizes = el('td');
    sizes.dataset.label = m('coverage.col.sizes');
    sizes.append(mix(SIZE_KEYS.map((k) => [m(`coverage.size.${k}`), county.sizes[k]])));
    const types = el('td');
    types.dataset.label = m('coverage.col.types');
    const typed = mix(FIRM_TYPES.map((k) => [FIRM_TYPE_WORDS[k][lang], county.types[k]]));
    types.append(typed);
    if (county.untyped > 0) types.append(el('p', 'hint', m('coverage.untyped', { n: county.untyped })));
    tr.append(name, paired, sizes, types);
    return tr;
  };

  const show = async () => {
    body.replaceChildren(el('p', 'muted', m('console.loading')));
    const result = await api('coverage.get', {
      token,
      query: { jurisdiction: place.value, year: yearSelect.value },
    });
    if (!result.ok) {
      body.replaceChildren(el('p', 'alert', failureText(m, result.status, result.body)));
      return;
    }
    const { coverage } = result.body;
    $('#coverage-caption').textContent = m('coverage.caption', {
      place: placeLabel(coverage.jurisdiction, lang),
      year: coverage.serviceYear,
    });
    $('#coverage-target').textContent = m('coverage.target', { n: coverage.target });
    if (coverage.counties.length === 0) {
      body.replaceChildren(el('p', 'muted', m('coverage.empty')));
      return;
    }
    const table = el('table', 'coverage-table');
    const columns = ['coverage.col.county', 'coverage.col.paired', 'coverage.col.sizes', 'coverage.col.types'] as const;
    table.createTHead().append(headRow(columns.map((key) => m(key))));
    const rows = table.createTBody();
    // Under target first (what needs action), then by code.
    const ordered = [...coverage.counties].sort(
      (a, b) => Number(b.underTarget) - Number(a.underTarget) || a.county.localeCompare(b.county),
    );
    for (const county of ordered) rows.append(rowOf(county, coverage.target));
    const parts: Node[] = [];
    if (!coverage.complete) parts.push(el('p', 'notice', m('coverage.incomplete')));
    parts.push(table);
    body.replaceChildren(...parts);
  };

  $<HTMLFormElement>('#coverage-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void show();
  });
  await show();
};

if (root) {
  const notice = root.querySelector<HTMLElement>('#console-no-access p');
  const text = JSON.parse(root.dataset.msg ?? '{}')['monthly.noAccess'] as string | undefined;
  if (notice && text) notice.textContent = text;
  void startConsole(root).then((c) => (c ? run(c) : undefined));
}
