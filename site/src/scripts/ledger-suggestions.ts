/**
 * Staff console, suggestions from self-inspections: `GET /api/staff/ledger-suggestions` → one card
 * each (firm, item, the firm's note, severity); "accept" posts `…/{id}/accept` and links the new
 * ledger item; "dismiss" asks for the reason first (2–500 characters, as the API checks) and posts
 * `…/{id}/dismiss`. A 409 (someone decided it meanwhile) says so and drops the card.
 */
import type { Suggestion } from '../../../shared/self-inspection.ts';
import { api, failureText } from '../kit/api.ts';
import { type Console, runConsolePage } from './console.ts';
import { buttonEl, dateTime, el, showStatus } from './format.ts';

const run = async (c: Console, root: HTMLElement) => {
  const { lang, m } = c;
  const list = root.querySelector('#suggest-list') as HTMLElement;
  const status = root.querySelector('#suggest-status') as HTMLElement;

  const tell = (node: string | Node, kind: 'success' | 'info') => {
    showStatus(status, kind, node);
  };

  const card = (s: Suggestion) => {
    const li = el('li', 'card');
    li.dataset.suggestionId = s.suggestionId;
    const title = s.title[lang];
    li.append(
      el('h3', undefined, `${s.itemId} ${title}`),
      el('p', 'muted', m('suggest.firm', { firm: s.firmName, date: dateTime(s.createdAt, lang, true) })),
    );
    const severity = el('p', 'ledger-severity', m(`ledger.severity.${s.severity}`));
    severity.dataset.severity = s.severity;
    li.append(severity);
    if (s.note) li.append(el('p', undefined, m('suggest.note', { note: s.note })));
    const actions = el('p', 'suggestion-actions');
    const accept = buttonEl('button-small', m('suggest.accept'));
    const dismiss = buttonEl('button-secondary button-small', m('suggest.dismiss'));
    actions.append(accept, dismiss);
    li.append(actions);

    const form = el('form', 'suggestion-dismiss');
    form.noValidate = true;
    form.hidden = true;
    const field = el('div', 'field');
    const label = el('label', undefined, m('suggest.reason'));
    const reason = el('textarea');
    reason.id = `reason-${s.suggestionId}`;
    reason.rows = 2;
    reason.maxLength = 500;
    label.htmlFor = reason.id;
    const error = el('p', 'field-error');
    error.hidden = true;
    field.append(label, reason, error);
    const confirm = buttonEl('button-small', m('suggest.confirmDismiss'), 'submit');
    const cancel = buttonEl('button-secondary button-small', m('suggest.cancel'));
    const formActions = el('p', 'suggestion-actions');
    formActions.append(confirm, cancel);
    form.append(field, formActions);
    li.append(form);

    const settle = (code: number, answer: unknown, done: () => void) => {
      if (code === 401) return;
      if (code === 409 || code === 404) {
        li.remove();
        tell(m('suggest.decided'), 'info');
        return;
      }
      if (code >= 200 && code < 300) {
        li.remove();
        done();
        if (!list.children.length) list.append(el('li', 'muted', m('suggest.empty')));
        return;
      }
      tell(failureText(m, code, answer), 'info');
    };

    accept.addEventListener('click', async () => {
      accept.disabled = true;
      const answer = await api('suggestions.accept', { params: { id: s.suggestionId }, json: {}, token: c.token });
      accept.disabled = false;
      settle(answer.status, answer.body, () => {
        if (!answer.ok) return;
        const itemId = answer.body.item.itemId;
        const link = el('a', undefined, m('suggest.accepted', { title }));
        link.href = `${c.path('/staff/ledger/item/')}?id=${encodeURIComponent(itemId)}`;
        tell(link, 'success');
      });
    });
    dismiss.addEventListener('click', () => {
      form.hidden = false;
      actions.hidden = true;
      reason.focus();
    });
    cancel.addEventListener('click', () => {
      form.hidden = true;
      actions.hidden = false;
      dismiss.focus();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = reason.value.trim();
      if (text.length < 2 || text.length > 500) {
        error.textContent = m('suggest.errReason');
        error.hidden = false;
        reason.setAttribute('aria-invalid', 'true');
        reason.focus();
        return;
      }
      error.hidden = true;
      reason.removeAttribute('aria-invalid');
      confirm.disabled = true;
      const { status: code, body: answer } = await api('suggestions.dismiss', {
        params: { id: s.suggestionId },
        json: { reason: text },
        token: c.token,
      });
      confirm.disabled = false;
      settle(code, answer, () => tell(m('suggest.dismissed', { title }), 'success'));
    });
    return li;
  };

  const load = async (): Promise<void> => {
    list.replaceChildren(el('li', 'muted', m('console.loading')));
    const answer = await api('suggestions.list', { token: c.token });
    const { status: code } = answer;
    if (code === 401) return;
    if (!answer.ok) {
      const box = el('li', 'alert', `${m('suggest.failed')} ${failureText(m, code, answer.body)}`);
      const retry = buttonEl('button-secondary button-small', m('console.retry'));
      retry.addEventListener('click', () => void load());
      box.append(retry);
      list.replaceChildren(box);
      return;
    }
    const { suggestions } = answer.body;
    list.replaceChildren(
      ...(suggestions.length === 0 ? [el('li', 'muted', m('suggest.empty'))] : suggestions.map(card)),
    );
  };

  await load();
};

runConsolePage(run, ['liaison', 'lead', 'admin']);
