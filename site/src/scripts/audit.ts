/**
 * Staff console, the audit log (leads and admins): `GET /api/staff/audit?entity=&actor=&from=&to=
 * &limit=&cursor=`, newest first, 50 at a time with "load more" (the API's `nextCursor`). The search
 * lives in the address (`?entity=pairing:<id>` links here from a pairing). A record type without an
 * id filters the loaded pages in the browser, since the API searches by one record or by scope.
 */

import type { AuditEventView as AuditEvent } from '../../../shared/audit.ts';
import { type AuditReader, auditActionText, auditChanges, auditKindText } from '../../../shared/audit-words.ts';
import { api, messagesOf } from '../kit/api.ts';
import { answerFailureBox } from '../kit/failure.ts';
import type { MessageKey } from '../kit/messages.ts';
import { sortable } from '../kit/sortable.ts';
import {
  formProblems,
  headRow,
  isoToLocal,
  localToIso,
  type Problem,
  runConsolePage,
  type TypedConsole,
} from './console.ts';
import { wireExports } from './export-box.ts';
import { dateTime, el } from './format.ts';
import { type Firm, firmNames, keepQueryOnLangSwitch } from './pairings-common.ts';

const ID = /^[A-Za-z0-9-]{1,64}$/;
const TYPES = ['pairing', 'enterprise', 'day', 'booking', 'user'] as const;
const isType = (kind: string): kind is (typeof TYPES)[number] => (TYPES as readonly string[]).includes(kind);
const COLUMNS = ['at', 'actor', 'action', 'entity', 'changes'] as const;
type Column = (typeof COLUMNS)[number];
const PAGE = 50;

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, $ } = c;
  const form = $<HTMLFormElement>('#audit-filters');
  const summary = $<HTMLElement>('#audit-errors');
  const formErrors = formProblems(form, summary, m);
  const type = $<HTMLSelectElement>('#audit-type');
  const id = $<HTMLInputElement>('#audit-id');
  const actor = $<HTMLInputElement>('#audit-actor');
  const from = $<HTMLInputElement>('#audit-from');
  const to = $<HTMLInputElement>('#audit-to');
  const list = $<HTMLElement>('#audit-list');
  const count = $<HTMLElement>('#audit-count');
  // The log download (leads, admins): one's own unit, the actor filter when given.
  wireExports(
    root,
    c,
    'audit.export',
    () => new URLSearchParams(actor.value.trim() ? { actor: actor.value.trim() } : {}),
  );
  const more = $<HTMLButtonElement>('#audit-more');

  /** Names the answers carried (issue 18): every person the shown events name, outside one's scope too. */
  const names = new Map<string, string>();
  /** A person by name; the username only when the account has no name or is gone. */
  const personOf = (username: string) => names.get(username) || username;
  const firms = new Map<string, Firm>();

  // ---- the search, from and to the address ----

  const readAddress = () => {
    const params = new URLSearchParams(location.search);
    const entity = params.get('entity') ?? '';
    const [head, ...rest] = entity.split(':');
    type.value = isType(head ?? '') ? (head ?? '') : (params.get('type') ?? '');
    if (!isType(type.value)) type.value = '';
    id.value = rest.join(':');
    actor.value = params.get('actor') ?? '';
    from.value = isoToLocal(params.get('from'));
    to.value = isoToLocal(params.get('to'));
  };

  const problems = (): Problem[] => {
    const found: Problem[] = [];
    const key = id.value.trim();
    if (key && !ID.test(key)) found.push({ control: id, text: m('auditLog.err.entityId') });
    else if (key && !type.value) found.push({ control: type, text: m('auditLog.err.entityType') });
    if (from.value && to.value && localToIso(to.value) < localToIso(from.value)) {
      found.push({ control: to, text: m('auditLog.err.to') });
    }
    return found;
  };

  const search = () => {
    const q = new URLSearchParams();
    const key = id.value.trim();
    if (type.value && key) q.set('entity', `${type.value}:${key}`);
    if (actor.value.trim()) q.set('actor', actor.value.trim());
    if (from.value) q.set('from', localToIso(from.value));
    if (to.value) q.set('to', localToIso(to.value));
    return q;
  };

  // ---- showing events ----

  // Actions, kinds, fields and values in the bureau's words, as the audit export writes them.
  const reader: AuditReader = {
    lang,
    say: (key, vars) => m(key, vars),
    has: (key): key is MessageKey => key in messagesOf(root),
    person: (username) => personOf(username),
    time: (iso) => dateTime(iso, lang, true),
  };

  const usccOf = (event: AuditEvent): string | undefined => {
    const value = event.after?.uscc ?? event.before?.uscc;
    if (typeof value === 'string') return value;
    return event.entity.startsWith('enterprise:') ? event.entity.slice('enterprise:'.length) : undefined;
  };

  /** The record by its kind and name (a firm by its name and code): internal keys stay off the screen. */
  const entityCell = (event: AuditEvent): Node => {
    const [kind = '', ...rest] = event.entity.split(':');
    const key = rest.join(':');
    const box = el('span', 'audit-entity');
    const typeLabel = auditKindText(reader, kind);
    const uscc = usccOf(event);
    const name = uscc ? firms.get(uscc)?.name : undefined;
    let href: string | undefined;
    if (kind === 'pairing') href = `${c.path('/staff/pairings/contact/')}?id=${encodeURIComponent(key)}`;
    else if (kind === 'enterprise') href = `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(key)}`;
    else if (kind === 'day') href = `${c.path('/staff/consultation-days/day/')}?id=${encodeURIComponent(key)}`;
    const title = name ? `${typeLabel} · ${name}` : typeLabel;
    if (href) {
      const link = el('a', undefined, title);
      link.href = href;
      box.append(link);
    } else box.append(el('span', undefined, title));
    // A firm's USCC is its public code, which people search by; other keys mean nothing to them.
    if (uscc) box.append(el('span', 'audit-key mono', uscc));
    return box;
  };

  const colon = lang === 'zh' ? '：' : ': ';

  const changes = (event: AuditEvent): HTMLElement => {
    const box = el('div', 'audit-changes');
    const lines = el('ul', 'audit-diff');
    const found = auditChanges(reader, event);
    const edit = Boolean(event.before && event.after);
    if (!edit && event.after) lines.append(el('li', 'audit-created', m('auditLog.created')));
    for (const change of found.slice(0, 12)) {
      const li = el('li');
      li.dataset.field = change.field;
      li.append(
        el('span', 'audit-field', `${change.label}${colon}`),
        change.before === undefined ? change.after : `${change.before} → ${change.after}`,
      );
      lines.append(li);
    }
    if (lines.childElementCount > 0) box.append(lines);
    return box;
  };

  const row = (event: AuditEvent): HTMLTableRowElement => {
    const tr = el('tr');
    tr.dataset.eventId = event.eventId;
    tr.dataset.action = event.action;
    tr.dataset.entity = event.entity;
    tr.dataset.actor = event.actor;
    const cell = (column: Column, content: string | Node, className?: string) => {
      const td = el('td', className);
      td.dataset.label = m(`auditLog.col.${column}`);
      td.append(content);
      tr.append(td);
    };
    cell('at', dateTime(event.at, lang, true), 'nowrap');
    (tr.lastElementChild as HTMLElement).dataset.sort = event.at; // the instant, whatever the page's language
    const who = el('span', 'audit-actor');
    const name = el('span', undefined, personOf(event.actor));
    name.title = event.actor; // the account, for whoever needs it, behind the name
    who.append(name);
    // A firm's own move (`firm:<uscc>`) has no staff role to name.
    if (event.role !== 'firm') who.append(el('span', 'muted small', m(`role.${event.role}`)));
    cell('actor', who);
    cell('action', auditActionText(reader, event.action), 'nowrap');
    cell('entity', entityCell(event));
    cell('changes', changes(event));
    return tr;
  };

  // ---- loading ----

  let shown: AuditEvent[] = [];
  let cursor: string | null = null;
  let tbody: HTMLTableSectionElement | undefined;
  let loading = false;

  const table = () => {
    const t = el('table', 'data-table audit-table');
    t.append(el('caption', 'visually-hidden', m('auditLog.col.action')));
    const head = el('thead');
    // The last column, the changes, is not sorted by.
    head.append(
      headRow(
        COLUMNS.map((column) => m(`auditLog.col.${column}`)),
        true,
      ),
    );
    tbody = el('tbody');
    t.append(head, tbody);
    sortable(t, m);
    const wrap = el('div', 'table-wrap');
    wrap.append(t);
    return wrap;
  };

  const fetchPage = async (): Promise<boolean> => {
    const q = search();
    q.set('limit', String(PAGE));
    if (cursor) q.set('cursor', cursor);
    const answer = await api('audit.list', { query: q, token: c.token });
    if (answer.status === 401) return false;
    if (!answer.ok) {
      list.replaceChildren(answerFailureBox(m, 'auditLog.list.failed', answer, () => void load(true)));
      more.hidden = true;
      return false;
    }
    const { events: page, names: named, nextCursor } = answer.body;
    cursor = nextCursor;
    for (const [username, name] of Object.entries(named)) names.set(username, name);
    const wanted = !search().has('entity') && type.value ? `${type.value}:` : '';
    const events = page.filter((e) => !wanted || e.entity.startsWith(wanted));
    const codes = [...new Set(events.map(usccOf).filter((u): u is string => Boolean(u)))];
    for (const [code, firm] of await firmNames(c.token, c.me.jurisdiction.code, codes)) firms.set(code, firm);
    if (events.length > 0 && !tbody) list.replaceChildren(table());
    for (const event of events) tbody?.append(row(event));
    shown = [...shown, ...events];
    return true;
  };

  const load = async (fresh: boolean) => {
    if (loading) return;
    loading = true;
    more.disabled = true;
    if (fresh) {
      shown = [];
      cursor = null;
      tbody = undefined;
      list.replaceChildren(el('p', 'muted', m('console.loading')));
      count.textContent = '';
    }
    list.setAttribute('aria-busy', 'true');
    const before = shown.length;
    // A filtered page can come back empty while more exist: read on a little before giving up.
    let ok = await fetchPage();
    for (let i = 0; ok && cursor && shown.length === before && i < 4; i++) ok = await fetchPage();
    list.removeAttribute('aria-busy');
    loading = false;
    more.disabled = false;
    if (!ok) return;
    if (shown.length === 0) list.replaceChildren(el('p', 'muted', m('auditLog.list.empty')));
    more.hidden = !cursor;
    count.textContent =
      shown.length === 0 ? '' : `${m('auditLog.shown', { n: shown.length })}${cursor ? '' : ` · ${m('auditLog.all')}`}`;
    if (!fresh) tbody?.querySelectorAll('tr')[before]?.querySelector<HTMLElement>('a, summary')?.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!formErrors.passes(problems())) return;
    const q = search();
    if (type.value && !q.has('entity')) q.set('type', type.value);
    history.replaceState(null, '', `${location.pathname}${q.size ? `?${q}` : ''}`);
    keepQueryOnLangSwitch();
    void load(true);
  });
  $<HTMLButtonElement>('#audit-reset').addEventListener('click', () => {
    form.reset();
    formErrors.clear();
    history.replaceState(null, '', location.pathname);
    keepQueryOnLangSwitch();
    void load(true);
  });
  more.addEventListener('click', () => void load(false));

  readAddress();
  keepQueryOnLangSwitch();
  if (formErrors.passes(problems())) await load(true);
};

runConsolePage(run);
