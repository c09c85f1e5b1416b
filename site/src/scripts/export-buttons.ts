/**
 * The CSV and XLSX buttons of ExportButtons.astro (`#export-csv`, `#export-xlsx`, `#export-status`):
 * a click downloads the file the page names for that format with the session's token, the button
 * held until it is saved, and the status line says how it went (the `console.export.*` words).
 */
import type { TypedConsole } from './console.ts';
import { downloadFile } from './download.ts';

export type SheetFormat = 'csv' | 'xlsx';

export const exportButtons = (
  c: Pick<TypedConsole, 'm' | 'token'>,
  root: HTMLElement,
  /** The API path of the file in that format (with the page's filters), and a name if the answer gives none. */
  fileOf: (format: SheetFormat) => { path: string; fallback: string },
): void => {
  const status = root.querySelector<HTMLElement>('#export-status');
  for (const button of root.querySelectorAll<HTMLButtonElement>('#export-csv, #export-xlsx')) {
    button.addEventListener('click', async () => {
      const { path, fallback } = fileOf(button.dataset.format === 'xlsx' ? 'xlsx' : 'csv');
      button.disabled = true;
      if (status) status.textContent = c.m('console.export.working');
      const file = await downloadFile(path, c.token, fallback);
      if (status) status.textContent = file ? c.m('console.export.done', { file }) : c.m('console.export.failed');
      button.disabled = false;
    });
  }
};
