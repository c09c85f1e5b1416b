/**
 * The new-account form of the staff accounts page (`users.create` → 201 `{user, invitation}`; 409
 * USERNAME_TAKEN). It checks what the API checks (shared/staff-user.ts) before sending, and the scope
 * rules: a lead only inside its subtree and never an admin, a liaison on a county code.
 */
import { MOBILE } from '../../../../shared/consultation-rules.ts';
import { contains, JURISDICTION_CODE, levelOf, names } from '../../../../shared/jurisdictions.ts';
import { USERNAME } from '../../../../shared/staff-user-rules.ts';
import { api, errorCodeOf, failureText, fieldsOf } from '../../kit/api.ts';
import { type Console, formProblems, onSubmit, type Problem, problemsOfFields } from '../console.ts';
import { el } from '../format.ts';
import { placeLabel } from '../pairings-common.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What the form needs from the page: where it says what was done, and the list it reloads. */
export interface NewUserContext {
  c: Console;
  status: HTMLElement;
  list: HTMLElement;
  loadUsers: () => Promise<void>;
}

export const newUserForm = ({ c, status, list, loadUsers }: NewUserContext) => {
  const { lang, m, $ } = c;
  const scope = c.me.jurisdiction.code;

  const form = $<HTMLFormElement>('#new-user-form');
  const summary = $<HTMLElement>('#user-errors');
  const username = $<HTMLInputElement>('#user-username');
  const displayName = $<HTMLInputElement>('#user-display-name');
  const email = $<HTMLInputElement>('#user-email');
  const newMobile = $<HTMLInputElement>('#user-mobile');
  const role = $<HTMLSelectElement>('#user-role');
  const jurisdiction = $<HTMLInputElement>('#user-jurisdiction');
  const jurisdictionName = $<HTMLElement>('#user-jurisdiction-name');
  const submit = $<HTMLButtonElement>('#new-user-form button[type=submit]');
  const controls = [username, displayName, email, newMobile, role, jurisdiction];

  // Only an admin makes admins.
  if (c.me.role !== 'admin') role.querySelector('option[value=admin]')?.remove();
  role.value = 'liaison';
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
    const mobile = newMobile.value.trim();
    if (mobile !== '' && !MOBILE.test(mobile)) found.push({ control: newMobile, text: m('staffUsers.err.mobile') });
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

  const { show, passes, watch } = formProblems(form, summary, m);
  watch(controls, problems);

  onSubmit(form, submit, m('staffUsers.new.submitting'), async (busy) => {
    if (!passes(problems())) return;
    const input = {
      username: username.value.trim().toLowerCase(),
      displayName: displayName.value.trim(),
      email: email.value.trim(),
      role: role.value,
      jurisdiction: jurisdiction.value.trim(),
      ...(newMobile.value.trim() ? { mobile: newMobile.value.trim() } : {}),
    };
    const result = await busy(() => api('users.create', { json: input, token: c.token }));
    const { status: code, body: answer } = result;
    if (result.ok) {
      const reply = result.body;
      const { user } = reply;
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
        mobile: { control: newMobile, text: m('staffUsers.err.mobile') },
        role: { control: role, text: m('staffUsers.err.role') },
        jurisdiction: {
          control: jurisdiction,
          text: /county/i.test(fields.jurisdiction ?? '')
            ? m('staffUsers.err.liaisonCounty')
            : m('staffUsers.err.jurisdiction'),
        },
      };
      show(problemsOfFields(fields, byField, m));
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
};
