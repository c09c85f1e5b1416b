/**
 * The draft form of the "three best" cases page, for county leads: a new case or one being edited,
 * checked with the API's own schemas first (loaded on the first check: the list needs none), its
 * files sent through the evidence route before the case is saved (`cases.create` / `cases.update`).
 */

import type { StaffCase as CaseView } from '../../../../shared/case-rules.ts';
import { api } from '../../kit/api.ts';
import { announceEvidence, putEvidence } from '../../kit/evidence-upload.ts';
import { formProblems, onSubmit, type Problem, type TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import { schemas } from './case-view.ts';

/** What the form needs from the page. */
export interface DraftFormContext {
  c: TypedConsole;
  m: (key: string, vars?: Record<string, string | number>) => string;
  say: (text: string, kind: 'success' | 'error') => void;
  load: (fresh: boolean) => Promise<void>;
  fieldProblems: (body: unknown, controls: Record<string, HTMLElement>) => Problem[];
  afterMove: (code: number, body: unknown, done: string) => Promise<boolean>;
}

export const draftForm = async ({ c: { token, me, $ }, m, say, load, fieldProblems, afterMove }: DraftFormContext) => {
  const status = $<HTMLElement>('#case-status');
  const isCounty = me.role === 'lead' && me.jurisdiction.level === 'county';

  const form = $<HTMLFormElement>('#draft-form');
  const kind = $<HTMLSelectElement>('#case-kind');
  const title = $<HTMLInputElement>('#case-title');
  const story = $<HTMLTextAreaElement>('#case-story');
  const firmsBox = $<HTMLElement>('#case-firms');
  const picker = $<HTMLElement>('#firm-picker');
  const filter = $<HTMLInputElement>('#firm-filter');
  const ledger = $<HTMLTextAreaElement>('#case-ledger');
  const files = $<HTMLInputElement>('#case-files');
  const kept = $<HTMLElement>('#case-files-kept');
  const save = $<HTMLButtonElement>('#draft-save');
  const cancel = $<HTMLButtonElement>('#draft-cancel');
  const summary = $<HTMLElement>('#draft-errors');
  let editing: CaseView | undefined;

  const startEdit = (c: CaseView) => {
    editing = c;
    $('#draft-heading').textContent = m('staffCases.form.editHeading');
    save.textContent = m('staffCases.form.update');
    cancel.hidden = false;
    kind.value = c.kind;
    title.value = c.title;
    story.value = c.story;
    ledger.value = c.ledgerItems.join('\n');
    const chosen = new Set(c.firms.map((f) => f.uscc));
    for (const box of picker.querySelectorAll<HTMLInputElement>('input[type=checkbox]'))
      box.checked = chosen.has(box.value);
    kept.textContent = m('staffCases.form.evidenceKept', { n: c.evidenceIds.length });
    kept.hidden = c.evidenceIds.length === 0;
    title.focus();
  };
  const stopEdit = () => {
    editing = undefined;
    $('#draft-heading').textContent = m('staffCases.form.heading');
    save.textContent = m('staffCases.form.save');
    cancel.hidden = true;
    kept.hidden = true;
    form.reset();
  };
  cancel.addEventListener('click', stopEdit);

  if (isCounty) {
    $('#draft-section').hidden = false;
    const result = await api('enterprises.list', { token, query: { limit: '200' } });
    const firms = result.ok ? result.body.enterprises : [];
    if (firms.length === 0) picker.append(el('p', 'muted', m('staffCases.form.firmsNone')));
    for (const firm of firms) {
      const label = el('label');
      const box = el('input');
      box.type = 'checkbox';
      box.name = 'firms';
      box.value = firm.uscc;
      label.append(box, el('span', undefined, firm.name), el('span', 'mono', firm.uscc));
      picker.append(label);
    }
    filter.addEventListener('input', () => {
      const q = filter.value.trim().toUpperCase();
      for (const label of picker.querySelectorAll<HTMLElement>('label')) {
        label.hidden = q !== '' && !(label.textContent ?? '').toUpperCase().includes(q);
      }
    });

    const controls: Record<string, HTMLElement> = {
      kind,
      title,
      story,
      firms: firmsBox,
      ledgerItems: ledger,
      evidenceIds: files,
    };
    const { show, clear } = formProblems(form, summary, m);

    onSubmit(form, save, m('staffCases.loading'), async (busy) => {
      clear();
      status.hidden = true;
      const picked = [...picker.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value);
      const ledgerItems = ledger.value
        .split(/[\s,，、]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      const request = {
        kind: kind.value,
        title: title.value.trim(),
        story: story.value.trim(),
        firms: picked,
        ledgerItems,
      };
      const { caseEdit, caseInput } = await schemas();
      const checked = editing
        ? caseEdit.safeParse({ ...request, version: editing.version })
        : caseInput.safeParse(request);
      if (!checked.success) {
        const heads = new Set(checked.error.issues.map((i) => String(i.path[0] ?? '')));
        show([...heads].map((h) => ({ control: controls[h], text: m(`staffCases.err.${h}`) })));
        return;
      }
      const evidenceIds = editing ? [...editing.evidenceIds] : [];
      for (const file of files.files ?? []) {
        const announced = await busy(() => announceEvidence(file, file.name, file.type || 'application/pdf', token));
        if (!('evidenceId' in announced) || !(await busy(() => putEvidence(file, announced)))) {
          show([{ control: files, text: m('staffCases.form.uploadFailed') }]);
          return;
        }
        evidenceIds.push(announced.evidenceId);
      }
      const json = { ...checked.data, ...(evidenceIds.length > 0 ? { evidenceIds } : {}) };
      const { status: code, body } = await busy(() =>
        editing
          ? api('cases.update', { token, params: { id: editing.caseId }, json })
          : api('cases.create', { token, json }),
      );
      if (code === 201 || code === 200) {
        stopEdit();
        say(m('staffCases.form.saved'), 'success');
        await load(true);
        return;
      }
      if (code === 400) return show(fieldProblems(body, controls));
      if (!(await afterMove(code, body, ''))) say(m('staffCases.failed'), 'error');
    });
  }

  return { startEdit };
};
