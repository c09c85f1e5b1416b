/**
 * The roster's bulk pairing (issue 20), for leads and admins: a checkbox per firm of the list, "select
 * every unpaired firm on this page", a liaison picker showing each liaison's workload
 * (`GET /api/staff/pairings/workload`), then `POST /api/staff/pairings/bulk` and one result per firm.
 * The selection outlives the list's pages (and an import's "pair these firms" fills it). One press
 * is one request id: sent again after a lost answer it is the same request, and pairs nothing twice.
 */
import type { BulkPairingResult } from '../../../shared/pairing-views.ts';
import { api } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import type { TypedConsole } from './console.ts';
import { el } from './format.ts';
import { countyLabel } from './roster-form/view.ts';

interface Firm {
  readonly uscc: string;
  readonly name: string;
}

export const setupBulk = (c: TypedConsole, reload: () => void) => {
  const { lang, m, token, $ } = c;
  const panel = $<HTMLElement>('#bulk');
  const selectedText = $<HTMLElement>('#bulk-selected');
  const liaison = $<HTMLSelectElement>('#bulk-liaison');
  const problem = $<HTMLElement>('#bulk-problem');
  const submit = $<HTMLButtonElement>('#bulk-submit');
  const results = $<HTMLElement>('#bulk-results');
  const summary = $<HTMLElement>('#bulk-summary');
  const rows = $<HTMLElement>('#bulk-rows tbody');
  const tbody = $<HTMLElement>('#roster-table tbody');

  const selected = new Map<string, string>();
  /** The id of the request not yet answered: a retry of the same selection sends it again. */
  let pending: { id: string; content: string } | null = null;

  const showCount = () => {
    selectedText.textContent = m('roster.bulk.selected', { n: selected.size });
  };
  const say = (text: string) => {
    problem.textContent = text;
    problem.hidden = false;
    problem.focus();
  };

  /** The checkbox of one row of the list: only an unpaired firm can be ticked. */
  const checkbox = (firm: Firm & { paired: boolean }): HTMLElement => {
    const td = el('td', 'pick-col');
    td.dataset.label = m('roster.col.paired');
    const box = el('input');
    box.type = 'checkbox';
    box.className = 'pick';
    box.value = firm.uscc;
    box.disabled = firm.paired;
    box.checked = selected.has(firm.uscc);
    box.setAttribute('aria-label', m('roster.pick.label', { name: firm.name }));
    box.addEventListener('change', () => {
      if (box.checked) selected.set(firm.uscc, firm.name);
      else selected.delete(firm.uscc);
      showCount();
    });
    td.append(box);
    return td;
  };

  const pairedCell = (paired: boolean) => {
    const td = el('td', 'nowrap');
    td.dataset.label = m('roster.col.paired');
    const badge = el('span', 'badge', m(paired ? 'roster.paired.yes' : 'roster.paired.no'));
    badge.dataset.paired = String(paired);
    td.append(badge);
    return td;
  };

  const boxes = () => [...tbody.querySelectorAll<HTMLInputElement>('input.pick')];

  $<HTMLButtonElement>('#bulk-select-unpaired').addEventListener('click', () => {
    for (const box of boxes()) {
      if (box.disabled) continue;
      box.checked = true;
      const name = box.closest('tr')?.querySelector('th')?.textContent ?? box.value;
      selected.set(box.value, name);
    }
    showCount();
  });
  $<HTMLButtonElement>('#bulk-clear').addEventListener('click', () => {
    selected.clear();
    for (const box of boxes()) box.checked = false;
    showCount();
  });

  /** Each liaison in scope with its workload, in the picker. */
  const loadLiaisons = async () => {
    const result = await api('pairings.workload', { token });
    if (!result.ok) {
      if (result.status !== 401) say(`${m('roster.bulk.loadFailed')} ${failureText(m, result.status, result.body)}`);
      return;
    }
    const list = result.body.liaisons;
    const keep = liaison.value;
    liaison.replaceChildren(liaison.options[0] as HTMLOptionElement);
    for (const l of list) {
      const label = m('roster.bulk.load', {
        name: l.displayName,
        county: countyLabel(l.jurisdiction, lang),
        active: l.active,
        toContact: l.toContact,
      });
      liaison.append(new Option(label, l.username));
    }
    liaison.value = [...liaison.options].some((o) => o.value === keep) ? keep : '';
  };

  const showResults = (answer: BulkPairingResult[], names: Map<string, string>) => {
    const created = answer.filter((r) => r.outcome === 'created').length;
    summary.textContent = m('roster.bulk.summary', { created, refused: answer.length - created });
    const fragment = document.createDocumentFragment();
    for (const r of answer) {
      const tr = el('tr');
      tr.dataset.outcome = r.outcome;
      tr.dataset.uscc = r.uscc;
      const th = el('th', undefined, names.get(r.uscc) ?? r.uscc);
      th.scope = 'row';
      const text = r.outcome === 'created' ? m('roster.bulk.created') : m(`roster.bulk.refused.${r.code}` as never);
      const result = el('td', undefined, text);
      result.dataset.label = m('roster.bulk.col.result');
      const code = el('td', 'mono', r.uscc);
      code.dataset.label = m('roster.bulk.col.uscc');
      tr.append(th, code, result);
      fragment.append(tr);
    }
    rows.replaceChildren(fragment);
    results.hidden = false;
    $<HTMLElement>('#bulk-results-heading').focus();
  };

  submit.addEventListener('click', async () => {
    problem.hidden = true;
    if (selected.size === 0) return say(m('roster.bulk.err.none'));
    if (!liaison.value) {
      say(m('roster.bulk.err.liaison'));
      liaison.focus();
      return;
    }
    const firms = [...selected.keys()];
    const content = JSON.stringify([liaison.value, firms]);
    if (pending?.content !== content) pending = { id: crypto.randomUUID(), content };
    const label = submit.textContent ?? '';
    submit.disabled = true;
    submit.textContent = m('roster.bulk.saving');
    const result = await api('pairings.bulk', {
      json: { requestId: pending.id, liaison: liaison.value, firms },
      token,
    });
    const { status, body } = result;
    submit.disabled = false;
    submit.textContent = label;
    if (result.ok) {
      const answer = result.body.results;
      pending = null;
      const names = new Map(selected);
      selected.clear();
      showCount();
      showResults(answer, names);
      reload();
      void loadLiaisons();
      return;
    }
    if (status !== 401) say(failureText(m, status, body));
  });

  /** Fills the selection with these firms (an import's) and brings the panel into view. */
  const select = (firms: readonly Firm[]) => {
    for (const firm of firms) selected.set(firm.uscc, firm.name);
    for (const box of boxes()) box.checked = selected.has(box.value);
    showCount();
    panel.scrollIntoView({ block: 'start' });
    $<HTMLElement>('#bulk-heading').focus();
  };

  showCount();
  void loadLiaisons();
  return { checkbox, pairedCell, select };
};
