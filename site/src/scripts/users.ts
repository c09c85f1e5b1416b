/**
 * Staff console, staff accounts (leads and admins): `GET /api/staff/users` as a table, and the
 * new-account form (`POST /api/staff/users` → 201 `{user, invitation}`; 409 USERNAME_TAKEN). The
 * form checks what the API checks (shared/staff-user.ts) before sending, and the scope rules: a lead
 * only inside its subtree and never an admin, a liaison on a county code.
 */

import { contains, JURISDICTION_CODE, levelOf, names } from '../../../shared/jurisdictions.ts';
import { USERNAME } from '../../../shared/staff-user.ts';
import { api, errorCodeOf, failureText, fieldsOf, messagesOf } from '../kit/api.ts';
import { failureBox } from '../kit/failure.ts';
import {
  type Console,
  clearFieldErrors,
  hideSummary,
  onSubmit,
  type Problem,
  setFieldError,
  showSummary,
  startConsole,
} from './console.ts';
import { el } from './format.ts';
import { placeLabel, type StaffUser } from './pairings-common.ts';

const root = document.querySelector<HTMLElement>('#console');

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const run = async (root: HTMLElement, c: Console) => {
  const { lang, m } = c;
  const $ = <T extends HTMLElement>(selector: string): T => root.querySelector(selector) as T;
  const status = $<HTMLElement>('#users-status');
  const list = $<HTMLElement>('#users-list');
  const count = $<HTMLElement>('#users-count');
  const scope = c.me.jurisdiction.code;
  $<HTMLElement>('#console-body').hidden = false;

  // ---- the list ----

  const ROLE_ORDER: Record<string, number> = { admin: 0, lead: 1, liaison: 2 };
  const loadUsers = async (): Promise<void> => {
    list.setAttribute('aria-busy', 'true');
    list.replaceChildren(el('p', 'muted', m('console.loading')));
    const { status: code, body } = await api('users.list', { token: c.token });
    list.removeAttribute('aria-busy');
    const users = (body as { users?: StaffUser[] } | null)?.users;
    if (code === 401) return;
    if (code !== 200 || !Array.isArray(users)) {
      list.replaceChildren(
        failureBox(c.m, m('staffUsers.list.failed'), failureText(c.m, code, body), () => void loadUsers()),
      );
      return;
    }
    count.textContent = m('staffUsers.count', { n: users.length });
    if (users.length === 0) {
      list.replaceChildren(el('p', 'muted', m('staffUsers.list.empty')));
      return;
    }
    users.sort(
      (a, b) =>
        a.jurisdiction.localeCompare(b.jurisdiction) ||
        (ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9) ||
        a.username.localeCompare(b.username),
    );
    const table = el('table', 'data-table users-table');
    const caption = el('caption', 'visually-hidden', m('staffUsers.count', { n: users.length }));
    const head = el('thead');
    const headRow = el('tr');
    const columns = ['username', 'displayName', 'role', 'jurisdiction', 'email'] as const;
    for (const column of columns) {
      const th = el('th', undefined, m(`staffUsers.col.${column}`));
      th.scope = 'col';
      headRow.append(th);
    }
    head.append(headRow);
    const tbody = el('tbody');
    for (const user of users) tbody.append(row(user));
    table.append(caption, head, tbody);
    const wrap = el('div', 'table-wrap');
    wrap.append(table);
    list.replaceChildren(wrap);
  };

  const row = (user: StaffUser): HTMLTableRowElement => {
    const tr = el('tr');
    tr.dataset.username = user.username;
    const cell = (column: string, value: string, className?: string) => {
      const td = el('td', className, value);
      td.dataset.label = m(`staffUsers.col.${column}`);
      tr.append(td);
      return td;
    };
    const name = el('th', 'mono', user.username);
    name.scope = 'row';
    name.dataset.label = m('staffUsers.col.username');
    tr.append(name);
    cell('displayName', user.displayName ?? '');
    const role = cell('role', m(`role.${user.role}`), 'nowrap');
    role.dataset.role = user.role;
    cell('jurisdiction', placeLabel(user.jurisdiction, lang));
    cell('email', user.email ?? '', 'email');
    return tr;
  };

  // ---- the form ----

  const form = $<HTMLFormElement>('#new-user-form');
  const summary = $<HTMLElement>('#user-errors');
  const username = $<HTMLInputElement>('#user-username');
  const displayName = $<HTMLInputElement>('#user-display-name');
  const email = $<HTMLInputElement>('#user-email');
  const role = $<HTMLSelectElement>('#user-role');
  const jurisdiction = $<HTMLInputElement>('#user-jurisdiction');
  const jurisdictionName = $<HTMLElement>('#user-jurisdiction-name');
  const datalist = $<HTMLDataListElement>('#user-jurisdictions');
  const submit = $<HTMLButtonElement>('#new-user-form button[type=submit]');
  const controls = [username, displayName, email, role, jurisdiction];

  // Only an admin makes admins.
  if (c.me.role !== 'admin') role.querySelector('option[value=admin]')?.remove();
  role.value = 'liaison';
  for (const code of Object.keys(names).sort()) {
    if (contains(scope, code)) datalist.append(new Option(placeLabel(code, lang), code));
  }
  const defaultJurisdiction = levelOf(scope) === 'county' ? scope : '';

  const showName = () => {
    const code = jurisdiction.value.trim();
    jurisdictionName.textContent = JURISDICTION_CODE.test(code) && names[code] ? placeLabel(code, lang) : '';
  };
  jurisdiction.addEventListener('input', showName);

  const problems = (): Problem[] => {
    const found: Problem[] = [];
    const name = username.value.trim().toLowerCase();
    if (!USERNAME.test(name)) found.push({ control: username, text: m('staffUsers.err.username') });
    const shown = displayName.value.trim();
    if (shown.length < 1 || shown.length > 60)
      found.push({ control: displayName, text: m('staffUsers.err.displayName') });
    if (!EMAIL.test(email.value.trim())) found.push({ control: email, text: m('staffUsers.err.email') });
    if (!role.value) found.push({ control: role, text: m('staffUsers.err.role') });
    const code = jurisdiction.value.trim();
    if (!JURISDICTION_CODE.test(code)) found.push({ control: jurisdiction, text: m('staffUsers.err.jurisdiction') });
    else if (!contains(scope, code)) {
      found.push({ control: jurisdiction, text: m('staffUsers.err.outside', { scope: placeLabel(scope, lang) }) });
    } else if (role.value === 'liaison' && levelOf(code) !== 'county') {
      found.push({ control: jurisdiction, text: m('staffUsers.err.liaisonCounty') });
    }
    return found;
  };

  const show = (found: Problem[], other?: string) => {
    for (const control of controls) setFieldError(control, found.find((p) => p.control === control)?.text);
    const ordered = [
      ...controls.flatMap((control) => found.filter((p) => p.control === control)),
      ...found.filter((p) => !p.control),
    ];
    showSummary(summary, m(other ? 'console.problemTitle' : 'console.errorsTitle'), ordered, other ?? '');
  };

  for (const control of controls) {
    control.addEventListener(control.tagName === 'SELECT' ? 'change' : 'input', () => {
      if (control.getAttribute('aria-invalid') !== 'true') return;
      setFieldError(control, problems().find((p) => p.control === control)?.text);
    });
  }

  onSubmit(form, submit, m('staffUsers.new.submitting'), async (busy) => {
    const found = problems();
    if (found.length > 0) {
      show(found);
      return;
    }
    clearFieldErrors(form);
    hideSummary(summary);
    const input = {
      username: username.value.trim().toLowerCase(),
      displayName: displayName.value.trim(),
      email: email.value.trim(),
      role: role.value,
      jurisdiction: jurisdiction.value.trim(),
    };
    const { status: code, body: answer } = await busy(() => api('users.create', { json: input, token: c.token }));
    const reply = answer as { user?: StaffUser; invitation?: { sent?: boolean } } | null;
    if (code === 201 && reply?.user) {
      const user = reply.user;
      form.reset();
      role.value = 'liaison';
      jurisdiction.value = defaultJurisdiction;
      showName();
      await loadUsers();
      const done = m('staffUsers.new.done', {
        username: user.username,
        role: m(`role.${user.role}`),
        place: placeLabel(user.jurisdiction, lang),
      });
      const sent = reply.invitation?.sent !== false;
      status.replaceChildren(
        el('span', 'status-line', done),
        el(
          'span',
          'status-line',
          sent ? m('staffUsers.new.invited', { email: user.email ?? '' }) : m('staffUsers.new.notInvited'),
        ),
      );
      status.dataset.kind = sent ? 'success' : 'info';
      status.hidden = false;
      status.focus();
      status.scrollIntoView({ block: 'center' });
      list.querySelector(`tr[data-username="${CSS.escape(user.username)}"]`)?.classList.add('row-new');
      return;
    }
    if (code === 401) return;
    const error = errorCodeOf(answer);
    if (code === 409 || error === 'USERNAME_TAKEN') {
      show([{ control: username, text: m('staffUsers.err.taken', { username: input.username }) }]);
      return;
    }
    if (code === 400) {
      const fields = fieldsOf(answer);
      const byField: Record<string, Problem> = {
        username: { control: username, text: m('staffUsers.err.username') },
        displayName: { control: displayName, text: m('staffUsers.err.displayName') },
        email: { control: email, text: m('staffUsers.err.email') },
        role: { control: role, text: m('staffUsers.err.role') },
        jurisdiction: {
          control: jurisdiction,
          text: /county/i.test(fields.jurisdiction ?? '')
            ? m('staffUsers.err.liaisonCounty')
            : m('staffUsers.err.jurisdiction'),
        },
      };
      const mapped = Object.keys(fields).map((key) => byField[key] ?? { text: `${key}: ${fields[key]}` });
      show(mapped.length > 0 ? mapped : [{ text: m('error.VALIDATION_FAILED') }]);
      return;
    }
    if (code === 403) {
      show([
        input.role === 'admin' && c.me.role !== 'admin'
          ? { control: role, text: m('staffUsers.err.adminOnly') }
          : { control: jurisdiction, text: m('staffUsers.err.outside', { scope: placeLabel(scope, lang) }) },
      ]);
      return;
    }
    show([], failureText(c.m, code, answer));
  });

  jurisdiction.value = defaultJurisdiction;
  showName();
  await loadUsers();
};

if (root) {
  // This page's own words for a role it is not for (the bar's default speaks of consultation days).
  const notice = root.querySelector<HTMLElement>('#console-no-access p');
  const text = messagesOf(root)['staffUsers.noAccess'];
  if (notice && text) notice.textContent = text;
  void startConsole(root).then((c) => (c ? run(root, c) : undefined));
}
