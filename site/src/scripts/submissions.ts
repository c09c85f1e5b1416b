/**
 * Staff console, the annual pairing list (issue 19): a service year's deadline and each city's
 * standing in the caller's subtree (`GET /api/staff/submissions`); the city's own lead submits
 * (`POST`, after a confirmation: it freezes the list), anyone who sees the city downloads its frozen
 * versions (`GET …/export`), an admin changes the year's deadline (`PUT …/deadline`, at the version read).
 */

import type { Answers } from '../../../shared/answers.ts';
import { names } from '../../../shared/jurisdictions.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { api, apiPath, errorCodeOf } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { sortable } from '../kit/sortable.ts';
import { headRow, runConsolePage, type TypedConsole } from './console.ts';
import { downloadFile } from './download.ts';
import { dateTime, el } from './format.ts';

type Year = Answers['submissions.list'];

const run = async (c: TypedConsole) => {
  const { lang, m, token, me, $ } = c;
  const yearSelect = $<HTMLSelectElement>('#year');
  const body = $<HTMLElement>('#submissions-body');
  const status = $<HTMLElement>('#submissions-status');
  const deadlineForm = $<HTMLFormElement>('#deadline-form');
  const deadlineDate = $<HTMLInputElement>('#deadline-date');
  const thisYear = Number(shanghaiDate(new Date()).slice(0, 4));
  for (const year of [thisYear + 1, thisYear, thisYear - 1, thisYear - 2]) {
    yearSelect.add(new Option(String(year), String(year)));
  }
  yearSelect.value = String(thisYear);
  let shown: Year | undefined;

  const say = (kind: 'success' | 'error', text: string) => {
    status.dataset.kind = kind;
    status.textContent = text;
    status.hidden = false;
    status.focus();
  };

  const button = (label: string, secondary: boolean, act: (self: HTMLButtonElement) => Promise<void>) => {
    const b = el('button', secondary ? 'button-secondary' : undefined, label);
    b.type = 'button';
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await act(b);
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };

  const submit = async (year: Year, city: string) => {
    if (!window.confirm(m('submissions.confirm', { year: year.serviceYear }))) return;
    const answer = await api('submissions.create', { token, json: { serviceYear: year.serviceYear, city } });
    const { status: code } = answer;
    if (answer.ok) {
      const { submission } = answer.body;
      await show();
      return say('success', m('submissions.submitted', { version: submission.version, rows: submission.rows }));
    }
    if (code === 409) {
      await show();
      return say('error', m('submissions.conflict'));
    }
    say('error', failureText(m, code, answer.body));
  };

  const download = (year: Year, city: string, format: 'xlsx' | 'csv') => async () => {
    const path = apiPath('submissions.export', { serviceYear: String(year.serviceYear), city }, { format });
    const file = await downloadFile(path, token, `submission-${city}-${year.serviceYear}.${format}`);
    if (!file) say('error', m('submissions.failed'));
  };

  const show = async () => {
    body.replaceChildren(el('p', 'muted', m('monthly.loading')));
    const answer = await api('submissions.list', { token, query: { serviceYear: yearSelect.value } });
    if (!answer.ok) {
      body.replaceChildren(el('p', 'alert', m('submissions.failed')));
      return;
    }
    const year = answer.body;
    shown = year;
    $('#deadline').textContent = m('submissions.deadline', { date: year.deadline });
    deadlineDate.value = year.deadline;
    if (year.cities.length === 0) {
      body.replaceChildren(el('p', 'muted', m('submissions.none')));
      return;
    }
    const table = el('table', 'data-table');
    const columns = ['city', 'status', 'version', 'rows', 'last', 'actions'] as const;
    table.createTHead().append(
      headRow(
        columns.map((key) => m(`submissions.col.${key}`)),
        true,
      ),
    );
    const rows = table.createTBody();
    for (const city of year.cities) {
      const tr = el('tr');
      tr.dataset.city = city.city;
      const name = el('th', undefined, names[city.city]?.[lang] ?? city.city);
      name.setAttribute('scope', 'row');
      const actions = el('div', 'submission-actions');
      if (me.role === 'admin' || me.jurisdiction.code === city.city) {
        actions.append(
          button(m(city.version > 0 ? 'submissions.submitAgain' : 'submissions.submit'), city.version > 0, () =>
            submit(year, city.city),
          ),
        );
      }
      if (city.version > 0) {
        actions.append(
          button(m('submissions.download'), true, download(year, city.city, 'xlsx')),
          button(m('submissions.downloadCsv'), true, download(year, city.city, 'csv')),
        );
      }
      const cells: (string | Node)[] = [
        el('span', `status-${city.status}`, m(`submissions.status.${city.status}`)),
        city.version > 0 ? String(city.version) : '—',
        String(city.rows),
        city.lastSubmittedAt
          ? `${dateTime(city.lastSubmittedAt, lang, true)} · ${city.lastSubmittedByName ?? ''}`
          : '—',
        actions,
      ];
      tr.append(name);
      for (const cell of cells) {
        const td = el('td');
        td.append(cell);
        tr.append(td);
      }
      rows.append(tr);
    }
    // On a phone the table scrolls sideways inside its own region, not the page.
    sortable(table, m);
    const wrap = el('div', 'table-wrap table-scroll');
    wrap.tabIndex = 0;
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-label', m('submissions.heading'));
    wrap.append(table);
    body.replaceChildren(wrap);
  };

  $<HTMLFormElement>('#year-form').addEventListener('submit', (event) => {
    event.preventDefault();
    status.hidden = true;
    void show();
  });

  if (me.role === 'admin') {
    deadlineForm.hidden = false;
    deadlineForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!shown || !deadlineDate.value) return;
      const { status: code, body: answer } = await api('submissions.deadline', {
        token,
        method: 'PUT',
        params: { serviceYear: String(shown.serviceYear) },
        json: { deadline: deadlineDate.value, version: shown.deadlineVersion },
      });
      if (code === 200) {
        await show();
        return say('success', m('submissions.deadlineSaved', { date: deadlineDate.value }));
      }
      if (code === 409 && errorCodeOf(answer) === 'VERSION_CONFLICT') {
        await show();
        return say('error', m('submissions.conflict'));
      }
      say('error', failureText(m, code, answer));
    });
  }

  await show();
};

runConsolePage(run);
