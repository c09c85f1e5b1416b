/**
 * The roster import: a CSV or XLSX file sent as the request body of
 * `POST /api/staff/enterprises/import?mode=all-or-nothing|valid-rows` with XMLHttpRequest, so the upload
 * shows a percentage, then an indeterminate "processing" bar until the answer. The answer's report (200,
 * or 422 IMPORT_REJECTED with `committed: false`) becomes the counts and a table of rows: row number,
 * credit code, result and the fields at fault. The templates download with the token.
 */

import type { AnswerOf } from '../../../shared/answers.ts';
import type { ErrorEnvelope } from '../../../shared/api-errors.ts';
import {
  type ContactField,
  columnRule,
  contactColumn,
  IMPORT_COLUMNS,
  IMPORT_RESULTS,
  type ImportReport,
  type ImportRowReport,
  MAX_IMPORT_BYTES,
} from '../../../shared/enterprise-import.ts';
import { apiPath, errorCodeOf } from '../kit/api.ts';
import { keyFor } from '../kit/messages.ts';
import { freshToken } from '../kit/renew.ts';
import { sessionExpired } from '../kit/session.ts';
import type { TypedConsole } from './console.ts';
import { downloadFile } from './download.ts';
import { el, emptyRow } from './format.ts';

// CSV goes as bytes: API Gateway hands text/* bodies over as UTF-8 text, which garbles a GBK file.
const TYPES: Record<string, string> = {
  csv: 'application/octet-stream',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The counts of an import's report, in the order they are shown. */
const COUNTS = ['total', 'imported', 'updated', 'unchanged', 'failed', 'skipped'] as const;

interface Answer {
  status: number;
  body: unknown;
}

/** Sends the file with upload progress; never throws (a network failure answers status 0). */
const upload = (
  path: string,
  file: File,
  type: string,
  token: string,
  onProgress: (pct: number) => void,
  onUploaded: () => void,
): Promise<Answer> =>
  new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', type);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.timeout = 300_000;
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.round((event.loaded / event.total) * 100));
    });
    xhr.upload.addEventListener('load', onUploaded);
    xhr.addEventListener('load', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    });
    for (const failure of ['error', 'timeout', 'abort'] as const) {
      xhr.addEventListener(failure, () => resolve({ status: 0, body: null }));
    }
    xhr.send(file);
  });

/**
 * `pairThese` (leads and admins): the report of a committed import offers "pair these firms", which
 * hands the firms its rows name (imported, updated or unchanged) to the roster's bulk pairing.
 */
export const setupImport = (
  host: HTMLElement,
  c: TypedConsole,
  onImported: () => void,
  pairThese?: (firms: { uscc: string; name: string }[]) => void,
) => {
  const { m, token } = c;
  // The section's own elements only (RosterImport.astro).
  const $ = <T extends HTMLElement>(selector: string): T => host.querySelector(selector) as T;
  const form = $<HTMLFormElement>('#import-form');
  const fileInput = $<HTMLInputElement>('#import-file');
  const submit = $<HTMLButtonElement>('#import-submit');
  const problem = $<HTMLElement>('#import-problem');
  const progressBox = $<HTMLElement>('#import-progress-box');
  const progress = $<HTMLProgressElement>('#import-progress');
  const progressText = $<HTMLElement>('#import-progress-text');
  const report = $<HTMLElement>('#import-report');
  const outcome = $<HTMLElement>('#import-outcome');
  const counts = $<HTMLElement>('#import-counts');
  const onlyFaults = $<HTMLInputElement>('#import-only-faults');
  const onlyFaultsBox = $<HTMLElement>('#import-only-faults-box');
  const rowsBody = $<HTMLElement>('#import-rows tbody');
  const rejectedBox = $<HTMLElement>('#import-rejected-box');
  const rejectedButton = $<HTMLButtonElement>('#import-rejected');
  let current: ImportReport | undefined;
  // The report scrolls inside its box on a desk (a 5,000-row import): focusable, so a keyboard scrolls it too.
  $<HTMLElement>('#import-rows-wrap').tabIndex = 0;
  const pairBox = $<HTMLElement>('#import-pair-box');
  const pairButton = $<HTMLButtonElement>('#import-pair');
  let toPair: { uscc: string; name: string }[] = [];
  pairButton.addEventListener('click', () => pairThese?.(toPair));

  // ---- templates ----

  const templateStatus = $<HTMLElement>('#template-status');
  for (const button of host.querySelectorAll<HTMLButtonElement>('#template-csv, #template-xlsx')) {
    button.addEventListener('click', async () => {
      const format = button.dataset.format ?? 'csv';
      button.disabled = true;
      templateStatus.textContent = m('console.export.working');
      const file = await downloadFile(
        apiPath('enterprises.importTemplate', undefined, { format }),
        token,
        `enterprise-template.${format}`,
      );
      templateStatus.textContent = file ? m('console.export.done', { file }) : m('console.export.failed');
      button.disabled = false;
    });
  }

  // ---- the report ----

  /** A column key of the report → the column's heading as the bureau's list names it. */
  const fieldLabel = (field: string) => {
    const column = IMPORT_COLUMNS.find((col) => col.key === field);
    if (column) return column[c.lang];
    // A later contact's column (contact2Mobile): the export's numbered heading.
    const later = /^contact(\d+)(Name|Role|Mobile|Email)$/.exec(field);
    const kind = later?.[2]?.toLowerCase() as ContactField | undefined;
    return later && kind ? contactColumn(Number(later[1]), kind)[c.lang] : field;
  };

  /**
   * The server's English text about one cell → the page's language: the checks it names by their
   * words (a duplicate, the jurisdiction), anything else by the column's rule.
   */
  const cellProblem = (field: string, text: string): string => {
    const duplicate = /Same USCC as row (\d+)/i.exec(text);
    if (duplicate) return m('roster.import.row.duplicate', { row: duplicate[1] ?? '' });
    if (/cannot be imported by you/i.test(text)) return m('roster.import.row.registeredOutside');
    if (/outside your jurisdiction/i.test(text)) return m('roster.import.row.outside');
    if (/changed by someone else/i.test(text)) return m('roster.import.row.changed');
    const rule = columnRule(field);
    return IMPORT_COLUMNS.some((col) => col.key === rule) ? m(keyFor('roster.import.rule.', rule)) : text;
  };

  /** The server's English text about the whole file → the page's language. */
  const fileProblem = (text: string): string => {
    if (/file is empty/i.test(text)) return m('roster.import.err.empty');
    const missing = /Missing columns: (.*)$/i.exec(text);
    if (missing) return m('roster.import.err.columns', { columns: missing[1] ?? '' });
    if (/no rows under its header/i.test(text)) return m('roster.import.err.noRows');
    const many = /At most (\d+) rows per import; this file has (\d+)/i.exec(text);
    if (many) return m('roster.import.err.tooManyRows', { max: many[1] ?? '', n: many[2] ?? '' });
    if (/Not a readable XLSX/i.test(text)) return m('roster.import.err.unreadable');
    return text;
  };

  const renderRows = () => {
    if (!current) return;
    const rows = onlyFaults.checked ? current.rows.filter((row) => row.result === 'failed') : current.rows;
    const fragment = document.createDocumentFragment();
    for (const row of rows) {
      const tr = el('tr');
      tr.dataset.row = String(row.row);
      tr.dataset.result = row.result;
      const th = el('th', 'num', String(row.row));
      th.scope = 'row';
      th.dataset.label = m('roster.import.col.row');
      const uscc = el('td', 'mono', row.uscc ?? '—');
      uscc.dataset.label = m('roster.import.col.uscc');
      const result = el('td');
      result.dataset.label = m('roster.import.col.result');
      const known = (IMPORT_RESULTS as readonly string[]).includes(row.result);
      const badge = el('span', 'badge', known ? m(`roster.import.result.${row.result}`) : row.result);
      badge.dataset.status = row.result;
      result.append(badge);
      const problems = el('td', 'row-problems');
      problems.dataset.label = m('roster.import.col.problems');
      const entries = Object.entries(row.fields ?? {});
      if (entries.length > 0) {
        const list = el('ul');
        for (const [field, text] of entries) {
          const item = el('li');
          item.dataset.field = field;
          item.dataset.detail = text;
          item.append(
            el('strong', undefined, fieldLabel(field)),
            `${c.lang === 'zh' ? '：' : ': '}${cellProblem(field, text)}`,
          );
          list.append(item);
        }
        problems.append(list);
      } else {
        problems.classList.add('empty-cell');
      }
      tr.append(th, uscc, result, problems);
      fragment.append(tr);
    }
    if (rows.length === 0) fragment.append(emptyRow(m('roster.import.noRows'), 4));
    rowsBody.replaceChildren(fragment);
  };
  onlyFaults.addEventListener('change', renderRows);

  // The failed rows as the file had them, with the server's error column: a CSV to fix and upload again
  // (UTF-8 with BOM so Excel reads the Chinese; a leading = + - @ is guarded as the exports guard it).
  rejectedButton.addEventListener('click', () => {
    const rejected = current?.rejected;
    if (!rejected) return;
    const cell = (text: string) => {
      const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
      return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    };
    const text = [rejected.header, ...rejected.rows].map((row) => row.map(cell).join(',')).join('\r\n');
    const href = URL.createObjectURL(new Blob([`\uFEFF${text}\r\n`], { type: 'text/csv;charset=utf-8' }));
    const link = el('a');
    link.href = href;
    link.download = 'enterprise-import-rejected.csv';
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
  });

  const showReport = (data: ImportReport) => {
    current = data;
    const tally = (result: ImportRowReport['result']) => data.rows.filter((row) => row.result === result).length;
    const failed = data.failed ?? tally('failed');
    const skipped = tally('skipped');
    outcome.textContent = data.committed
      ? m('roster.import.done', { imported: data.imported, updated: data.updated, failed })
      : m('roster.import.rejected', { failed });
    outcome.className = data.committed ? (failed > 0 ? 'notice warn' : 'notice') : 'alert';
    report.dataset.committed = String(data.committed);
    counts.replaceChildren();
    const stats: [(typeof COUNTS)[number], number][] = [
      ['total', data.total],
      ['imported', data.imported],
      ['updated', data.updated],
      ['unchanged', data.unchanged ?? tally('unchanged')],
      ['failed', failed],
      ['skipped', skipped],
    ];
    for (const [key, value] of stats) {
      // Counts that are zero and say nothing here are left out (a committed import skips no row).
      if (value === 0 && key !== 'total' && key !== 'imported' && key !== 'failed') continue;
      const box = el('div');
      box.dataset.count = key;
      box.append(el('dt', undefined, m(`roster.import.count.${key}`)), el('dd', undefined, String(value)));
      counts.append(box);
    }
    onlyFaultsBox.hidden = failed === 0;
    rejectedBox.hidden = !data.rejected || data.rejected.rows.length === 0;
    onlyFaults.checked = failed > 0 && data.rows.length > 20;
    toPair = data.committed
      ? data.rows.flatMap((row) =>
          row.uscc && row.result !== 'failed' && row.result !== 'skipped'
            ? [{ uscc: row.uscc, name: row.name ?? row.uscc }]
            : [],
        )
      : [];
    pairButton.textContent = m('roster.import.pair', { n: toPair.length });
    pairBox.hidden = !pairThese || toPair.length === 0;
    renderRows();
    report.hidden = false;
    outcome.focus();
  };

  // ---- sending ----

  const fail = (text: string) => {
    problem.textContent = text;
    problem.hidden = false;
    problem.focus();
  };
  const busy = (on: boolean) => {
    submit.disabled = on;
    fileInput.disabled = on;
    for (const radio of form.querySelectorAll<HTMLInputElement>('[name=mode]')) radio.disabled = on;
    form.setAttribute('aria-busy', String(on));
  };

  let lastSaid = -1;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    problem.hidden = true;
    const file = fileInput.files?.[0];
    const extension = file?.name.split('.').pop()?.toLowerCase() ?? '';
    const type = TYPES[extension];
    const wrong = !file
      ? 'roster.import.err.file'
      : !type
        ? 'roster.import.err.type'
        : file.size === 0
          ? 'roster.import.err.empty'
          : file.size > MAX_IMPORT_BYTES
            ? 'roster.import.err.size'
            : '';
    if (wrong || !file || !type) {
      fileInput.setAttribute('aria-invalid', 'true');
      fail(m(wrong || 'roster.import.err.file', { mb: Math.floor(MAX_IMPORT_BYTES / 1024 / 1024) }));
      fileInput.focus();
      return;
    }
    fileInput.removeAttribute('aria-invalid');
    const mode = form.querySelector<HTMLInputElement>('[name=mode]:checked')?.value ?? 'all-or-nothing';
    report.hidden = true;
    busy(true);
    progressBox.hidden = false;
    progress.value = 0;
    progress.setAttribute('value', '0');
    lastSaid = -1;
    progressText.textContent = m('roster.import.uploading', { pct: 0 });
    const answer = await upload(
      apiPath('enterprises.import', undefined, { mode }),
      file,
      type,
      // The session's current token (renewed when about to expire), not the one the page started with.
      (await freshToken()) ?? token,
      (pct) => {
        progress.value = pct;
        // The live text moves in steps of ten, so a screen reader is not flooded.
        const step = Math.floor(pct / 10) * 10;
        if (step !== lastSaid) {
          lastSaid = step;
          progressText.textContent = m('roster.import.uploading', { pct: step });
        }
      },
      () => {
        // Uploaded: the server is reading the rows now; an indeterminate bar until it answers.
        progress.removeAttribute('value');
        progressText.textContent = m('roster.import.processing');
      },
    );
    busy(false);
    progressBox.hidden = true;
    // Sent by XHR for its progress, so not through the kit's typed client: the answer is read as the
    // contract says (`enterprises.import`), its refusal as the error envelope carries the report.
    if (answer.status === 200) {
      const { report } = answer.body as AnswerOf<'enterprises.import'>;
      fileInput.value = '';
      showReport(report);
      onImported();
      return;
    }
    const code = errorCodeOf(answer.body);
    const error = (answer.body as Partial<ErrorEnvelope> | null)?.error;
    const refused = error?.report as ImportReport | undefined;
    if (code === 'IMPORT_REJECTED' && refused) {
      showReport({ ...refused, committed: false });
      return;
    }
    if (answer.status === 401) {
      sessionExpired(c.lang);
      return;
    }
    if (answer.status === 413) {
      fail(
        `${m('roster.import.failed')} ${m('roster.import.err.size', { mb: Math.floor(MAX_IMPORT_BYTES / 1024 / 1024) })}`,
      );
      return;
    }
    const fields = Object.entries(error?.fields ?? {}).map(([key, text]) =>
      key === 'file' ? fileProblem(String(text)) : `${key}: ${String(text)}`,
    );
    if (fields.length > 0) {
      fail([m('roster.import.failed'), ...fields].join(' '));
      return;
    }
    const text =
      answer.status === 0
        ? m('error.NETWORK')
        : code === 'IMPORT_REJECTED'
          ? m('roster.error.IMPORT_REJECTED')
          : m(`error.${code ?? 'INTERNAL'}`);
    fail(`${m('roster.import.failed')} ${text}`);
  });
};
