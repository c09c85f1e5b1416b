/**
 * `<user-editor>` (UsersPage.astro): one account edited in place, `PATCH /api/staff/users/{username}`
 * at the version listed — its name and mobile, and for an account below one's own its role,
 * jurisdiction and enabled state (disabling or enabling asks once more, in the page, naming it). One's
 * own account: name and mobile only. The page opens it with `open(user)`, hears `user-saved` (detail:
 * the sentence that says so) to read the list again, and `user-stale` (detail: the username) when
 * someone else changed the account meanwhile: it reopens it as listed anew and calls `stale()`.
 */
import type { Role } from '../../../../shared/roles.ts';
import type { StaffUser } from '../../../../shared/staff-user.ts';
import { manages } from '../../../../shared/staff-user-rules.ts';
import { api, errorCodeOf, fieldsOf } from '../../kit/api.ts';
import { formProblems, onSubmit, type TypedConsole } from '../console.ts';
import { showRefusal } from '../form-refusal.ts';
import { partOf } from '../parts.ts';
import { accountFields } from './account-fields.ts';

/** What an edit sends beside the version: only what changed. */
type Changes = { -readonly [K in 'displayName' | 'mobile' | 'role' | 'jurisdiction' | 'enabled']?: StaffUser[K] };

declare global {
  /** What the element tells the page. */
  interface HTMLElementEventMap {
    /** Saved: the sentence that says so. */
    'user-saved': CustomEvent<string>;
    /** Someone else changed the account meanwhile: its username. */
    'user-stale': CustomEvent<string>;
  }
}

export class UserEditor extends HTMLElement {
  #editor: ReturnType<typeof editor> | undefined;

  init(c: TypedConsole): void {
    this.#editor = editor(this, c);
  }

  open(user: StaffUser): void {
    this.#editor?.open(user);
  }

  /** Says that the account had changed meanwhile (after the page reopened it as it is now). */
  stale(): void {
    this.#editor?.stale();
  }
}

const editor = (host: UserEditor, c: TypedConsole) => {
  const { m } = c;
  const section = partOf<HTMLElement>(host, 'section');
  const heading = partOf<HTMLElement>(section, 'h2');
  const form = partOf<HTMLFormElement>(host, 'form');
  const fields = accountFields(form, c);
  const { field, role, jurisdiction } = fields;
  const shown = formProblems(form, partOf<HTMLElement>(host, '.error-summary'), m);
  const state = accountState(partOf<HTMLElement>(host, '.edit-state'), c, (enabled) => save({ enabled }));
  let editing: StaffUser | undefined;
  const isSelf = (user: StaffUser) => user.username === c.me.username;
  const me = { role: c.me.role as Role, jurisdiction: c.me.jurisdiction.code };

  const close = () => {
    editing = undefined;
    section.hidden = true;
    state.close();
  };
  partOf(host, '.edit-cancel').addEventListener('click', close);

  const open = (user: StaffUser) => {
    editing = user;
    shown.clear();
    heading.textContent = m('staffUsers.edit.heading', { username: user.username });
    field('displayName').value = user.displayName;
    field('mobile').value = user.mobile ?? '';
    role.value = user.role;
    jurisdiction.value = user.jurisdiction;
    fields.showPlace();
    // One's own account: name and mobile only; never one's own role, jurisdiction or enabled state.
    const self = isSelf(user);
    partOf(host, '.edit-self').hidden = !self;
    role.disabled = self;
    jurisdiction.disabled = self;
    state.show(self ? undefined : user);
    section.hidden = false;
    heading.focus();
    section.scrollIntoView({ block: 'start' });
  };

  /** Sends a change at the version listed; once saved, the page hears it and reads the list again. */
  const save = async (changes: Changes): Promise<void> => {
    const user = editing;
    if (!user) return;
    const result = await api('users.update', {
      params: { username: user.username },
      method: 'PATCH',
      json: { version: user.version, ...changes },
      token: c.token,
    });
    if (result.ok) {
      const done =
        changes.enabled === undefined
          ? 'staffUsers.edit.saved'
          : changes.enabled
            ? 'staffUsers.edit.enabled'
            : 'staffUsers.edit.disabled';
      close();
      host.dispatchEvent(new CustomEvent('user-saved', { detail: m(done, { username: user.username }) }));
      return;
    }
    if (errorCodeOf(result.body) === 'VERSION_CONFLICT') {
      host.dispatchEvent(new CustomEvent('user-stale', { detail: user.username }));
      return;
    }
    showRefusal(m, form, shown, result, {
      fields: fields.refusedFields(fieldsOf(result.body)),
      codes: {
        ACCOUNTS_AT_ISSUER: m('staffUsers.err.atIssuer'),
        NOT_FOUND: m('staffUsers.err.notFound'),
        FORBIDDEN: m('staffUsers.err.notBelow'),
      },
    });
  };

  onSubmit(form, partOf(form, 'button[type=submit]'), m('staffUsers.edit.saving'), async (busy) => {
    const user = editing;
    if (!user) return;
    const problems = fields.problems((code) => {
      const after = { role: role.value as Role, jurisdiction: code };
      if (isSelf(user) || manages(me, after)) return undefined;
      return { control: after.role === 'admin' ? role : jurisdiction, text: m('staffUsers.err.notBelow') };
    });
    if (!shown.passes(problems)) return;
    const changes: Changes = {};
    const displayName = field('displayName').value.trim();
    if (displayName !== user.displayName) changes.displayName = displayName;
    const mobile = field('mobile').value.trim() || null;
    if (mobile !== user.mobile) changes.mobile = mobile;
    if (!isSelf(user)) {
      if (role.value !== user.role) changes.role = role.value as Role;
      if (jurisdiction.value.trim() !== user.jurisdiction) changes.jurisdiction = jurisdiction.value.trim();
    }
    if (Object.keys(changes).length === 0) {
      shown.show([], m('staffUsers.edit.nothing'));
      return;
    }
    await busy(() => save(changes));
  });

  return { open, stale: () => shown.show([], m('staffUsers.err.conflict')) };
};

/**
 * The account's state under the form: enabled or disabled, and the button that turns it, which asks
 * once more in the page (no browser dialog), naming the account.
 */
const accountState = (card: HTMLElement, c: TypedConsole, turn: (enabled: boolean) => Promise<void>) => {
  const { m } = c;
  const line = partOf<HTMLElement>(card, '.edit-state-line');
  const toggle = partOf<HTMLButtonElement>(card, '.edit-toggle');
  const confirm = partOf<HTMLElement>(card, '[role=alertdialog]');
  const yes = partOf<HTMLButtonElement>(confirm, '.edit-confirm-yes');
  let user: StaffUser | undefined;

  const show = (shown: StaffUser | undefined) => {
    user = shown;
    confirm.hidden = true;
    card.hidden = !shown;
    if (!shown) return;
    line.textContent = m(shown.enabled ? 'staffUsers.state.enabled' : 'staffUsers.state.disabled');
    line.dataset.enabled = String(shown.enabled);
    toggle.textContent = m(shown.enabled ? 'staffUsers.edit.disable' : 'staffUsers.edit.enable');
  };
  toggle.addEventListener('click', () => {
    if (!user) return;
    const vars = { username: user.username, name: user.displayName };
    partOf(confirm, 'p').textContent = m(
      user.enabled ? 'staffUsers.edit.confirmDisable' : 'staffUsers.edit.confirmEnable',
      vars,
    );
    confirm.hidden = false;
    yes.focus();
  });
  partOf(confirm, '.edit-confirm-no').addEventListener('click', () => {
    confirm.hidden = true;
    toggle.focus();
  });
  yes.addEventListener('click', async () => {
    if (!user || yes.disabled) return;
    yes.disabled = true;
    try {
      await turn(!user.enabled);
    } finally {
      yes.disabled = false;
    }
  });
  return { show, close: () => show(undefined) };
};

if (!customElements.get('user-editor')) customElements.define('user-editor', UserEditor);

declare global {
  interface HTMLElementTagNameMap {
    'user-editor': UserEditor;
  }
}
