/**
 * Staff console, the annual service items (issue 19): the counts per item and per category for a
 * jurisdiction in the caller's subtree and a month range (`GET /api/staff/service-items/stats`), and
 * the catalogue (`GET /api/staff/service-items`), which an admin edits in place and saves as a new
 * version (`PUT`, at the version read: a 409 reloads it). Items are retired, never removed.
 */

import { contains, names } from '../../../shared/jurisdictions.ts';
import {
  SERVICE_CATEGORIES,
  type ServiceCatalogue,
  type ServiceCategory,
} from '../../../shared/service-items-rules.ts';
import { shanghaiMonth } from '../../../shared/time.ts';
import { api } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { headRow, onSubmit, runConsolePage, type TypedConsole } from './console.ts';
import { dateTime, el, showStatus } from './format.ts';
import { saveList } from './list-editor.ts';

const run = async (c: TypedConsole) => {
  const { lang, m, token, me, $ } = c;
  const categoryName = (category: ServiceCategory) => m(`serviceItems.category.${category}`);

  // ---- counts per item and category ----

  const place = $<HTMLSelectElement>('#stats-place');
  const from = $<HTMLInputElement>('#stats-from');
  const to = $<HTMLInputElement>('#stats-to');
  const statsBody = $<HTMLElement>('#stats-body');
  for (const code of Object.keys(names).sort()) {
    if (contains(me.jurisdiction.code, code)) place.add(new Option(names[code]?.[lang] ?? code, code));
  }
  place.value = me.jurisdiction.code;
  to.value = shanghaiMonth(new Date());
  from.value = `${to.value.slice(0, 4)}-01`;

  const cell = (text: string | number, tag: 'td' | 'th' = 'td') => {
    const node = el(tag, undefined, String(text));
    if (tag === 'th') node.setAttribute('scope', 'row');
    return node;
  };

  const showStats = async () => {
    if (from.value > to.value) {
      statsBody.replaceChildren(el('p', 'alert', m('serviceItems.stats.range')));
      return;
    }
    statsBody.replaceChildren(el('p', 'muted', m('monthly.loading')));
    const query = { jurisdiction: place.value, from: from.value, to: to.value };
    const result = await api('serviceItems.stats', { token, query });
    if (!result.ok) {
      statsBody.replaceChildren(el('p', 'alert', m('serviceItems.stats.failed')));
      return;
    }
    const stats = result.body;
    const table = el('table', 'data-table');
    const columns = [
      'serviceItems.stats.item',
      'serviceItems.stats.contacts',
      'serviceItems.stats.ledgerItems',
    ] as const;
    table.createTHead().append(headRow(columns.map((key) => m(key))));
    for (const category of SERVICE_CATEGORIES) {
      const group = table.createTBody();
      const total = stats.categories[category];
      const row = el('tr', 'subtotal');
      row.append(
        cell(`${categoryName(category)} · ${m('serviceItems.stats.total')}`, 'th'),
        cell(total.contacts),
        cell(total.ledgerItems),
      );
      group.append(row);
      for (const item of stats.items.filter((i) => i.category === category)) {
        const line = el('tr');
        const name = `${item[lang]}${item.retired ? ` ${m('serviceItems.stats.retired')}` : ''}`;
        line.append(cell(`${item.id} ${name}`, 'th'), cell(item.contacts), cell(item.ledgerItems));
        group.append(line);
      }
    }
    const wrap = el('div', 'table-wrap');
    wrap.append(table);
    statsBody.replaceChildren(wrap);
  };
  $<HTMLFormElement>('#stats-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void showStats();
  });

  // ---- the catalogue ----

  const rows = $<HTMLElement>('#catalogue-rows');
  const version = $<HTMLElement>('#catalogue-version');
  const status = $<HTMLElement>('#catalogue-status');
  const form = $<HTMLFormElement>('#catalogue-form');
  const admin = me.role === 'admin';
  let seen = 0;

  const input = (value: string, label: string, max: number) => {
    const field = el('input') as HTMLInputElement;
    field.type = 'text';
    field.value = value;
    field.maxLength = max;
    field.required = true;
    field.setAttribute('aria-label', label);
    field.disabled = !admin;
    return field;
  };

  const addRow = (item: ServiceCatalogue['items'][number]) => {
    const tr = el('tr');
    tr.dataset.id = item.id;
    const category = el('select') as HTMLSelectElement;
    for (const c of SERVICE_CATEGORIES) category.add(new Option(categoryName(c), c));
    category.value = item.category;
    category.disabled = !admin;
    category.setAttribute('aria-label', `${item.id} ${m('serviceItems.catalogue.category')}`);
    const retired = el('input') as HTMLInputElement;
    retired.type = 'checkbox';
    retired.checked = item.retired === true;
    retired.disabled = !admin;
    retired.setAttribute('aria-label', `${item.id} ${m('serviceItems.catalogue.retired')}`);
    const cells: Node[] = [
      document.createTextNode(item.id),
      category,
      input(item.zh, `${item.id} ${m('serviceItems.catalogue.zh')}`, 40),
      input(item.en, `${item.id} ${m('serviceItems.catalogue.en')}`, 80),
      retired,
    ];
    for (const node of cells) {
      const td = el('td');
      td.append(node);
      tr.append(td);
    }
    rows.append(tr);
  };

  const loadCatalogue = async () => {
    const result = await api('serviceItems.get', { token });
    if (!result.ok) return showStatus(status, 'error', failureText(m, result.status, result.body));
    const { catalogue } = result.body;
    seen = catalogue.version;
    version.textContent =
      catalogue.version === 0 || !catalogue.updatedAt
        ? m('serviceItems.catalogue.default')
        : // Who changed it and when; the version number stays in the form's data (issue 18).
          m('serviceItems.catalogue.changed', {
            at: dateTime(catalogue.updatedAt, lang, true),
            by: catalogue.updatedByName ?? '',
          });
    rows.replaceChildren();
    for (const item of catalogue.items) addRow(item);
  };

  const edited = () =>
    [...rows.querySelectorAll<HTMLTableRowElement>('tr')].map((tr) => {
      const [category, zh, en, retired] = [
        ...tr.querySelectorAll<HTMLInputElement | HTMLSelectElement>('select, input'),
      ];
      return {
        id: tr.dataset.id ?? '',
        category: (category as HTMLSelectElement).value as ServiceCategory,
        zh: (zh as HTMLInputElement).value.trim(),
        en: (en as HTMLInputElement).value.trim(),
        ...((retired as HTMLInputElement).checked ? { retired: true } : {}),
      };
    });

  if (admin) {
    $('#catalogue-actions').hidden = false;
    $<HTMLButtonElement>('#catalogue-add').addEventListener('click', () => {
      const next = Math.max(0, ...edited().map((i) => Number(i.id.slice(1)))) + 1;
      addRow({ id: `S${String(next).padStart(2, '0')}`, category: 'service', zh: '', en: '' });
      rows.querySelector<HTMLInputElement>('tr:last-child input[type=text]')?.focus();
    });
    onSubmit(form, $<HTMLButtonElement>('#catalogue-save'), m('serviceItems.catalogue.saving'), async (busy) => {
      const items = edited();
      if (items.some((i) => i.zh === '' || i.en === ''))
        return showStatus(status, 'error', m('serviceItems.catalogue.invalid'));
      const send = () => api('serviceItems.put', { token, method: 'PUT', json: { version: seen, items } });
      await saveList(busy, send, loadCatalogue, status, m, {
        saved: 'serviceItems.catalogue.saved',
        conflict: 'serviceItems.catalogue.conflict',
        invalid: 'serviceItems.catalogue.invalid',
      });
    });
  }

  await Promise.all([showStats(), loadCatalogue()]);
};

runConsolePage(run);
