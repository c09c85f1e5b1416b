/**
 * `<staff-picker data-for="<username input id>" data-role?>` (StaffPicker.astro): the staff accounts in
 * the caller's subtree whose name or username holds what was typed (of one role when `data-role`
 * says), as the field's suggestions by name; choosing one puts its username in the field. The server
 * decides what is in scope and answers ten at most (`GET /api/staff/users?q=&role=`).
 */
import { api } from '../../kit/api.ts';
import { freshToken } from '../../kit/renew.ts';
import { searchAsTyped } from './search-as-typed.ts';

class StaffPicker extends HTMLElement {
  connectedCallback() {
    const role = this.dataset.role;
    searchAsTyped(
      this,
      (q) => q.length >= 1,
      async (q) => {
        const token = await freshToken();
        if (!token) return undefined;
        const result = await api('users.list', { query: { q, ...(role ? { role } : {}) }, token });
        if (!result.ok) return undefined;
        return result.body.users.map((user) => ({
          value: user.username,
          label: `${user.displayName} (${user.username})`,
        }));
      },
    );
  }
}

if (!customElements.get('staff-picker')) customElements.define('staff-picker', StaffPicker);
