/**
 * Staff console, "three best" cases (issue 19): the cases of the caller's subtree
 * (`GET /api/staff/cases`, paged) with each one's status per level and the moves the server says
 * the caller may make (`moves`, `editable`); a county lead drafts and edits (`POST` / `PATCH
 * /api/staff/cases…`, checked with the API's own schemas first; files go through the evidence
 * route before the case is saved: staff-cases/draft-form.ts). Returning asks for a reason; publishing for the public title and
 * summary, checked here for personal data as the server checks them.
 */

import type { CaseStatus, StaffCase as CaseView } from '../../../shared/case-rules.ts';
import { names } from '../../../shared/jurisdictions.ts';
import { api, errorCodeOf, fieldsOf } from '../kit/api.ts';
import { formProblems, onSubmit, type Problem, runConsolePage, type TypedConsole } from './console.ts';
import { buttonEl, el } from './format.ts';
import { schemas } from './staff-cases/case-view.ts';
import { draftForm } from './staff-cases/draft-form.ts';

const run = async (c: TypedConsole) => {
  const { lang, token, $ } = c;
  const m = c.m as unknown as (key: string, vars?: Record<string, string | number>) => string;
  const status = $<HTMLElement>('#case-status');
  const say = (text: string, kind: 'success' | 'error') => {
    status.dataset.kind = kind;
    status.textContent = text;
    status.hidden = false;
    status.focus();
  };
  const place = (code: string) => names[code]?.[lang] ?? code;

  // ---- the list ----

  const list = $<HTMLElement>('#case-list');
  const more = $<HTMLButtonElement>('#case-more');
  const filterStatus = $<HTMLSelectElement>('#filter-status');
  const filterKind = $<HTMLSelectElement>('#filter-kind');
  let cursor: string | null = null;
  let shown = new Map<string, CaseView>();

  /** Where a case stands at each level: the county's draft, the city's decision, the province's. */
  const steps = (s: CaseStatus) => {
    const county = s === 'draft' ? 'drafting' : s === 'returned' ? 'returned' : 'submitted';
    const city = s === 'submitted' ? 'waiting' : s === 'returned' ? 'returned' : s === 'draft' ? 'none' : 'recommended';
    const province =
      s === 'recommended' ? 'waiting' : s === 'selected' ? 'selected' : s === 'published' ? 'published' : 'none';
    const ol = el('ol', 'case-steps');
    for (const [level, state] of [
      ['county', county],
      ['city', city],
      ['province', province],
    ] as const) {
      const li = el('li', undefined, `${m(`staffCases.level.${level}`)}：${m(`staffCases.step.${state}`)}`);
      li.dataset.state = state;
      li.dataset.done = String(!['none', 'waiting', 'drafting'].includes(state));
      ol.append(li);
    }
    return ol;
  };

  const fieldProblems = (body: unknown, controls: Record<string, HTMLElement>): Problem[] =>
    Object.keys(fieldsOf(body)).map((key) => {
      const head = key.split('.')[0] ?? '';
      const control = controls[head];
      const text = m(`staffCases.err.${head}`);
      return control ? { control, text } : { text: m('error.VALIDATION_FAILED') };
    });

  /** After a 409 or a move: the list again, and a word on what happened. */
  const afterMove = async (code: number, body: unknown, done: string) => {
    if (code === 200) {
      say(m('staffCases.done', { action: done }), 'success');
      await load(true);
      return true;
    }
    if (code === 409 && errorCodeOf(body) === 'VERSION_CONFLICT') {
      say(m('staffCases.conflict'), 'error');
      await load(true);
      return true;
    }
    if (code === 409 || code === 403 || code === 404) {
      say(m(`error.${errorCodeOf(body) ?? 'INTERNAL'}`), 'error');
      await load(true);
      return true;
    }
    return false;
  };

  const dialog = (box: HTMLElement, c: CaseView, action: 'return' | 'publish') => {
    box.querySelector('.case-dialog')?.remove();
    const form = el('form', 'case-dialog');
    form.noValidate = true;
    const summary = el('section', 'error-summary');
    summary.tabIndex = -1;
    summary.hidden = true;
    summary.append(el('h3'), el('p'), el('ul'));
    form.append(summary);
    const id = (name: string) => `${name}-${c.caseId}`;
    const area = (name: string, label: string, value: string, rows: number, max: number) => {
      const l = el('label', undefined, label);
      l.htmlFor = id(name);
      const control = rows > 1 ? el('textarea') : el('input');
      control.id = id(name);
      if (control instanceof HTMLTextAreaElement) control.rows = rows;
      else control.type = 'text';
      control.maxLength = max;
      control.value = value;
      form.append(l, control);
      return control;
    };
    const controls: Record<string, HTMLInputElement | HTMLTextAreaElement> = {};
    let showFirms: HTMLInputElement | undefined;
    if (action === 'return') {
      controls.reason = area('case-reason', m('staffCases.return.reason'), '', 3, 500);
    } else {
      controls.publicTitle = area('case-public-title', m('staffCases.publish.title'), c.publicTitle ?? c.title, 1, 100);
      controls.publicSummary = area(
        'case-public-summary',
        m('staffCases.publish.summary'),
        c.publicSummary ?? '',
        5,
        2000,
      );
      const check = el('label', 'check');
      showFirms = el('input');
      showFirms.type = 'checkbox';
      showFirms.id = id('case-show-firms');
      showFirms.checked = c.showFirms;
      check.append(showFirms, m('staffCases.publish.showFirms'));
      form.append(check);
    }
    const row = el('p', 'case-actions');
    const confirm = el(
      'button',
      undefined,
      m(action === 'return' ? 'staffCases.return.confirm' : 'staffCases.publish.confirm'),
    );
    confirm.type = 'submit';
    const cancel = buttonEl('button-secondary', m('staffCases.cancel'));
    cancel.addEventListener('click', () => form.remove());
    row.append(confirm, cancel);
    form.append(row);
    const problems = formProblems(form, summary, m);
    onSubmit(form, confirm, m('staffCases.loading'), async (busy) => {
      problems.clear();
      const request =
        action === 'return'
          ? { version: c.version, reason: controls.reason?.value.trim() ?? '' }
          : {
              version: c.version,
              publicTitle: controls.publicTitle?.value.trim() ?? '',
              publicSummary: controls.publicSummary?.value.trim() ?? '',
              showFirms: showFirms?.checked ?? false,
            };
      const { caseReturnInput, casePublishInput } = await schemas();
      const checked = (action === 'return' ? caseReturnInput : casePublishInput).safeParse(request);
      if (!checked.success) {
        const heads = new Set(checked.error.issues.map((i) => String(i.path[0] ?? '')));
        problems.show([...heads].map((h) => ({ control: controls[h], text: m(`staffCases.err.${h}`) })));
        return;
      }
      const { status: code, body } = await busy(() =>
        api(action === 'return' ? 'cases.return' : 'cases.publish', {
          token,
          params: { id: c.caseId },
          json: checked.data,
        }),
      );
      if (code === 400) return problems.show(fieldProblems(body, controls));
      if (!(await afterMove(code, body, m(`staffCases.action.${action}`)))) say(m('staffCases.failed'), 'error');
    });
    box.append(form);
    (Object.values(controls)[0] as HTMLElement | undefined)?.focus();
  };

  const cardOf = (c: CaseView) => {
    const box = el('article', 'card case-item');
    box.dataset.caseId = c.caseId;
    box.dataset.status = c.status;
    const badge = el('span', 'badge', m(`staffCases.status.${c.status}`));
    const heading = el('h3', undefined, `${c.title} `);
    heading.append(badge);
    box.append(
      el('p', 'case-kind', `${m(`cases.kind.${c.kind}`)} · ${place(c.county)}`),
      heading,
      steps(c.status),
      el('p', undefined, `${m('staffCases.firms')}：${c.firms.map((f) => f.name).join('、')}`),
    );
    if (c.ledgerItems.length > 0) box.append(el('p', 'muted', `${m('staffCases.ledger')}：${c.ledgerItems.length}`));
    if (c.evidenceIds.length > 0) box.append(el('p', 'muted', `${m('staffCases.evidence')}：${c.evidenceIds.length}`));
    if (c.status === 'returned' && c.returnReason)
      box.append(el('p', 'alert', m('staffCases.returnReason', { reason: c.returnReason })));
    const actions = el('div', 'case-actions');
    if (c.editable) {
      const edit = buttonEl('button-secondary', m('staffCases.action.edit'));
      edit.addEventListener('click', () => draft.startEdit(c));
      actions.append(edit);
    }
    for (const action of c.moves) {
      const button = el('button', action === 'return' || action === 'unpublish' ? 'button-secondary' : undefined);
      button.textContent = m(`staffCases.action.${action}`);
      button.type = 'button';
      button.dataset.action = action;
      button.addEventListener('click', async () => {
        if (action === 'return' || action === 'publish') return dialog(box, c, action);
        button.disabled = true;
        const { status: code, body } = await api(`cases.${action}`, {
          token,
          params: { id: c.caseId },
          json: { version: c.version },
        });
        button.disabled = false;
        if (!(await afterMove(code, body, m(`staffCases.action.${action}`)))) say(m('staffCases.failed'), 'error');
      });
      actions.append(button);
    }
    if (actions.childElementCount > 0) box.append(actions);
    return box;
  };

  async function load(first: boolean) {
    if (first) {
      cursor = null;
      shown = new Map();
      list.replaceChildren(el('p', 'muted', m('staffCases.loading')));
    }
    const query: Record<string, string> = {};
    if (filterStatus.value) query.status = filterStatus.value;
    if (filterKind.value) query.kind = filterKind.value;
    if (cursor) query.cursor = cursor;
    const result = await api('cases.list', { token, query });
    if (!result.ok) {
      list.replaceChildren(el('p', 'alert', m('staffCases.failed')));
      return;
    }
    const page = result.body;
    if (first) list.replaceChildren();
    for (const c of page.cases) {
      shown.set(c.caseId, c);
      list.append(cardOf(c));
    }
    if (shown.size === 0) list.replaceChildren(el('p', 'muted', m('staffCases.empty')));
    cursor = page.nextCursor;
    more.hidden = cursor === null;
  }
  more.addEventListener('click', () => void load(false));
  $<HTMLFormElement>('#case-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    void load(true);
  });

  // ---- the draft form (county leads) ----

  const draft = await draftForm({ c, m, say, load, fieldProblems, afterMove });

  await load(true);
};

runConsolePage(run);
