/**
 * The firm's self-inspection page. The firm's token: the session the firm sign-in stores in this
 * tab (`eco.firm.session`, `{token, expiresAt}`); without one (or an expired one) the page goes to
 * the firm sign-in and back. `GET /api/firm/self-inspections/template` → the items; the answers are
 * checked here as the server checks them (every item, notes within the limit) and posted once with
 * an id made when the form is first sent, kept until the server has it, so a retry after a lost
 * answer is the same submission. A 409 VERSION_CONFLICT (the template changed) reloads the form.
 * `GET /api/firm/self-inspections` → earlier submissions and the open check-up request.
 */
import type { Answers } from '../../../shared/answers.ts';
import type { Answer as Result } from '../../../shared/checkups.ts';
import type { FirmTemplateItem as TemplateItem } from '../../../shared/self-inspection.ts';
import { type ApiResult, errorCodeOf, failureText, firmApi, messagesOf } from '../kit/firm-api.ts';
import { clearSession, readSession } from '../kit/firm-session.ts';
import { $, buttonEl, dateTime, el, fill, langOf, showStatus } from './format.ts';

const PENDING_KEY = 'eco.firm.selfInspection.pending';

type Template = Answers['selfInspections.template']['template'];

const root = document.querySelector<HTMLElement>('#self-page');

const newId = (): string => {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

if (root) {
  const lang = langOf(root);
  const msg = messagesOf(root);
  const m = (key: string, vars: Record<string, string | number> = {}): string =>
    fill(msg[key] ?? msg['error.INTERNAL'] ?? key, vars);
  const maxNote = Number(root.dataset.maxNote ?? 500);
  const loading = $<HTMLElement>('#self-loading');
  const problem = $<HTMLElement>('#self-problem');
  const done = $<HTMLElement>('#self-done');
  const summary = $<HTMLElement>('#self-errors');
  const form = $<HTMLFormElement>('#self-form');
  const itemsBox = $<HTMLElement>('#self-items');
  const progress = $<HTMLElement>('#self-progress');
  const submit = $<HTMLButtonElement>('#self-submit');
  const requestBox = $<HTMLElement>('#self-request');
  const requestStatus = $<HTMLElement>('#self-request-status');
  const requestForm = $<HTMLFormElement>('#self-request-form');
  const requestNote = $<HTMLTextAreaElement>('#self-request-note');
  const requestSubmit = $<HTMLButtonElement>('#self-request-submit');
  const history = $<HTMLElement>('#self-history');
  const historyList = $<HTMLElement>('#self-history-list');
  const token = readSession()?.token ?? null;
  let template: Template | undefined;

  const signIn = () => {
    const next = encodeURIComponent(location.pathname);
    location.assign(`${lang === 'en' ? '/en' : ''}/firm/sign-in/?next=${next}`);
  };

  /** An answer of the firm's API, the session dropped and the sign-in shown when it was refused (401). */
  const guarded = async <R extends ApiResult>(call: Promise<R>): Promise<R> => {
    const result = await call;
    if (result.status === 401) {
      clearSession();
      signIn();
    }
    return result;
  };

  const textOf = (item: TemplateItem) => item.text[lang];

  // ---- the form ----

  const choice = (item: TemplateItem, result: Result) => {
    const wrap = el('div', 'checkup-choice-wrap');
    const input = el('input', 'checkup-radio');
    input.type = 'radio';
    input.name = `result-${item.itemId}`;
    input.id = `result-${item.itemId}-${result}`;
    input.value = result;
    const label = el('label', 'checkup-choice', m(`self.result.${result}`));
    label.htmlFor = input.id;
    label.dataset.result = result;
    wrap.append(input, label);
    return wrap;
  };

  const itemCard = (item: TemplateItem) => {
    const box = el('fieldset', 'card self-item');
    box.dataset.itemId = item.itemId;
    const legend = el('legend', 'self-item-text', `${item.itemId} ${textOf(item)}`);
    const choices = el('div', 'self-choices');
    for (const r of ['pass', 'fail', 'na'] as const) choices.append(choice(item, r));
    const error = el('p', 'self-item-error');
    error.id = `error-${item.itemId}`;
    error.hidden = true;
    const noteField = el('div', 'field self-note');
    noteField.hidden = true;
    const noteLabel = el('label', undefined, m('self.note'));
    noteLabel.htmlFor = `note-${item.itemId}`;
    const hint = el('p', 'hint', m('self.noteHint', { n: maxNote }));
    hint.id = `note-${item.itemId}-hint`;
    const note = el('textarea');
    note.id = `note-${item.itemId}`;
    note.rows = 2;
    note.maxLength = maxNote;
    note.setAttribute('aria-describedby', hint.id);
    noteField.append(noteLabel, hint, note);
    box.append(legend, choices, error, noteField);
    box.addEventListener('change', () => {
      noteField.hidden = resultOf(item.itemId) !== 'fail';
      setError(item.itemId, undefined);
      showProgress();
    });
    return box;
  };

  const resultOf = (itemId: string): Result | undefined =>
    (form.querySelector<HTMLInputElement>(`input[name="result-${itemId}"]:checked`)?.value as Result | undefined) ??
    undefined;
  const noteOf = (itemId: string) => form.querySelector<HTMLTextAreaElement>(`#note-${itemId}`)?.value.trim() ?? '';

  const setError = (itemId: string, text: string | undefined) => {
    const box = form.querySelector<HTMLElement>(`.self-item[data-item-id="${itemId}"]`);
    const error = form.querySelector<HTMLElement>(`#error-${itemId}`);
    if (!box || !error) return;
    error.textContent = text ?? '';
    error.hidden = !text;
    if (text) box.setAttribute('aria-invalid', 'true');
    else box.removeAttribute('aria-invalid');
  };

  const showProgress = () => {
    const total = template?.items.length ?? 0;
    const answered = template?.items.filter((i) => resultOf(i.itemId)).length ?? 0;
    progress.textContent = m('self.progress', { done: answered, total });
  };

  const renderForm = (t: Template) => {
    itemsBox.replaceChildren();
    for (const category of ['management', 'facilities', 'risk'] as const) {
      const items = t.items.filter((i) => i.category === category);
      if (items.length === 0) continue;
      const group = el('fieldset', 'self-category');
      group.append(el('legend', undefined, m(`self.category.${category}`)));
      for (const item of items) group.append(itemCard(item));
      itemsBox.append(group);
    }
    form.hidden = false;
    showProgress();
  };

  const problems = (): { itemId: string; text: string }[] =>
    (template?.items ?? []).flatMap((item) => {
      if (!resultOf(item.itemId)) return [{ itemId: item.itemId, text: m('self.err.unanswered') }];
      if (noteOf(item.itemId).length > maxNote)
        return [{ itemId: item.itemId, text: m('self.err.note', { n: maxNote }) }];
      return [];
    });

  const showSummary = (found: { itemId: string; text: string }[]) => {
    const list = summary.querySelector('ul') as HTMLUListElement;
    list.replaceChildren(
      ...found.map((p) => {
        const li = el('li');
        const a = el('a', undefined, `${p.itemId}：${p.text}`);
        a.href = `#result-${p.itemId}-pass`;
        li.append(a);
        return li;
      }),
    );
    summary.hidden = found.length === 0;
    if (found.length > 0) summary.focus();
  };

  const stop = (text: string, retry?: () => void) => {
    loading.hidden = true;
    problem.replaceChildren(el('p', undefined, text));
    if (retry) {
      const button = buttonEl('button-secondary button-small', m('self.retry'));
      button.addEventListener('click', () => {
        problem.hidden = true;
        retry();
      });
      problem.append(button);
    }
    problem.hidden = false;
    problem.focus();
  };

  const loadTemplate = async () => {
    loading.hidden = false;
    const answer = await guarded(firmApi('selfInspections.template', { token }));
    loading.hidden = true;
    if (answer.status === 401) return;
    if (!answer.ok) return stop(`${m('self.failed')} ${failureText(m, answer.status, answer.body)}`, loadTemplate);
    template = answer.body.template;
    renderForm(template);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!template || submit.disabled) return;
    const found = problems();
    for (const item of template.items) setError(item.itemId, found.find((p) => p.itemId === item.itemId)?.text);
    showSummary(found);
    if (found.length > 0) return;
    const answers = Object.fromEntries(
      template.items.map((item) => {
        const note = noteOf(item.itemId);
        const result = resultOf(item.itemId) as Result;
        return [item.itemId, result === 'fail' && note ? { result, note } : { result }];
      }),
    );
    // One id per submission, kept until the server has it: a retry after a lost answer is the same one.
    const id = sessionStorage.getItem(PENDING_KEY) ?? newId();
    sessionStorage.setItem(PENDING_KEY, id);
    submit.disabled = true;
    submit.textContent = m('self.submitting');
    const answer = await guarded(
      firmApi('selfInspections.create', { token, json: { id, templateVersion: template.version, answers } }),
    );
    const { status, body } = answer;
    submit.disabled = false;
    submit.textContent = m('self.submit');
    if (status === 401) return;
    if (answer.ok) {
      const saved = answer.body.selfInspection;
      sessionStorage.removeItem(PENDING_KEY);
      form.hidden = true;
      const failed = Object.keys(saved.suggestions).length;
      showStatus(
        done,
        'success',
        `${m('self.done', { score: saved.score })} ${failed > 0 ? m('self.doneFailed', { n: failed }) : m('self.doneNone')}`,
      );
      void loadHistory();
      return;
    }
    if (status === 409 && errorCodeOf(body) === 'VERSION_CONFLICT') {
      sessionStorage.removeItem(PENDING_KEY);
      await loadTemplate();
      return stop(m('self.err.changed'));
    }
    // The id is another submission's (the answers changed since it was first sent): a new one next time.
    if (status === 409) sessionStorage.removeItem(PENDING_KEY);
    stop(m('self.err.sent', { reason: failureText(m, status, body) }));
  });

  // ---- history and the check-up request ----

  const titleOf = (itemId: string) => {
    const item = template?.items.find((i) => i.itemId === itemId);
    return item ? `${itemId} ${textOf(item)}` : itemId;
  };

  const loadHistory = async () => {
    const answer = await guarded(firmApi('selfInspections.list', { token }));
    if (!answer.ok) return;
    const list = answer.body.selfInspections;
    historyList.replaceChildren(
      ...(list.length === 0
        ? [el('li', 'muted', m('self.historyEmpty'))]
        : list.map((s) => {
            const li = el('li', 'card');
            li.dataset.selfInspectionId = s.selfInspectionId;
            li.append(
              el('p', undefined, m('self.historyItem', { date: dateTime(s.submittedAt, lang, true), score: s.score })),
            );
            const failed = Object.entries(s.suggestions);
            if (failed.length > 0) {
              const ul = el('ul');
              for (const [itemId, outcome] of failed) {
                const row = el('li', undefined, titleOf(itemId));
                const state = el(
                  'span',
                  'self-state',
                  m(`self.state.${outcome.state}`, { reason: outcome.reason ?? '' }),
                );
                state.dataset.state = outcome.state;
                row.append(state);
                ul.append(row);
              }
              li.append(ul);
            }
            return li;
          })),
    );
    history.hidden = false;
    const request = answer.body.checkupRequest;
    requestBox.hidden = false;
    if (request?.open) {
      requestStatus.textContent = m('self.request.open', { date: dateTime(request.requestedAt, lang, true) });
      requestStatus.hidden = false;
      requestForm.hidden = true;
    }
  };

  requestForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (requestSubmit.disabled) return;
    requestSubmit.disabled = true;
    const label = requestSubmit.textContent;
    requestSubmit.textContent = m('self.request.sending');
    const note = requestNote.value.trim();
    const { status, body } = await guarded(firmApi('checkupRequests.create', { token, json: note ? { note } : {} }));
    requestSubmit.disabled = false;
    requestSubmit.textContent = label;
    if (status === 401) return;
    requestStatus.hidden = false;
    if (status === 201) {
      requestStatus.textContent = m('self.request.done');
      requestStatus.dataset.kind = 'success';
      requestForm.hidden = true;
    } else {
      requestStatus.textContent = m('self.request.failed', { reason: failureText(m, status, body) });
      requestStatus.dataset.kind = 'info';
    }
    requestStatus.focus();
  });

  if (!token) signIn();
  else void loadTemplate().then(loadHistory);
}
