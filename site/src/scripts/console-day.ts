/**
 * Staff console, one day: `GET …/{dayId}` for the details, `PATCH` with `version` for edits (a
 * VERSION_CONFLICT shows #conflict-message with a reload button), `POST …/cancel` with a reason after a
 * confirmation, `GET …/bookings` (all pages) grouped by slot with attendance buttons
 * (`POST /api/staff/bookings/{code}/attendance`), turning an attended booking's outcome into a follow-up
 * (`POST /api/staff/ledger-items`, source `booking`, from a small form in a row under the booking), and
 * the CSV / XLSX exports fetched with the token.
 */

import { dayPatch, slotProblems } from '../../../shared/consultation.ts';
import type { StaffBooking as Booking, StaffDay as Day } from '../../../shared/consultation-views.ts';
import { names } from '../../../shared/jurisdictions.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { api, apiPath, errorCodeOf, failureText, fieldsOf } from '../kit/api.ts';
import {
  type Console,
  clearFieldErrors,
  dayProblemFor,
  hideSummary,
  isoToLocal,
  localToIso,
  onSubmit,
  type Problem,
  setFieldError,
  showSummary,
  slotIso,
  slotMessageKey,
  splitTopics,
  startConsole,
} from './console.ts';
import { downloadFile } from './download.ts';
import { dateTime, dayLabel, el, fact, timeRange } from './format.ts';

const root = document.querySelector<HTMLElement>('#console');

const run = async (root: HTMLElement, c: Console) => {
  const { lang, m, token } = c;
  const $ = <T extends HTMLElement>(selector: string): T => root.querySelector(selector) as T;
  const dayId = new URLSearchParams(location.search).get('id') ?? '';
  const problemBox = $<HTMLElement>('#day-problem');
  const body = $<HTMLElement>('#console-body');
  const heading = $<HTMLElement>('#day-heading');
  const status = $<HTMLElement>('#day-status');
  const facts = $<HTMLElement>('#day-facts');
  const slotBody = $<HTMLElement>('#day-slots tbody');
  const form = $<HTMLFormElement>('#edit-day-form');
  const summary = $<HTMLElement>('#edit-errors');
  const conflict = $<HTMLElement>('#conflict-message');
  const venue = $<HTMLInputElement>('#edit-venue');
  const onlineUrl = $<HTMLInputElement>('#edit-online-url');
  const topics = $<HTMLTextAreaElement>('#edit-topics');
  const closes = $<HTMLInputElement>('#edit-closes');
  const capacities = $<HTMLElement>('#edit-capacities');
  const addStart = $<HTMLInputElement>('#add-start');
  const addEnd = $<HTMLInputElement>('#add-end');
  const addCapacity = $<HTMLInputElement>('#add-capacity');
  const save = $<HTMLButtonElement>('#edit-day-form button[type=submit]');
  const cancelButton = $<HTMLButtonElement>('#cancel-day');
  const cancelForm = $<HTMLFormElement>('#cancel-confirm');
  const cancelReason = $<HTMLTextAreaElement>('#cancel-reason');
  const cancelProblem = $<HTMLElement>('#cancel-problem');
  const cancelYes = $<HTMLButtonElement>('#cancel-yes');
  const table = $<HTMLTableElement>('#bookings');
  const bookingsProblem = $<HTMLElement>('#bookings-problem');
  const bookingsStatus = $<HTMLElement>('#bookings-status');
  const exportStatus = $<HTMLElement>('#export-status');

  let day: Day | undefined;

  const fail = (text: string) => {
    problemBox.textContent = text;
    problemBox.hidden = false;
    problemBox.focus();
  };
  const errorText = (code: number, answer: unknown) => failureText(m, code, answer);
  const say = (text: string, kind: 'success' | 'info' = 'success') => {
    status.textContent = text;
    status.dataset.kind = kind;
    status.hidden = false;
  };

  if (!dayId) {
    fail(m('console.day.missing'));
    return;
  }

  // ---- the day ----

  const placeOf = (d: Day) => d.jurisdiction.name?.[lang] ?? names[d.jurisdiction.code]?.[lang] ?? d.jurisdiction.code;

  const renderDay = (d: Day) => {
    heading.textContent = `${dayLabel(d.date, lang)} · ${placeOf(d)}`;
    document.title = `${heading.textContent} · ${document.title.split(' · ').at(-1) ?? ''}`;
    const statusBadge = el('span', 'badge', m(`console.status.${d.status}`));
    statusBadge.dataset.status = d.status === 'open' ? 'confirmed' : 'cancelled';
    const rows = [
      fact(m('console.day.date'), dayLabel(d.date, lang)),
      fact(
        m('console.day.jurisdiction'),
        `${placeOf(d)}${lang === 'zh' ? `（${d.jurisdiction.code}）` : ` (${d.jurisdiction.code})`}`,
      ),
      fact(m('console.day.mode'), m(`days.mode.${d.mode}`)),
      fact(m('console.day.status'), statusBadge),
    ];
    if (d.venue) rows.push(fact(m('console.day.venue'), d.venue));
    if (d.onlineUrl) {
      const link = el('a', 'url', d.onlineUrl);
      link.href = d.onlineUrl;
      link.rel = 'noopener noreferrer';
      rows.push(fact(m('console.day.link'), link));
    }
    rows.push(fact(m('console.day.topics'), d.topics.join(lang === 'zh' ? '、' : ', ')));
    if (d.bookingClosesAt) rows.push(fact(m('console.day.closes'), dateTime(d.bookingClosesAt, lang, true)));
    if (d.createdBy) rows.push(fact(m('console.day.createdBy'), d.createdBy));
    rows.push(fact(m('console.day.version'), String(d.version)));
    facts.replaceChildren(...rows);

    slotBody.replaceChildren(
      ...d.slots.map((slot) => {
        const tr = el('tr');
        const th = el('th', undefined, timeRange(slot.startsAt, slot.endsAt));
        th.scope = 'row';
        tr.append(
          th,
          el('td', 'num', String(slot.capacity)),
          el('td', 'num', String(slot.confirmed ?? slot.capacity - slot.remaining)),
          el('td', 'num', String(slot.waitlisted ?? 0)),
          el('td', 'num', String(slot.remaining)),
        );
        return tr;
      }),
    );

    // The edit form starts from what the day is now.
    clearFieldErrors(form);
    hideSummary(summary);
    venue.value = d.venue ?? '';
    onlineUrl.value = d.onlineUrl ?? '';
    topics.value = d.topics.join('\n');
    closes.value = isoToLocal(d.bookingClosesAt);
    addStart.value = '';
    addEnd.value = '';
    addCapacity.value = '';
    capacities.replaceChildren(
      ...d.slots.map((slot) => {
        const row = el('div', 'cap-row field');
        const label = el('label', undefined, timeRange(slot.startsAt, slot.endsAt));
        const input = el('input');
        input.type = 'number';
        input.inputMode = 'numeric';
        input.min = '1';
        input.max = root.dataset.max ?? '500';
        input.step = '1';
        input.id = `cap-${slot.slotId}`;
        input.name = 'capacity';
        input.dataset.slotId = slot.slotId;
        input.value = String(slot.capacity);
        label.htmlFor = input.id;
        row.append(label, input);
        return row;
      }),
    );
    const cancelled = d.status === 'cancelled';
    $<HTMLElement>('#cancelled-notice').hidden = !cancelled;
    form.hidden = cancelled;
    cancelButton.hidden = cancelled;
    if (cancelled) cancelForm.hidden = true;
  };

  const loadDay = async (): Promise<boolean> => {
    const { status: code, body: answer } = await api('days.get', { params: { dayId }, token });
    const found = (answer as { day?: Day } | null)?.day;
    if (code === 401) return false;
    if (code !== 200 || !found) {
      body.hidden = true;
      fail(`${m('console.day.failed')} ${errorText(code, answer)}`);
      return false;
    }
    day = found;
    problemBox.hidden = true;
    renderDay(found);
    body.hidden = false;
    return true;
  };

  // ---- bookings ----

  const badge = (b: Booking) => {
    const span = el('span', 'badge', m(`booking.status.${b.status}`));
    span.dataset.status = b.status;
    return span;
  };

  const cell = (label: string, ...content: (string | Node)[]) => {
    const td = el('td');
    td.dataset.label = label;
    td.append(...content);
    return td;
  };

  const attendanceCell = (b: Booking): HTMLTableCellElement => {
    const td = cell(m('console.col.attendance'));
    const box = el('div', 'attendance');
    if (b.status === 'confirmed') {
      const inputId = `outcome-${b.code}`;
      const label = el('label', 'visually-hidden', m('console.outcomeFor', { company: b.companyName }));
      label.htmlFor = inputId;
      const input = el('input');
      input.id = inputId;
      input.name = 'outcome';
      input.type = 'text';
      input.maxLength = 1000;
      input.placeholder = m('console.outcome');
      const buttons = el('div', 'buttons');
      for (const [value, key] of [
        ['attended', 'console.attended'],
        ['no_show', 'console.noShow'],
      ] as const) {
        const button = el('button', value === 'attended' ? 'button-small' : 'button-secondary button-small', m(key));
        button.type = 'button';
        button.dataset.attendance = value;
        button.setAttribute('aria-label', `${m(key)} – ${b.companyName}`);
        button.addEventListener('click', () => void mark(b, value, td));
        buttons.append(button);
      }
      box.append(label, input, buttons);
    } else if (b.outcome) {
      box.append(el('p', 'outcome-text', b.outcome));
      if (b.status === 'attended') box.append(followUpButton(b));
    } else {
      box.append(el('span', 'muted', '—'));
    }
    td.append(box);
    return td;
  };

  const bookingRow = (b: Booking): HTMLTableRowElement => {
    const tr = el('tr');
    tr.dataset.code = b.code;
    tr.dataset.status = b.status;
    const company = el('strong', undefined, b.companyName);
    const contact: (string | Node)[] = [];
    if (b.personal) {
      contact.push(b.personal.contactName ?? '');
      if (b.personal.mobile) contact.push(el('span', 'sub nowrap', b.personal.mobile));
      if (b.personal.email) contact.push(el('span', 'sub', b.personal.email));
    } else {
      contact.push(el('span', 'muted', m('console.personalGone')));
    }
    const question = cell(m('console.col.question'), b.personal?.question ?? '—');
    question.className = 'question';
    tr.append(
      cell(m('console.col.company'), company, el('span', 'uscc', b.uscc)),
      cell(m('console.col.contact'), ...contact),
      cell(m('console.col.topic'), b.topic),
      question,
      cell(m('console.col.status'), badge(b)),
      attendanceCell(b),
    );
    return tr;
  };

  const order: Record<Booking['status'], number> = {
    confirmed: 0,
    attended: 0,
    no_show: 0,
    waitlisted: 1,
    cancelled: 2,
  };

  const renderBookings = (bookings: Booking[]) => {
    for (const old of table.querySelectorAll('tbody')) old.remove();
    for (const slot of day?.slots ?? []) {
      const group = el('tbody');
      const head = el('tr', 'slot-group');
      const th = el('th');
      th.colSpan = 6;
      th.scope = 'colgroup';
      th.append(
        timeRange(slot.startsAt, slot.endsAt),
        el(
          'span',
          'slot-counts',
          m('console.slotCounts', {
            confirmed: slot.confirmed ?? slot.capacity - slot.remaining,
            capacity: slot.capacity,
            waitlisted: slot.waitlisted ?? 0,
          }),
        ),
      );
      head.append(th);
      group.append(head);
      const mine = bookings
        .filter((b) => b.slotId === slot.slotId)
        .sort((a, b) => order[a.status] - order[b.status] || a.createdAt.localeCompare(b.createdAt));
      if (mine.length === 0) {
        const tr = el('tr', 'empty-row');
        const td = el('td', undefined, m('console.bookings.none'));
        td.colSpan = 6;
        tr.append(td);
        group.append(tr);
      }
      for (const b of mine) group.append(bookingRow(b));
      table.append(group);
    }
  };

  const loadBookings = async () => {
    table.setAttribute('aria-busy', 'true');
    bookingsProblem.hidden = true;
    const all: Booking[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const { status: code, body: answer } = await api('days.bookings', {
        params: { dayId },
        query: { limit: 50, cursor: cursor ?? undefined },
        token,
      });
      const found = answer as { bookings?: Booking[]; nextCursor?: string | null } | null;
      if (code !== 200 || !Array.isArray(found?.bookings)) {
        table.removeAttribute('aria-busy');
        bookingsProblem.textContent = `${m('console.bookings.failed')} ${errorText(code, answer)}`;
        bookingsProblem.hidden = false;
        return;
      }
      all.push(...found.bookings);
      cursor = found.nextCursor ?? null;
      if (!cursor) break;
    }
    table.removeAttribute('aria-busy');
    renderBookings(all);
  };

  const mark = async (b: Booking, value: 'attended' | 'no_show', td: HTMLTableCellElement) => {
    const row = td.closest('tr');
    const input = td.querySelector<HTMLInputElement>('input[name=outcome]');
    const buttons = [...td.querySelectorAll<HTMLButtonElement>('button')];
    for (const button of buttons) button.disabled = true;
    bookingsStatus.textContent = m('console.marking');
    const outcome = input?.value.trim() ?? '';
    const { status: code, body: answer } = await api('bookings.attendance', {
      params: { code: b.code },
      json: outcome ? { status: value, outcome } : { status: value },
      token,
    });
    const updated = (answer as { booking?: Booking } | null)?.booking;
    if (code === 200 && updated && row) {
      const fresh = bookingRow({ ...b, ...updated, personal: updated.personal ?? b.personal });
      row.replaceWith(fresh);
      const text = m('console.marked', { company: b.companyName, status: m(`booking.status.${updated.status}`) });
      bookingsStatus.textContent = text;
      // Focus stays in the table: on the row's status, which now says what happened.
      const statusCell = fresh.querySelector<HTMLElement>('.badge');
      if (statusCell) {
        statusCell.tabIndex = -1;
        statusCell.focus();
      }
      return;
    }
    for (const button of buttons) button.disabled = false;
    bookingsStatus.textContent = '';
    bookingsProblem.textContent = `${b.companyName}: ${errorText(code, answer)}`;
    bookingsProblem.hidden = false;
  };

  // ---- follow-ups (ledger items from a booking) ----

  interface LedgerItem {
    itemId: string;
    source: string;
    sourceRef?: string | null;
    state: string;
  }

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
    const td = el('td');
    td.colSpan = 6;
    const box = el('div', 'follow-up');
    box.id = `follow-up-${b.code}`;
    td.append(box);
    tr.append(td);
    return tr;
  };

  const field = (
    id: string,
    labelText: string,
    control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
    hint?: string,
  ) => {
    const wrap = el('div', 'field');
    const label = el('label', undefined, labelText);
    label.htmlFor = id;
    control.id = id;
    wrap.append(label);
    if (hint) {
      const p = el('p', 'hint', hint);
      p.id = `${id}-hint`;
      control.setAttribute('aria-describedby', p.id);
      wrap.append(p);
    }
    wrap.append(control);
    return wrap;
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
    detail.value = clip(
      [
        m('console.followUp.detailOutcome', { outcome: b.outcome ?? '' }),
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

    const submit = el('button', undefined, m('console.followUp.submit'));
    submit.type = 'submit';
    const cancel = el('button', 'button-secondary', m('console.followUp.cancel'));
    cancel.type = 'button';
    const actions = el('p', 'actions');
    actions.append(submit, cancel);

    const dates = el('div', 'grid-2');
    dates.append(
      field(id('due'), m('console.followUp.dueOn'), dueOn, m('console.followUp.dueOnHint')),
      field(id('severity'), m('console.followUp.severity'), severity),
    );
    const form = el('form');
    form.noValidate = true;
    form.setAttribute('aria-labelledby', heading.id);
    form.append(
      field(id('title'), m('console.followUp.title'), title),
      field(id('detail'), m('console.followUp.detail'), detail),
      dates,
      field(id('owner'), m('console.followUp.owner'), owner, m('console.followUp.ownerHint')),
      actions,
    );
    box.replaceChildren(heading, intro, roster, summary, form);

    const controls: Record<string, HTMLElement> = { title, detail, dueOn, severity, ownerDepartment: owner };
    const messages: Record<string, string> = {
      title: 'console.followUp.err.title',
      detail: 'console.followUp.err.detail',
      dueOn: 'console.followUp.err.dueOn',
      severity: 'console.followUp.err.severity',
      ownerDepartment: 'console.followUp.err.owner',
    };
    const show = (found: Map<string, Problem>) => {
      roster.hidden = true;
      const order = Object.values(controls);
      for (const control of order) setFieldError(control, found.get(control.id)?.text);
      const list = order.filter((control) => found.has(control.id)).map((control) => found.get(control.id) as Problem);
      const loose = [...found.values()].filter((p) => !p.control);
      showSummary(summary, m('console.errorsTitle'), [...list, ...loose]);
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
      clearFieldErrors(form);
      hideSummary(summary);
      roster.hidden = true;
      const { status: code, body: answer } = await busy(() => api('ledger.create', { json: input, token }));
      const item = (answer as { item?: LedgerItem } | null)?.item;
      if (code === 201 && item?.itemId) {
        bookingsStatus.textContent = m('console.followUp.created');
        followUpDone(b, button, item.itemId, m('console.followUp.created'));
        return;
      }
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
      showSummary(summary, m('console.problemTitle'), [], errorText(code, answer));
    });
    title.focus();
  };

  const openFollowUp = async (b: Booking, button: HTMLButtonElement) => {
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
    const { status: code, body: answer } = await api('ledger.list', {
      query: { uscc: b.uscc },
      token,
    });
    button.disabled = false;
    button.textContent = label;
    const items = code === 200 ? ((answer as { items?: LedgerItem[] } | null)?.items ?? []) : [];
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

  const followUpButton = (b: Booking): HTMLButtonElement => {
    const button = el('button', 'button-secondary button-small', m('console.followUp.open'));
    button.type = 'button';
    button.dataset.followUp = b.code;
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-label', `${m('console.followUp.open')} – ${b.companyName}`);
    button.addEventListener('click', () => void openFollowUp(b, button));
    return button;
  };

  // ---- exports ----

  for (const button of root.querySelectorAll<HTMLButtonElement>('#export-csv, #export-xlsx')) {
    button.addEventListener('click', async () => {
      const format = button.dataset.format === 'xlsx' ? 'xlsx' : 'csv';
      button.disabled = true;
      exportStatus.textContent = m('console.export.working');
      const file = await downloadFile(
        apiPath(format === 'csv' ? 'days.bookingsCsv' : 'days.bookingsXlsx', { dayId }),
        token,
        `bookings-${day?.date ?? dayId}.${format}`,
      );
      exportStatus.textContent = file ? m('console.export.done', { file }) : m('console.export.failed');
      button.disabled = false;
    });
  }

  // ---- editing ----

  const capacityInputs = () => [...capacities.querySelectorAll<HTMLInputElement>('input[data-slot-id]')];

  const patchOf = (d: Day): Record<string, unknown> => {
    const patch: Record<string, unknown> = { version: d.version };
    const v = venue.value.trim();
    if (v !== (d.venue ?? '')) patch.venue = v;
    const u = onlineUrl.value.trim();
    if (u !== (d.onlineUrl ?? '')) patch.onlineUrl = u;
    const t = splitTopics(topics.value);
    if (t.join('\n') !== d.topics.join('\n')) patch.topics = t;
    if (closes.value !== isoToLocal(d.bookingClosesAt)) patch.bookingClosesAt = localToIso(closes.value);
    const caps: Record<string, number> = {};
    for (const input of capacityInputs()) {
      const slot = d.slots.find((s) => s.slotId === input.dataset.slotId);
      const value = input.value === '' ? Number.NaN : Number(input.value);
      if (slot && value !== slot.capacity) caps[slot.slotId] = value;
    }
    if (Object.keys(caps).length > 0) patch.capacities = caps;
    if (addStart.value || addEnd.value || addCapacity.value) {
      patch.addSlots = [
        {
          startsAt: slotIso(d.date, addStart.value),
          endsAt: slotIso(d.date, addEnd.value),
          capacity: addCapacity.value === '' ? Number.NaN : Number(addCapacity.value),
        },
      ];
    }
    return patch;
  };

  const dayControls = { venue, onlineUrl, topics, bookingClosesAt: closes };
  const problemFor = (key: string, text?: string): Problem => {
    const [head, second, third] = key.split('.');
    switch (head) {
      case 'capacities': {
        const input = capacityInputs().find((i) => i.dataset.slotId === second) ?? capacityInputs()[0];
        const n = capacityInputs().indexOf(input as HTMLInputElement) + 1 || 1;
        return { control: input, text: m('console.err.capacity', { n }) };
      }
      case 'addSlots':
      case 'slots': {
        const field = third ?? 'startsAt';
        const control = field === 'capacity' ? addCapacity : field === 'endsAt' ? addEnd : addStart;
        const n = (day?.slots.length ?? 0) + 1;
        return { control, text: m(slotMessageKey(field, text), { n }) };
      }
      default:
        return dayProblemFor(m, dayControls, key, text);
    }
  };

  const problems = (patch: Record<string, unknown>): Map<string, Problem> => {
    const found = new Map<string, Problem>();
    const result = dayPatch.safeParse(patch);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.map(String);
        const key = path[0] === 'addSlots' || path[0] === 'capacities' ? path.slice(0, 3).join('.') : (path[0] ?? '');
        if (!found.has(key)) found.set(key, problemFor(key, issue.message));
      }
    } else if (day && result.data.addSlots?.length) {
      const all = [
        ...day.slots.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt, capacity: s.capacity })),
        ...result.data.addSlots,
      ];
      for (const [key, text] of Object.entries(slotProblems(day.date, all))) {
        const index = Number(key.split('.')[1]);
        const field = key.split('.')[2] ?? 'startsAt';
        const k = index >= day.slots.length ? `addSlots.0.${field}` : `addSlots.0.startsAt`;
        if (!found.has(k)) found.set(k, problemFor(k, text));
      }
    }
    return found;
  };

  const showProblems = (found: Map<string, Problem>) => {
    const byControl = new Map<HTMLElement, string>();
    for (const p of found.values()) if (p.control && !byControl.has(p.control)) byControl.set(p.control, p.text);
    const controls = [venue, onlineUrl, topics, closes, ...capacityInputs(), addStart, addEnd, addCapacity];
    for (const control of controls) setFieldError(control, byControl.get(control));
    const list = controls
      .filter((control) => byControl.has(control))
      .map((control) => ({ control, text: byControl.get(control) ?? '' }));
    const loose = [...found.values()].filter((p) => !p.control).map((p) => ({ text: p.text }));
    showSummary(summary, m('console.errorsTitle'), [...list, ...loose]);
  };

  onSubmit(form, save, m('console.edit.saving'), async (busy) => {
    if (!day) return;
    conflict.hidden = true;
    status.hidden = true;
    const patch = patchOf(day);
    if (Object.keys(patch).length === 1) {
      clearFieldErrors(form);
      hideSummary(summary);
      say(m('console.edit.nothing'), 'info');
      status.focus();
      return;
    }
    const found = problems(patch);
    if (found.size > 0) {
      showProblems(found);
      return;
    }
    clearFieldErrors(form);
    hideSummary(summary);
    const { status: code, body: answer } = await busy(() =>
      api('days.update', { params: { dayId }, method: 'PATCH', json: patch, token }),
    );
    const updated = (answer as { day?: Day } | null)?.day;
    const error = errorCodeOf(answer);
    if (code === 200 && updated) {
      day = updated;
      renderDay(updated);
      say(m('console.edit.saved'));
      status.focus();
      void loadBookings();
      return;
    }
    if (error === 'VERSION_CONFLICT') {
      conflict.hidden = false;
      conflict.focus();
      return;
    }
    if (error === 'CAPACITY_BELOW_BOOKED') {
      const changed = Object.keys((patch.capacities as Record<string, number> | undefined) ?? {});
      const found = new Map<string, Problem>();
      for (const slotId of changed) {
        const input = capacityInputs().find((i) => i.dataset.slotId === slotId);
        const slot = day.slots.find((s) => s.slotId === slotId);
        if (input && slot && Number(input.value) < slot.capacity) {
          found.set(slotId, { control: input, text: m('console.err.capacityBelow') });
        }
      }
      if (found.size === 0) found.set('', { text: m('console.err.capacityBelow') });
      showProblems(found);
      return;
    }
    if (code === 400 || error === 'VALIDATION_FAILED') {
      const fields = fieldsOf(answer);
      const found = new Map<string, Problem>();
      for (const [key, text] of Object.entries(fields))
        found.set(key, problemFor(key, typeof text === 'string' ? text : undefined));
      if (found.size === 0) found.set('', { text: m('error.VALIDATION_FAILED') });
      showProblems(found);
      return;
    }
    showSummary(summary, m('console.problemTitle'), [], errorText(code, answer));
  });

  $<HTMLButtonElement>('#conflict-reload').addEventListener('click', async () => {
    if (await loadDay()) {
      conflict.hidden = true;
      void loadBookings();
      say(m('console.conflict.reloaded'), 'info');
      $<HTMLElement>('#edit-heading').focus();
    }
  });

  // ---- cancelling ----

  cancelButton.addEventListener('click', () => {
    const open = cancelForm.hidden;
    cancelForm.hidden = !open;
    cancelButton.setAttribute('aria-expanded', String(open));
    if (open) cancelReason.focus();
  });
  $<HTMLButtonElement>('#cancel-no').addEventListener('click', () => {
    cancelForm.hidden = true;
    cancelButton.setAttribute('aria-expanded', 'false');
    setFieldError(cancelReason, undefined);
    cancelProblem.textContent = '';
    cancelButton.focus();
  });
  cancelForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!day) return;
    cancelProblem.textContent = '';
    const reason = cancelReason.value.trim();
    if (reason.length < 2 || reason.length > 500) {
      setFieldError(cancelReason, m('console.err.reason'));
      cancelReason.focus();
      return;
    }
    setFieldError(cancelReason, undefined);
    cancelYes.disabled = true;
    cancelYes.textContent = m('console.cancel.cancelling');
    const send = () => api('days.cancel', { params: { dayId }, json: { reason, version: day?.version ?? 0 }, token });
    let { status: code, body: answer } = await send();
    // 202: the day is being cancelled and bookings remain; the same request goes on where it stopped.
    let cancelledBookings = (answer as { cancelledBookings?: number } | null)?.cancelledBookings ?? 0;
    for (let rounds = 0; code === 202 && rounds < 30; rounds++) {
      ({ status: code, body: answer } = await send());
      cancelledBookings += (answer as { cancelledBookings?: number } | null)?.cancelledBookings ?? 0;
    }
    cancelYes.disabled = false;
    cancelYes.textContent = m('console.cancel.yes');
    const result = answer as { day?: Day; cancelledBookings?: number } | null;
    if (code === 200 && result?.day) {
      day = result.day;
      renderDay(result.day);
      say(m('console.cancel.done', { n: cancelledBookings }));
      status.focus();
      void loadBookings();
      return;
    }
    if (errorCodeOf(answer) === 'VERSION_CONFLICT') {
      cancelForm.hidden = true;
      conflict.hidden = false;
      conflict.focus();
      return;
    }
    cancelProblem.textContent = errorText(code, answer);
    cancelProblem.focus();
  });

  if (await loadDay()) await loadBookings();
};

if (root) {
  void startConsole(root).then((c) => (c ? run(root, c) : undefined));
}
