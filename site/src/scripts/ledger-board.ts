/**
 * Staff console, the service ledger board: `GET /api/staff/ledger-items` with the filters (kept in the
 * address so a reload or a shared link shows the same board) → one column per open state, closed and
 * cancelled folded below; overdue cards are red with their due date. The form raises an item
 * (`POST /api/staff/ledger-items`), checked first with the API's own schema (`ledgerItemInput`).
 */

import { contains, levelOf, names } from '../../../shared/jurisdictions.ts';
import type { LedgerItemView as Item } from '../../../shared/ledger.ts';
import { LEDGER_STATES, type LedgerState, OPEN_STATES } from '../../../shared/ledger-rules.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { normalizeUscc } from '../../../shared/uscc.ts';
import { api, errorCodeOf, fieldsOf } from '../kit/api.ts';
import { answerFailureBox } from '../kit/failure.ts';
import { lazy, warmOn } from '../kit/lazy.ts';
import type { MessageKey } from '../kit/messages.ts';
import {
  formProblems,
  onSubmit,
  type Problem,
  problemsOfFields,
  runConsolePage,
  setFieldError,
  type TypedConsole,
} from './console.ts';
import { wireExports } from './export-box.ts';
import { dayLabel, el, showStatus } from './format.ts';

const FILTERS = ['state', 'overdue', 'owner', 'county', 'uscc'] as const;

/** The filters, kept in the address; `query` reads them for the board and the address. */
const boardFilters = (c: TypedConsole, root: HTMLElement, reload: () => void) => {
  const { lang, m, $ } = c;
  const filters = $<HTMLFormElement>('#ledger-filters');
  const filterUscc = $<HTMLInputElement>('#filter-uscc');
  const filterCounty = $<HTMLSelectElement>('#filter-county');
  // The 台账 download (leads, admins): the unit chosen in the filters, else one's own.
  wireExports(
    root,
    c,
    'ledger.export',
    () => new URLSearchParams(filterCounty.value ? { jurisdiction: filterCounty.value } : {}),
  );
  filterCounty.append(new Option(m('ledger.filter.allCounties'), ''));
  const scope = c.me.jurisdiction.code;
  for (const [code, name] of Object.entries(names).sort(([a], [b]) => a.localeCompare(b))) {
    if (levelOf(code) === 'county' && contains(scope, code)) {
      filterCounty.append(new Option(lang === 'zh' ? `${name.zh}（${code}）` : `${name.en} (${code})`, code));
    }
  }
  const params = new URLSearchParams(location.search);
  for (const name of FILTERS) {
    const control = filters.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
    const value = params.get(name);
    if (control && value) control.value = value;
  }

  const query = (): URLSearchParams => {
    const out = new URLSearchParams();
    for (const name of FILTERS) {
      const control = filters.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      const value = name === 'uscc' ? normalizeUscc(control?.value ?? '') : (control?.value ?? '').trim();
      if (value) out.set(name, value);
    }
    return out;
  };

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const uscc = normalizeUscc(filterUscc.value);
    if (uscc && !/^[0-9A-Z]{18}$/.test(uscc)) {
      setFieldError(filterUscc, m('ledger.err.filterUscc'));
      filterUscc.focus();
      return;
    }
    setFieldError(filterUscc, undefined);
    const q = query();
    history.replaceState(null, '', `${location.pathname}${q.toString() ? `?${q}` : ''}`);
    reload();
  });
  $<HTMLButtonElement>('#filter-reset').addEventListener('click', () => {
    filters.reset();
    setFieldError(filterUscc, undefined);
    history.replaceState(null, '', location.pathname);
    reload();
  });
  return query;
};

/** A column of cards per state, each card linking to its item. */
const boardColumns = (c: TypedConsole, itemPath: string) => {
  const { lang, m } = c;
  const countyName = (code: string) => names[code]?.[lang] ?? code;

  const card = (item: Item): HTMLElement => {
    const li = el('li', `card ledger-card${item.overdue ? ' ledger-overdue' : ''}`);
    li.dataset.itemId = item.itemId;
    li.dataset.state = item.state;
    const title = el('h4', 'ledger-card-title');
    const link = el('a', undefined, item.title);
    link.href = `${itemPath}?id=${encodeURIComponent(item.itemId)}`;
    title.append(link);
    const firm = el('p', 'ledger-card-firm', `${item.firmName} · ${countyName(item.county)}`);
    const tags = el('p', 'ledger-card-tags');
    const severity = el('span', 'ledger-severity', m(`ledger.severity.${item.severity}`));
    severity.dataset.severity = item.severity;
    tags.append(severity);
    const due = el(
      'p',
      item.overdue ? 'ledger-due ledger-due-overdue' : 'ledger-due',
      m(item.overdue ? 'ledger.card.overdue' : 'ledger.card.due', { date: dayLabel(item.dueOn, lang) }),
    );
    const owner = el('p', 'ledger-card-owner', m('ledger.card.owner', { owner: item.ownerDepartment }));
    li.append(title, firm, tags, due, owner);
    return li;
  };

  const column = (state: LedgerState, items: Item[]): HTMLElement => {
    const section = el('section', 'ledger-column');
    section.dataset.state = state;
    const id = `col-${state}`;
    section.setAttribute('aria-labelledby', id);
    const heading = el(
      'h3',
      undefined,
      m('ledger.board.column', { state: m(`ledger.state.${state}`), n: items.length }),
    );
    heading.id = id;
    section.append(heading);
    if (items.length === 0) {
      section.append(el('p', 'muted', m('ledger.board.columnEmpty')));
    } else {
      const ul = el('ul', 'ledger-cards');
      for (const item of items) ul.append(card(item));
      section.append(ul);
    }
    return section;
  };
  return column;
};

// The API's own schema (zod, 9 KB gzip) loads when the user turns to the form, not with the board.
const schema = lazy(() => import('../../../shared/ledger.ts').then((module) => module.ledgerItemInput));

/** The form that raises an item, checked first with the API's own schema; `raised` reads the board again. */
const raiseForm = (c: TypedConsole, root: HTMLElement, itemPath: string, raised: () => Promise<void>) => {
  const { m, $ } = c;
  const controls = {
    uscc: $<HTMLInputElement>('#item-uscc'),
    title: $<HTMLInputElement>('#item-title'),
    detail: $<HTMLTextAreaElement>('#item-detail'),
    source: $<HTMLSelectElement>('#item-source'),
    severity: $<HTMLSelectElement>('#item-severity'),
    dueOn: $<HTMLInputElement>('#item-due'),
    ownerDepartment: $<HTMLInputElement>('#item-owner'),
  };
  type Name = keyof typeof controls;
  const fieldMessage: Record<Name, MessageKey> = {
    uscc: 'ledger.err.uscc',
    title: 'ledger.err.title',
    detail: 'ledger.err.detail',
    source: 'ledger.err.source',
    severity: 'ledger.err.severity',
    dueOn: 'ledger.err.dueOn',
    ownerDepartment: 'ledger.err.owner',
  };
  // The annual service items the item counts under (ServiceItemTags.astro), optional.
  const tags = root.querySelector('#item-tags') as HTMLElement & { value: string[]; clear(): void };
  const values = () => ({
    uscc: normalizeUscc(controls.uscc.value),
    title: controls.title.value.trim(),
    detail: controls.detail.value.trim(),
    source: controls.source.value,
    severity: controls.severity.value,
    dueOn: controls.dueOn.value,
    ownerDepartment: controls.ownerDepartment.value.trim(),
    ...(tags.value.length > 0 ? { serviceItems: tags.value } : {}),
  });

  /** A field's problem: its control and its message. */
  const problemOf = (name: Name, text = m(fieldMessage[name])): Problem => ({ control: controls[name], text });
  const isName = (key: unknown): key is Name => typeof key === 'string' && Object.hasOwn(controls, key);
  /**
   * The problems of the form, one a field, as the API's own schema sees them; none while the schema
   * has not loaded (the API answers 400 with the same rules, which the form then shows).
   */
  const problems = (): Problem[] => {
    const parsed = schema.now?.safeParse(values());
    const wrong = !parsed || parsed.success ? [] : parsed.error.issues.map((issue) => issue.path[0]);
    return [...new Set(wrong)].filter(isName).map((name) => problemOf(name));
  };

  const form = $<HTMLFormElement>('#new-item-form');
  warmOn(form, schema);
  const formErrors = formProblems(form, $<HTMLElement>('#item-errors'), m);
  formErrors.watch(Object.values(controls), problems);

  onSubmit(
    form,
    $<HTMLButtonElement>('#new-item-form button[type=submit]'),
    m('ledger.new.submitting'),
    async (busy) => {
      await busy(() => schema().catch(() => undefined));
      if (!formErrors.passes(problems())) return;
      const data = values();
      const result = await busy(() => api('ledger.create', { json: data, token: c.token }));
      if (result.ok) {
        const { item } = result.body;
        form.reset();
        tags.clear();
        controls.dueOn.value = shanghaiDate(new Date(Date.now() + 14 * 86_400_000));
        await raised();
        const link = el('a', undefined, m('ledger.new.done', { title: item.title }));
        link.href = `${itemPath}?id=${encodeURIComponent(item.itemId)}`;
        showStatus($<HTMLElement>('#ledger-status'), 'success', link);
        return;
      }
      const { status: code, body: answer } = result;
      if (code === 401) return;
      const error = errorCodeOf(answer);
      if (code === 404) return formErrors.show([problemOf('uscc', m('ledger.err.usccUnknown'))]);
      if (code === 403) return formErrors.show([problemOf('uscc', m('ledger.err.usccScope'))]);
      if (code === 400) {
        const known = Object.fromEntries(
          Object.keys(controls)
            .filter(isName)
            .map((name) => [name, problemOf(name)]),
        );
        return formErrors.show(problemsOfFields(fieldsOf(answer), known, m));
      }
      formErrors.fail(m(code === 0 ? 'error.NETWORK' : `error.${error ?? 'INTERNAL'}`));
    },
  );

  controls.dueOn.value = shanghaiDate(new Date(Date.now() + 14 * 86_400_000));
  controls.dueOn.min = shanghaiDate(new Date());
};

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { m, $ } = c;
  const itemPath = c.path('/staff/ledger/item/');
  const query = boardFilters(c, root, () => void load());
  const column = boardColumns(c, itemPath);
  const board = $<HTMLElement>('#ledger-board');
  const count = $<HTMLElement>('#board-count');
  const owners = $<HTMLDataListElement>('#owner-list');

  const load = async (): Promise<void> => {
    const q = query();
    board.setAttribute('aria-busy', 'true');
    board.replaceChildren(el('p', 'muted', m('console.loading')));
    count.textContent = '';
    const result = await api('ledger.list', { query: q, token: c.token });
    board.removeAttribute('aria-busy');
    if (result.status === 401) return;
    if (!result.ok) {
      board.replaceChildren(answerFailureBox(m, 'ledger.board.failed', result, () => void load()));
      return;
    }
    const { items } = result.body;
    // Most urgent first: overdue, then by due date.
    items.sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) || a.dueOn.localeCompare(b.dueOn) || a.title.localeCompare(b.title),
    );
    for (const owner of new Set(items.map((i) => i.ownerDepartment))) {
      if (![...owners.options].some((o) => o.value === owner)) owners.append(new Option(owner));
    }
    count.textContent = m('ledger.board.count', { n: items.length });
    const byState = (state: LedgerState) => items.filter((i) => i.state === state);
    const columns = el('div', 'ledger-board');
    for (const state of OPEN_STATES) columns.append(column(state, byState(state)));
    const finished = LEDGER_STATES.filter((s) => !OPEN_STATES.includes(s));
    const done = items.filter((i) => finished.includes(i.state));
    const fold = el('details', 'ledger-finished');
    fold.open = finished.includes(q.get('state') as LedgerState);
    fold.append(el('summary', undefined, m('ledger.board.finished', { n: done.length })));
    const foldColumns = el('div', 'ledger-board ledger-board-2');
    for (const state of finished) foldColumns.append(column(state, byState(state)));
    fold.append(foldColumns);
    board.replaceChildren(columns, fold);
  };

  raiseForm(c, root, itemPath, load);
  await load();
};

runConsolePage(run, ['liaison', 'lead', 'admin']);
