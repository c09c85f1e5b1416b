/**
 * Staff console, staff accounts (leads and admins): `users.list` as a table, each account edited in
 * place (`users.update` at the version listed), and the new-account form (users/new-user.ts).
 */

import { MOBILE } from '../../../shared/consultation-rules.ts';
import { JURISDICTION_CODE, levelOf, names } from '../../../shared/jurisdictions.ts';
import type { Role } from '../../../shared/roles.ts';
import type { StaffUser } from '../../../shared/staff-user.ts';
import { manages } from '../../../shared/staff-user-rules.ts';
import { api, errorCodeOf, failureText, fieldsOf } from '../kit/api.ts';
import { failureBox } from '../kit/failure.ts';
import { sortable } from '../kit/sortable.ts';
import {
  type Console,
  formProblems,
  headRow,
  onSubmit,
  type Problem,
  problemsOfFields,
  runConsolePage,
} from './console.ts';
import { buttonEl, el, showStatus } from './format.ts';
import { placeLabel } from './pairings-common.ts';
import { newUserForm } from './users/new-user.ts';

const run = async (c: Console, root: HTMLElement) => {
  const { lang, m, $ } = c;
  const status = $<HTMLElement>('#users-status');
  const list = $<HTMLElement>('#users-list');
  const count = $<HTMLElement>('#users-count');
  const scope = c.me.jurisdiction.code;

  // ---- the list ----

  const ROLE_ORDER: Record<string, number> = { admin: 0, lead: 1, liaison: 2 };
  let byName = new Map<string, StaffUser>();
  const isSelf = (user: StaffUser) => user.username === c.me.username;
  const meScope = { role: c.me.role as Role, jurisdiction: scope };
  // Both jurisdiction fields may be typed by name: the pickers offer the places of one's own subtree.
  for (const picker of root.querySelectorAll<HTMLElement>('jurisdiction-picker')) picker.dataset.scope = scope;
  const editable = (user: StaffUser) => isSelf(user) || manages(meScope, user);
  const loadUsers = async (): Promise<void> => {
    list.setAttribute('aria-busy', 'true');
    list.replaceChildren(el('p', 'muted', m('console.loading')));
    const result = await api('users.list', { token: c.token });
    const { status: code, body } = result;
    list.removeAttribute('aria-busy');
    if (code === 401) return;
    if (!result.ok) {
      list.replaceChildren(
        failureBox(c.m, m('staffUsers.list.failed'), failureText(c.m, code, body), () => void loadUsers()),
      );
      return;
    }
    const { users } = result.body;
    byName = new Map(users.map((u) => [u.username, u]));
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
    const columns = ['username', 'displayName', 'role', 'jurisdiction', 'state', 'mobile', 'email', 'actions'] as const;
    head.append(
      headRow(
        columns.map((column) => m(`staffUsers.col.${column}`)),
        true,
      ),
    );
    const tbody = el('tbody');
    for (const user of users) tbody.append(row(user));
    table.append(caption, head, tbody);
    sortable(table, m);
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
    tr.dataset.enabled = String(user.enabled);
    const state = cell('state', '', 'nowrap');
    const badge = el(
      'span',
      'badge account-state',
      m(user.enabled ? 'staffUsers.state.enabled' : 'staffUsers.state.disabled'),
    );
    badge.dataset.enabled = String(user.enabled);
    state.append(badge);
    cell('mobile', user.mobile ?? '—', 'mono nowrap');
    cell('email', user.email ?? '', 'email');
    const actions = cell('actions', '', 'nowrap');
    if (editable(user)) {
      const edit = buttonEl('button-secondary', m('staffUsers.edit.button'));
      edit.setAttribute('aria-label', m('staffUsers.edit.buttonFor', { username: user.username }));
      edit.addEventListener('click', () => openEditor(user.username));
      actions.append(edit);
    }
    return tr;
  };

  // ---- editing an account (PATCH /api/staff/users/{username} at the version listed) ----

  const editSection = $<HTMLElement>('#edit-user');
  const editHeading = $<HTMLElement>('#edit-user-heading');
  const editSelf = $<HTMLElement>('#edit-self');
  const editForm = $<HTMLFormElement>('#edit-user-form');
  const editSummary = $<HTMLElement>('#edit-errors');
  const editName = $<HTMLInputElement>('#edit-display-name');
  const editMobile = $<HTMLInputElement>('#edit-mobile');
  const editRole = $<HTMLSelectElement>('#edit-role');
  const editJurisdiction = $<HTMLInputElement>('#edit-jurisdiction');
  const editJurisdictionName = $<HTMLElement>('#edit-jurisdiction-name');
  const editSubmit = $<HTMLButtonElement>('#edit-user-form button[type=submit]');
  const stateLine = $<HTMLElement>('#edit-state-line');
  const stateCard = $<HTMLElement>('#edit-state');
  const toggle = $<HTMLButtonElement>('#edit-toggle');
  const confirmBox = $<HTMLElement>('#edit-confirm');
  const confirmText = $<HTMLElement>('#edit-confirm-text');
  const confirmYes = $<HTMLButtonElement>('#edit-confirm-yes');
  let editing: StaffUser | undefined;

  if (c.me.role !== 'admin') editRole.querySelector('option[value=admin]')?.remove();

  const showEditName = () => {
    const code = editJurisdiction.value.trim();
    editJurisdictionName.textContent = JURISDICTION_CODE.test(code) && names[code] ? placeLabel(code, lang) : '';
  };
  editJurisdiction.addEventListener('input', showEditName);

  const closeEditor = () => {
    editing = undefined;
    editSection.hidden = true;
    confirmBox.hidden = true;
  };

  function openEditor(username: string) {
    const user = byName.get(username);
    if (!user) return;
    editing = user;
    clearEdit();
    confirmBox.hidden = true;
    editHeading.textContent = m('staffUsers.edit.heading', { username: user.username });
    editName.value = user.displayName;
    editMobile.value = user.mobile ?? '';
    editRole.value = user.role;
    editJurisdiction.value = user.jurisdiction;
    showEditName();
    // One's own account: name and mobile only; never one's own role, jurisdiction or enabled state.
    const self = isSelf(user);
    editSelf.hidden = !self;
    editRole.disabled = self;
    editJurisdiction.disabled = self;
    stateCard.hidden = self;
    stateLine.textContent = m(user.enabled ? 'staffUsers.state.enabled' : 'staffUsers.state.disabled');
    stateLine.dataset.enabled = String(user.enabled);
    toggle.textContent = m(user.enabled ? 'staffUsers.edit.disable' : 'staffUsers.edit.enable');
    editSection.hidden = false;
    editHeading.focus();
    editSection.scrollIntoView({ block: 'start' });
  }

  $<HTMLButtonElement>('#edit-cancel').addEventListener('click', closeEditor);

  const editProblems = (user: StaffUser): Problem[] => {
    const found: Problem[] = [];
    const shown = editName.value.trim();
    if (shown.length < 1 || shown.length > 60) found.push({ control: editName, text: m('staffUsers.err.displayName') });
    const mobile = editMobile.value.trim();
    if (mobile !== '' && !MOBILE.test(mobile)) found.push({ control: editMobile, text: m('staffUsers.err.mobile') });
    const code = editJurisdiction.value.trim();
    const after = { role: editRole.value as Role, jurisdiction: code };
    if (!JURISDICTION_CODE.test(code))
      found.push({ control: editJurisdiction, text: m('staffUsers.err.jurisdiction') });
    else if (!isSelf(user) && !manages(meScope, after))
      found.push({
        control: after.role === 'admin' ? editRole : editJurisdiction,
        text: m('staffUsers.err.notBelow'),
      });
    else if (after.role === 'liaison' && levelOf(code) !== 'county')
      found.push({ control: editJurisdiction, text: m('staffUsers.err.liaisonCounty') });
    return found;
  };

  const { show: showEdit, clear: clearEdit, passes: passesEdit } = formProblems(editForm, editSummary, m);

  /** Sends a change; answers true when it was saved (the list is then reloaded). */
  const sendChange = async (user: StaffUser, changes: Record<string, unknown>): Promise<boolean> => {
    const params = { username: user.username };
    const json = { version: user.version, ...changes };
    const { status: code, body: answer } = await api('users.update', {
      params,
      method: 'PATCH',
      json,
      token: c.token,
    });
    if (code === 200) return true;
    if (code === 401) return false;
    const error = errorCodeOf(answer);
    if (error === 'VERSION_CONFLICT') {
      await loadUsers();
      const fresh = byName.get(user.username);
      if (fresh) openEditor(fresh.username);
      showEdit([], m('staffUsers.err.conflict'));
    } else if (error === 'ACCOUNTS_AT_ISSUER') showEdit([], m('staffUsers.err.atIssuer'));
    else if (code === 404) showEdit([], m('staffUsers.err.notFound'));
    else if (code === 403) showEdit([], m('staffUsers.err.notBelow'));
    else if (code === 400) {
      const fields = fieldsOf(answer);
      const byField: Record<string, Problem> = {
        displayName: { control: editName, text: m('staffUsers.err.displayName') },
        mobile: { control: editMobile, text: m('staffUsers.err.mobile') },
        role: { control: editRole, text: m('staffUsers.err.role') },
        jurisdiction: { control: editJurisdiction, text: m('staffUsers.err.jurisdiction') },
      };
      showEdit(problemsOfFields(fields, byField, m));
    } else showEdit([], failureText(c.m, code, answer));
    return false;
  };

  const announce = (text: string) => {
    showStatus(status, 'success', el('span', 'status-line', text));
    status.scrollIntoView({ block: 'center' });
  };

  onSubmit(editForm, editSubmit, m('staffUsers.edit.saving'), async (busy) => {
    const user = editing;
    if (!user) return;
    if (!passesEdit(editProblems(user))) return;
    const changes: Record<string, unknown> = {};
    const shown = editName.value.trim();
    if (shown !== user.displayName) changes.displayName = shown;
    const mobile = editMobile.value.trim() || null;
    if (mobile !== user.mobile) changes.mobile = mobile;
    if (!isSelf(user)) {
      if (editRole.value !== user.role) changes.role = editRole.value;
      if (editJurisdiction.value.trim() !== user.jurisdiction) changes.jurisdiction = editJurisdiction.value.trim();
    }
    if (Object.keys(changes).length === 0) {
      showEdit([], m('staffUsers.edit.nothing'));
      return;
    }
    if (!(await busy(() => sendChange(user, changes)))) return;
    closeEditor();
    await loadUsers();
    announce(m('staffUsers.edit.saved', { username: user.username }));
  });

  // Enabling or disabling asks once more, in the page (no browser dialog), naming the account.
  toggle.addEventListener('click', () => {
    const user = editing;
    if (!user) return;
    const vars = { username: user.username, name: user.displayName };
    confirmText.textContent = m(
      user.enabled ? 'staffUsers.edit.confirmDisable' : 'staffUsers.edit.confirmEnable',
      vars,
    );
    confirmBox.hidden = false;
    confirmYes.focus();
  });
  $<HTMLButtonElement>('#edit-confirm-no').addEventListener('click', () => {
    confirmBox.hidden = true;
    toggle.focus();
  });
  confirmYes.addEventListener('click', async () => {
    const user = editing;
    if (!user || confirmYes.disabled) return;
    confirmYes.disabled = true;
    try {
      if (!(await sendChange(user, { enabled: !user.enabled }))) return;
      closeEditor();
      await loadUsers();
      announce(m(user.enabled ? 'staffUsers.edit.disabled' : 'staffUsers.edit.enabled', { username: user.username }));
    } finally {
      confirmYes.disabled = false;
    }
  });

  // ---- the new-account form ----

  newUserForm({ c, status, list, loadUsers });
  await loadUsers();
};

runConsolePage(run);
