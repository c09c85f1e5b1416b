/**
 * The firm page's edit form (leads and admins, `<firm-edit>`): `PATCH enterprises.update` with only
 * what changed and the version read; a VERSION_CONFLICT shows #conflict-message with a reload of the
 * latest. Loaded when a manager opens the form (firm-edit/element.ts).
 */
import type { Enterprise } from '../../../shared/enterprise.ts';
import { api, errorCodeOf, fieldsOf } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { onSubmit, type TypedConsole } from './console.ts';
import { enterpriseForm } from './roster-form.ts';

/** What the page does around the form: read the firm again, and show a saved one. */
export interface FirmEditPage {
  reload: () => Promise<Enterprise | undefined>;
  saved: (firm: Enterprise, countyChanged: boolean) => void;
}

export const setupEdit = (host: HTMLElement, c: TypedConsole, first: Enterprise, page: FirmEditPage) => {
  const { m, token } = c;
  const $ = <T extends HTMLElement>(selector: string): T => host.querySelector(selector) as T;
  const form = $<HTMLFormElement>('#edit-firm-form');
  const status = $<HTMLElement>('#firm-status');
  const conflict = $<HTMLElement>('#conflict-message');
  const save = $<HTMLButtonElement>('#edit-firm-form button[type=submit]');
  const say = (text: string, kind: 'success' | 'info' = 'success') => {
    status.textContent = text;
    status.dataset.kind = kind;
    status.hidden = false;
    status.focus();
  };
  let firm = first;
  const enterprise = enterpriseForm(form, $('#edit-errors'), c, () => enterprise.patch(firm).problems);
  enterprise.fill(firm);
  // The person has turned to the form already: its checks load now, not on the next turn.
  void enterprise.ready();
  const show = (latest: Enterprise, countyChanged = false) => {
    firm = latest;
    enterprise.fill(latest);
    page.saved(latest, countyChanged);
  };

  onSubmit(form, save, m('firm.edit.saving'), async (busy) => {
    status.hidden = true;
    conflict.hidden = true;
    await busy(enterprise.ready);
    const { patch, changed, problems } = enterprise.patch(firm);
    if (problems.size > 0) {
      enterprise.show(problems);
      return;
    }
    enterprise.clear();
    if (!changed) {
      say(m('firm.edit.nothing'), 'info');
      return;
    }
    const result = await busy(() =>
      api('enterprises.update', { params: { uscc: firm.uscc }, method: 'PATCH', json: patch, token }),
    );
    const { status: code, body: answer } = result;
    if (result.ok) {
      show(result.body.enterprise, Boolean(patch.county));
      say(m('firm.edit.saved'));
      return;
    }
    if (code === 401) return;
    const error = errorCodeOf(answer);
    if (error === 'VERSION_CONFLICT') {
      conflict.hidden = false;
      conflict.focus();
      conflict.scrollIntoView({ block: 'center' });
      return;
    }
    if (code === 400 || error === 'VALIDATION_FAILED') {
      enterprise.show(enterprise.serverProblems(fieldsOf(answer)));
      return;
    }
    if (code === 403 || error === 'FORBIDDEN') {
      enterprise.show(new Map([['county', enterprise.problemOn('county', m('roster.err.countyScope'))]]));
      return;
    }
    enterprise.show(new Map(), m('roster.problemTitle'), [failureText(m, code, answer)]);
  });

  $<HTMLButtonElement>('#conflict-reload').addEventListener('click', async () => {
    const latest = await page.reload();
    if (!latest) return;
    show(latest);
    conflict.hidden = true;
    say(m('firm.conflict.reloaded'), 'info');
  });
};
