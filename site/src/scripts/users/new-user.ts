/**
 * `<new-user>` (UsersPage.astro): the new-account form of the staff accounts page (`users.create` →
 * 201 `{user, invitation}`; 409 USERNAME_TAKEN). It checks what the API checks (shared/staff-user.ts)
 * before sending, and the scope rules: a lead only inside its subtree and never an admin, a liaison on
 * a county code. The page hands it the console with `init` and hears `user-made` (detail: the account
 * and whether its invitation went out) to read its list again.
 */
import { contains, levelOf } from '../../../../shared/jurisdictions.ts';
import type { StaffUser } from '../../../../shared/staff-user.ts';
import { USERNAME } from '../../../../shared/staff-user-rules.ts';
import { api, fieldsOf } from '../../kit/api.ts';
import { formProblems, onSubmit, type Problem, type TypedConsole } from '../console.ts';
import { showRefusal } from '../form-refusal.ts';
import { placeLabel } from '../pairings-common.ts';
import { partOf } from '../parts.ts';
import { accountFields } from './account-fields.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface UserMade {
  user: StaffUser;
  /** The invitation with its temporary password went out (an issuer elsewhere sends none). */
  invited: boolean;
}

declare global {
  /** What the element tells the page. */
  interface HTMLElementEventMap {
    'user-made': CustomEvent<UserMade>;
  }
}

export class NewUser extends HTMLElement {
  init(c: TypedConsole): void {
    newUserForm(this, c);
  }
}

const newUserForm = (host: NewUser, c: TypedConsole) => {
  const { lang, m } = c;
  const scope = c.me.jurisdiction.code;
  const form = partOf<HTMLFormElement>(host, 'form');
  const fields = accountFields(form, c);
  const { field, role, jurisdiction } = fields;
  const username = field('username');
  const email = field('email');
  const outside = { control: jurisdiction, text: m('staffUsers.err.outside', { scope: placeLabel(scope, lang) }) };

  const start = () => {
    role.value = 'liaison';
    jurisdiction.value = levelOf(scope) === 'county' ? scope : '';
    fields.showPlace();
  };

  const problems = (): Problem[] => {
    const found = fields.problems((code) => (contains(scope, code) ? undefined : outside));
    if (!USERNAME.test(username.value.trim().toLowerCase()))
      found.push({ control: username, text: m('staffUsers.err.username') });
    if (!EMAIL.test(email.value.trim())) found.push({ control: email, text: m('staffUsers.err.email') });
    if (!role.value) found.push({ control: role, text: m('staffUsers.err.role') });
    return found;
  };

  const shown = formProblems(form, partOf<HTMLElement>(host, '.error-summary'), m);
  shown.watch(form.querySelectorAll<HTMLElement>('input[name], select[name]'), problems);

  onSubmit(form, partOf(form, 'button[type=submit]'), m('staffUsers.new.submitting'), async (busy) => {
    if (!shown.passes(problems())) return;
    const mobile = field('mobile').value.trim();
    const input = {
      username: username.value.trim().toLowerCase(),
      displayName: field('displayName').value.trim(),
      email: email.value.trim(),
      role: role.value,
      jurisdiction: jurisdiction.value.trim(),
      ...(mobile ? { mobile } : {}),
    };
    const result = await busy(() => api('users.create', { json: input, token: c.token }));
    if (result.ok) {
      form.reset();
      start();
      const detail: UserMade = { user: result.body.user, invited: result.body.invitation?.sent !== false };
      host.dispatchEvent(new CustomEvent('user-made', { detail }));
      return;
    }
    showRefusal(m, form, shown, result, {
      fields: {
        ...fields.refusedFields(fieldsOf(result.body)),
        username: 'staffUsers.err.username',
        email: 'staffUsers.err.email',
      },
      codes: {
        USERNAME_TAKEN: { control: username, text: m('staffUsers.err.taken', { username: input.username }) },
        FORBIDDEN:
          input.role === 'admin' && c.me.role !== 'admin'
            ? { control: role, text: m('staffUsers.err.adminOnly') }
            : outside,
      },
    });
  });

  start();
};

if (!customElements.get('new-user')) customElements.define('new-user', NewUser);

declare global {
  interface HTMLElementTagNameMap {
    'new-user': NewUser;
  }
}
