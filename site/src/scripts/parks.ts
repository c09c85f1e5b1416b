/**
 * Staff console, the industrial parks of a county (issue 19): `GET /api/staff/parks?county=` for the
 * county chosen; leads and admins edit the names and the retired marks in place and add parks, and
 * save the whole list (`PUT`, at the version read: a 409 reloads it). Parks are retired, never removed.
 */
import type { Park } from '../../../shared/parks.ts';
import { MANAGERS } from '../../../shared/roles.ts';
import { api } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { onSubmit, startConsole, type TypedConsole } from './console.ts';
import { el, showStatus } from './format.ts';
import { saveList } from './list-editor.ts';
import { countiesInScope, countyLabel } from './roster-form/view.ts';

const root = document.querySelector<HTMLElement>('#console');

const run = async (c: TypedConsole) => {
  const { lang, m, token, me, $ } = c;
  $('#console-body').hidden = false;
  const manager = (MANAGERS as readonly string[]).includes(me.role);
  const county = $<HTMLSelectElement>('#parks-county');
  const rows = $<HTMLTableSectionElement>('#parks-rows');
  const status = $<HTMLElement>('#parks-status');
  const version = $<HTMLElement>('#parks-version');
  const none = $<HTMLElement>('#parks-none');
  const form = $<HTMLFormElement>('#parks-form');
  let seen = 0;

  for (const code of countiesInScope(me.jurisdiction.code)) county.add(new Option(countyLabel(code, lang), code));
  const wanted = new URLSearchParams(location.search).get('county');
  if (wanted && [...county.options].some((o) => o.value === wanted)) county.value = wanted;
  $('#parks-read-only').hidden = manager;
  $('#parks-actions').hidden = !manager;

  const addRow = (park: Partial<Park>) => {
    const tr = el('tr');
    if (park.id) tr.dataset.id = park.id;
    const name = el('input') as HTMLInputElement;
    name.type = 'text';
    name.value = park.name ?? '';
    name.maxLength = 50;
    name.required = true;
    name.disabled = !manager;
    name.setAttribute('aria-label', `${park.id ?? m('parks.new')} ${m('parks.name')}`);
    const retired = el('input') as HTMLInputElement;
    retired.type = 'checkbox';
    retired.checked = park.retired === true;
    retired.disabled = !manager;
    retired.setAttribute('aria-label', `${park.name || park.id || m('parks.new')} ${m('parks.retired')}`);
    const cells: Node[] = [el('span', 'mono', park.id ?? m('parks.new')), name, retired];
    for (const node of cells) {
      const td = el('td');
      td.append(node);
      tr.append(td);
    }
    rows.append(tr);
    none.hidden = true;
    return name;
  };

  const load = async () => {
    status.hidden = true;
    rows.replaceChildren();
    version.textContent = m('monthly.loading');
    const result = await api('parks.list', { token, query: { county: county.value } });
    if (!result.ok) {
      version.textContent = '';
      return showStatus(status, 'error', failureText(m, result.status, result.body));
    }
    const { parkList } = result.body;
    seen = parkList.version;
    // The list's version is for the save's check, not for people (issue 18).
    version.textContent = '';
    for (const park of parkList.parks) addRow(park);
    none.hidden = parkList.parks.length > 0;
  };

  const edited = () =>
    [...rows.querySelectorAll<HTMLTableRowElement>('tr')].flatMap((tr) => {
      const [name, retired] = [...tr.querySelectorAll<HTMLInputElement>('input')];
      const text = name?.value.trim() ?? '';
      // A new row left empty is not a park.
      if (!tr.dataset.id && text === '') return [];
      return [
        { ...(tr.dataset.id ? { id: tr.dataset.id } : {}), name: text, ...(retired?.checked ? { retired: true } : {}) },
      ];
    });

  county.addEventListener('change', () => {
    history.replaceState(null, '', `?county=${county.value}`);
    void load();
  });

  if (manager) {
    $<HTMLButtonElement>('#parks-add').addEventListener('click', () => addRow({}).focus());
    onSubmit(form, $<HTMLButtonElement>('#parks-save'), m('parks.saving'), async (busy) => {
      const parks = edited();
      const names = parks.map((p) => p.name.replace(/\s+/g, ' ').toLowerCase());
      if (parks.some((p) => p.name.length < 2) || new Set(names).size !== names.length)
        return showStatus(status, 'error', m('parks.invalid'));
      const send = () =>
        api('parks.save', { token, method: 'PUT', query: { county: county.value }, json: { version: seen, parks } });
      await saveList(busy, send, load, status, m, {
        saved: 'parks.saved',
        conflict: 'parks.conflict',
        invalid: 'parks.invalid',
      });
    });
  }

  await load();
};

if (root) void startConsole(root).then((c) => (c ? run(c) : undefined));
