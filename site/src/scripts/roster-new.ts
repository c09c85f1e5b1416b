/**
 * The roster's "add a firm" (leads and admins, `<roster-new-firm>`): `POST enterprises.create`,
 * checked with the API's schema first, the server's `error.fields` on the same inputs. Loaded when a
 * manager first turns to the form (roster-new/element.ts).
 */
import { api, errorCodeOf, fieldsOf } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { onSubmit, type TypedConsole } from './console.ts';
import { el, showStatus } from './format.ts';
import { enterpriseForm } from './roster-form.ts';

/** `status` is the page's line that says what was done; `onCreated` reloads the list. */
export const setupNewFirm = (host: HTMLElement, c: TypedConsole, status: HTMLElement, onCreated: () => void) => {
  const { m, token } = c;
  const form = host.querySelector('form') as HTMLFormElement;
  const summary = host.querySelector('#new-firm-errors') as HTMLElement;
  const submit = form.querySelector('button[type=submit]') as HTMLButtonElement;
  const enterprise = enterpriseForm(form, summary, c, () => enterprise.inputProblems());
  // The person has turned to the form already: its checks load now, not on the next turn.
  void enterprise.ready();

  onSubmit(form, submit, m('roster.new.saving'), async (busy) => {
    await busy(enterprise.ready);
    const found = enterprise.inputProblems();
    if (found.size > 0) {
      enterprise.show(found);
      return;
    }
    enterprise.clear();
    status.hidden = true;
    const result = await busy(() => api('enterprises.create', { json: enterprise.input(), token }));
    const { status: code, body: answer } = result;
    if (result.ok) {
      const created = result.body.enterprise;
      enterprise.reset();
      const link = el('a', undefined, m('roster.new.created', { name: created.name }));
      link.href = `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(created.uscc)}`;
      showStatus(status, 'success', link);
      status.scrollIntoView({ block: 'center' });
      onCreated();
      return;
    }
    if (code === 401) return;
    const error = errorCodeOf(answer);
    if (code === 400 || error === 'VALIDATION_FAILED') {
      enterprise.show(enterprise.serverProblems(fieldsOf(answer)));
      return;
    }
    if (error === 'ALREADY_EXISTS') {
      enterprise.show(new Map([['uscc', enterprise.problemOn('uscc', m('roster.err.uscc.exists'))]]));
      return;
    }
    if (code === 403 || error === 'FORBIDDEN') {
      enterprise.show(new Map([['county', enterprise.problemOn('county', m('roster.err.countyScope'))]]));
      return;
    }
    enterprise.show(new Map(), m('roster.problemTitle'), [failureText(m, code, answer)]);
  });
};
