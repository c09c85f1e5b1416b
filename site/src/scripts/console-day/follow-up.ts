/**
 * The day page's follow-ups: an attended booking (its outcome, or its topic when none was typed) turned into a ledger item
 * (`POST /api/staff/ledger-items`, source `booking`) from a small form in a row under the booking.
 * One booking, one follow-up: an item already made from it is shown as a link instead of a second form.
 */
import type { StaffBooking as Booking } from '../../../../shared/consultation-views.ts';
import { shanghaiDate } from '../../../../shared/time.ts';
import { api, errorCodeOf, fieldsOf } from '../../kit/api.ts';
import { failureText, type MessageKey } from '../../kit/messages.ts';
import { formProblems, onSubmit, type Problem, type TypedConsole } from '../console.ts';
import { fieldEl } from '../form-fields.ts';
import { buttonEl, dayLabel, el } from '../format.ts';
import type { OpenFollowUp } from './follow-up-button.ts';

/**
 * Opens the follow-up of a booking under its row of the bookings table `table` (follow-up-button.ts
 * loads this on the first press); what the form makes is said in `bookingsStatus` too.
 */
export const followUps = (
  c: TypedConsole,
  root: HTMLElement,
  table: HTMLTableElement,
  bookingsStatus: HTMLElement,
  /** The day's date (YYYY-MM-DD), for a follow-up of a booking without an outcome. */
  dayDate: () => string | undefined,
) => {
  const { m, token } = c;
  const errorText = (code: number, answer: unknown) => failureText(m, code, answer);

  const SEVERITY_CHOICES = ['low', 'medium', 'high'] as const;
  const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  const itemLink = (itemId: string) => {
    const link = el('a', undefined, m('console.followUp.view'));
    link.href = `${root.dataset.ledgerItem ?? c.path('/staff/ledger/item/')}?id=${encodeURIComponent(itemId)}`;
    return link;
  };
  const followUpRowOf = (code: string) =>
    [...table.querySelectorAll<HTMLTableRowElement>('tr.follow-up-row')].find((tr) => tr.dataset.followUpFor === code);

  /** The booking now has a follow-up: the row says so with a link, the button becomes that link. */
  const followUpDone = (b: Booking, button: HTMLButtonElement, itemId: string, text: string) => {
    let row = followUpRowOf(b.code);
    if (!row) {
      row = followUpRow(b);
      button.closest('tr')?.after(row);
    }
    const done = el('p', 'follow-up-done');
    done.append(itemLink(itemId));
    button.replaceWith(done);
    const box = row.querySelector<HTMLElement>('.follow-up') as HTMLElement;
    const notice = el('p', 'notice');
    notice.dataset.kind = 'success';
    notice.setAttribute('role', 'status');
    notice.tabIndex = -1;
    notice.append(text, itemLink(itemId));
    box.replaceChildren(notice);
    row.hidden = false;
    notice.focus();
  };

  const followUpRow = (b: Booking): HTMLTableRowElement => {
    const tr = el('tr', 'follow-up-row');
    tr.dataset.followUpFor = b.code;
    tr.dataset.sortWith = 'previous'; // moves with its booking when the table is sorted
    const td = el('td');
    td.colSpan = 6;
    const box = el('div', 'follow-up');
    box.id = `follow-up-${b.code}`;
    td.append(box);
    tr.append(td);
    return tr;
  };

  /** The form, prefilled from the booking: topic → title, outcome and question → detail, 30 days, medium. */
  const followUpForm = (b: Booking, button: HTMLButtonElement, box: HTMLElement) => {
    const id = (name: string) => `fu-${name}-${b.code}`;
    const heading = el('h3', undefined, m('console.followUp.heading', { company: b.companyName }));
    heading.id = id('heading');
    heading.tabIndex = -1;
    const intro = el('p', 'hint', m('console.followUp.intro'));

    const summary = el('section', 'error-summary');
    summary.id = id('errors');
    summary.tabIndex = -1;
    summary.hidden = true;
    const summaryTitle = el('h3', undefined, m('console.errorsTitle'));
    summaryTitle.id = id('errors-title');
    summary.setAttribute('aria-labelledby', summaryTitle.id);
    const summaryText = el('p');
    summaryText.hidden = true;
    summary.append(summaryTitle, summaryText, el('ul'));

    const roster = el('div', 'alert');
    roster.id = id('roster');
    roster.setAttribute('role', 'alert');
    roster.tabIndex = -1;
    roster.hidden = true;

    const title = el('input');
    title.type = 'text';
    title.name = 'title';
    title.maxLength = 100;
    title.value = clip(m('console.followUp.titleFrom', { topic: b.topic }), 100);
    const detail = el('textarea');
    detail.name = 'detail';
    detail.rows = 5;
    detail.maxLength = 2000;
    // The outcome when one was typed; else what is known: the firm came, on which day, about what.
    const date = dayDate();
    detail.value = clip(
      [
        b.outcome
          ? m('console.followUp.detailOutcome', { outcome: b.outcome })
          : m('console.followUp.detailAttended', {
              company: b.companyName,
              date: date ? dayLabel(date, c.lang) : '',
              topic: b.topic,
            }),
        ...(b.personal?.question ? [m('console.followUp.detailQuestion', { question: b.personal.question })] : []),
      ].join('\n'),
      2000,
    );
    const dueOn = el('input');
    dueOn.type = 'date';
    dueOn.name = 'dueOn';
    dueOn.value = shanghaiDate(new Date(Date.now() + 30 * 86_400_000));
    const severity = el('select');
    severity.name = 'severity';
    for (const value of SEVERITY_CHOICES) {
      const option = el('option', undefined, m(`console.followUp.severity.${value}`));
      option.value = value;
      option.selected = value === 'medium';
      severity.append(option);
    }
    const owner = el('input');
    owner.type = 'text';
    owner.name = 'ownerDepartment';
    owner.maxLength = 60;
    owner.autocomplete = 'organization';

    const submit = buttonEl(undefined, m('console.followUp.submit'), 'submit');
    const cancel = buttonEl('button-secondary', m('console.followUp.cancel'));
    const actions = el('p', 'actions');
    actions.append(submit, cancel);

    const dates = el('div', 'grid-2');
    dates.append(
      fieldEl(id('due'), m('console.followUp.dueOn'), dueOn, m('console.followUp.dueOnHint')),
      fieldEl(id('severity'), m('console.followUp.severity'), severity),
    );
    const form = el('form');
    form.noValidate = true;
    form.setAttribute('aria-labelledby', heading.id);
    form.append(
      fieldEl(id('title'), m('console.followUp.title'), title),
      fieldEl(id('detail'), m('console.followUp.detail'), detail),
      dates,
      fieldEl(id('owner'), m('console.followUp.owner'), owner, m('console.followUp.ownerHint')),
      actions,
    );
    box.replaceChildren(heading, intro, roster, summary, form);

    const controls: Record<string, HTMLElement> = { title, detail, dueOn, severity, ownerDepartment: owner };
    const messages: Record<string, MessageKey> = {
      title: 'console.followUp.err.title',
      detail: 'console.followUp.err.detail',
      dueOn: 'console.followUp.err.dueOn',
      severity: 'console.followUp.err.severity',
      ownerDepartment: 'console.followUp.err.owner',
    };
    const problems = formProblems(form, summary, m);
    const show = (found: Map<string, Problem>) => {
      roster.hidden = true;
      problems.show(found.values());
    };
    const problemOf = (key: string, text?: string): [string, Problem] => {
      const head = key.split('.')[0] ?? '';
      const control = controls[head];
      const message = messages[head];
      if (control && message) return [control.id, { control, text: m(message) }];
      return [key, { text: text ? `${key}: ${text}` : m('error.VALIDATION_FAILED') }];
    };

    cancel.addEventListener('click', () => {
      const row = box.closest('tr');
      if (row) row.hidden = true;
      button.setAttribute('aria-expanded', 'false');
      button.focus();
    });

    onSubmit(form, submit, m('console.followUp.creating'), async (busy) => {
      // The rules of `ledgerItemInput` (shared/ledger.ts), checked here first.
      const input = {
        uscc: b.uscc,
        title: title.value.trim(),
        detail: detail.value.trim(),
        source: 'booking',
        severity: severity.value,
        dueOn: dueOn.value,
        ownerDepartment: owner.value.trim(),
        sourceRef: b.code,
      };
      const found = new Map<string, Problem>();
      const len = (text: string, min: number, max: number) => text.length >= min && text.length <= max;
      if (!len(input.title, 2, 100)) found.set(...problemOf('title'));
      if (!len(input.detail, 2, 2000)) found.set(...problemOf('detail'));
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.dueOn) || Number.isNaN(Date.parse(`${input.dueOn}T00:00:00Z`)))
        found.set(...problemOf('dueOn'));
      if (!(SEVERITY_CHOICES as readonly string[]).includes(input.severity)) found.set(...problemOf('severity'));
      if (!len(input.ownerDepartment, 1, 60)) found.set(...problemOf('ownerDepartment'));
      if (found.size > 0) {
        show(found);
        return;
      }
      problems.clear();
      roster.hidden = true;
      const result = await busy(() => api('ledger.create', { json: input, token }));
      if (result.ok) {
        bookingsStatus.textContent = m('console.followUp.created');
        followUpDone(b, button, result.body.item.itemId, m('console.followUp.created'));
        return;
      }
      const { status: code, body: answer } = result;
      const error = errorCodeOf(answer);
      if (code === 404 && error === 'NOT_FOUND') {
        // The firm is not registered: the ledger belongs to firms of the roster.
        const link = el('a', undefined, m('console.followUp.roster'));
        link.href = root.dataset.roster ?? c.path('/staff/enterprises/');
        roster.replaceChildren(m('console.followUp.notRegistered', { company: b.companyName }), link);
        roster.hidden = false;
        roster.focus();
        return;
      }
      if (code === 400 || error === 'VALIDATION_FAILED') {
        const fields = fieldsOf(answer);
        const found = new Map<string, Problem>();
        for (const [key, text] of Object.entries(fields)) {
          const [k, problem] = problemOf(key, typeof text === 'string' ? text : undefined);
          if (!found.has(k)) found.set(k, problem);
        }
        if (found.size === 0) found.set('', { text: m('error.VALIDATION_FAILED') });
        show(found);
        return;
      }
      problems.fail(errorText(code, answer));
    });
    title.focus();
  };

  const openFollowUp: OpenFollowUp = async (b, button) => {
    const open = followUpRowOf(b.code);
    if (open) {
      const showing = open.hidden;
      open.hidden = !showing;
      button.setAttribute('aria-expanded', String(showing));
      if (showing) open.querySelector<HTMLElement>('input, textarea, [tabindex="-1"]')?.focus();
      return;
    }
    // One booking, one follow-up: an item already made from it is shown instead of a second form.
    const label = button.textContent ?? '';
    button.disabled = true;
    button.textContent = m('console.followUp.checking');
    const result = await api('ledger.list', { query: { uscc: b.uscc }, token });
    button.disabled = false;
    button.textContent = label;
    const items = result.ok ? result.body.items : [];
    const made = items.find((i) => i.source === 'booking' && i.sourceRef === b.code && i.state !== 'cancelled');
    if (made) {
      followUpDone(b, button, made.itemId, m('console.followUp.exists'));
      return;
    }
    const row = followUpRow(b);
    button.closest('tr')?.after(row);
    button.setAttribute('aria-controls', `follow-up-${b.code}`);
    button.setAttribute('aria-expanded', 'true');
    followUpForm(b, button, row.querySelector<HTMLElement>('.follow-up') as HTMLElement);
  };

  return openFollowUp;
};
