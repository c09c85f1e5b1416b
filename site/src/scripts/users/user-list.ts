/**
 * `<user-list>` (UsersPage.astro): the staff accounts in one's jurisdiction (`users.list`) as a
 * sortable table, by jurisdiction then role, with Edit on those one may change (one's own, and those
 * strictly below). The page hands it the console with `init`, calls `load` after a change, and hears
 * `edit-user` (detail: the account) to open the editor.
 */
import type { StaffUser } from '../../../../shared/staff-user.ts';
import { manages } from '../../../../shared/staff-user-rules.ts';
import { api } from '../../kit/api.ts';
import { answerFailureBox } from '../../kit/failure.ts';
import { sortable } from '../../kit/sortable.ts';
import { headRow, type TypedConsole } from '../console.ts';
import { buttonEl, el } from '../format.ts';
import { placeLabel } from '../pairings-common.ts';
import { partOf } from '../parts.ts';

const ROLE_ORDER = { admin: 0, lead: 1, liaison: 2 } as const;
const COLUMNS = ['username', 'displayName', 'role', 'jurisdiction', 'state', 'mobile', 'email', 'actions'] as const;

declare global {
  /** What the element tells the page. */
  interface HTMLElementEventMap {
    /** Edit was pressed on this account. */
    'edit-user': CustomEvent<StaffUser>;
  }
}

export class UserList extends HTMLElement {
  #c: TypedConsole | undefined;
  #byName = new Map<string, StaffUser>();

  init(c: TypedConsole): void {
    this.#c = c;
  }

  /** The account as last listed. */
  user(username: string): StaffUser | undefined {
    return this.#byName.get(username);
  }

  /** Marks an account's row as just made. */
  mark(username: string): void {
    this.querySelector(`tr[data-username="${CSS.escape(username)}"]`)?.classList.add('row-new');
  }

  async load(): Promise<void> {
    const c = this.#c;
    if (!c) return;
    const { m } = c;
    const list = partOf<HTMLElement>(this, '.list-body');
    const count = partOf<HTMLElement>(this, '.list-count');
    list.setAttribute('aria-busy', 'true');
    list.replaceChildren(el('p', 'muted', m('console.loading')));
    const result = await api('users.list', { token: c.token });
    list.removeAttribute('aria-busy');
    if (result.status === 401) return;
    if (!result.ok) {
      list.replaceChildren(answerFailureBox(m, 'staffUsers.list.failed', result, () => void this.load()));
      return;
    }
    const { users } = result.body;
    this.#byName = new Map(users.map((u) => [u.username, u]));
    count.textContent = m('staffUsers.count', { n: users.length });
    if (users.length === 0) {
      list.replaceChildren(el('p', 'muted', m('staffUsers.list.empty')));
      return;
    }
    users.sort(
      (a, b) =>
        a.jurisdiction.localeCompare(b.jurisdiction) ||
        ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
        a.username.localeCompare(b.username),
    );
    const table = el('table', 'data-table users-table');
    const head = el('thead');
    head.append(
      headRow(
        COLUMNS.map((column) => m(`staffUsers.col.${column}`)),
        true,
      ),
    );
    const tbody = el('tbody');
    for (const user of users) tbody.append(this.#row(c, user));
    table.append(el('caption', 'visually-hidden', m('staffUsers.count', { n: users.length })), head, tbody);
    sortable(table, m);
    const wrap = el('div', 'table-wrap');
    wrap.append(table);
    list.replaceChildren(wrap);
  }

  #row(c: TypedConsole, user: StaffUser): HTMLTableRowElement {
    const { m } = c;
    const tr = el('tr');
    tr.dataset.username = user.username;
    tr.dataset.enabled = String(user.enabled);
    const cell = (column: (typeof COLUMNS)[number], value: string | Node, className?: string) => {
      const td = el('td', className);
      td.append(value);
      td.dataset.label = m(`staffUsers.col.${column}`);
      tr.append(td);
      return td;
    };
    const name = el('th', 'mono', user.username);
    name.scope = 'row';
    name.dataset.label = m('staffUsers.col.username');
    tr.append(name);
    cell('displayName', user.displayName ?? '');
    cell('role', m(`role.${user.role}`), 'nowrap').dataset.role = user.role;
    cell('jurisdiction', placeLabel(user.jurisdiction, c.lang));
    const badge = el('span', 'badge account-state', m(`staffUsers.state.${user.enabled ? 'enabled' : 'disabled'}`));
    badge.dataset.enabled = String(user.enabled);
    cell('state', badge, 'nowrap');
    cell('mobile', user.mobile ?? '—', 'mono nowrap');
    cell('email', user.email ?? '', 'email');
    const actions = cell('actions', '', 'nowrap');
    const self = user.username === c.me.username;
    if (self || manages({ role: c.me.role as StaffUser['role'], jurisdiction: c.me.jurisdiction.code }, user)) {
      const edit = buttonEl('button-secondary', m('staffUsers.edit.button'));
      edit.setAttribute('aria-label', m('staffUsers.edit.buttonFor', { username: user.username }));
      edit.addEventListener('click', () => this.dispatchEvent(new CustomEvent('edit-user', { detail: user })));
      actions.append(edit);
    }
    return tr;
  }
}

if (!customElements.get('user-list')) customElements.define('user-list', UserList);

declare global {
  interface HTMLElementTagNameMap {
    'user-list': UserList;
  }
}
