/** The day's bookings as CSV or XLSX, downloaded with the session's token (`days.bookingsCsv` / `…Xlsx`). */
import type { StaffDay as Day } from '../../../../shared/consultation-views.ts';
import { apiPath } from '../../kit/api.ts';
import type { TypedConsole } from '../console.ts';
import { downloadFile } from '../download.ts';

export const dayExports = (c: TypedConsole, root: HTMLElement, dayId: string, day: () => Day | undefined) => {
  const { m, token } = c;
  const exportStatus = root.querySelector('#export-status') as HTMLElement;
  for (const button of root.querySelectorAll<HTMLButtonElement>('#export-csv, #export-xlsx')) {
    button.addEventListener('click', async () => {
      const format = button.dataset.format === 'xlsx' ? 'xlsx' : 'csv';
      button.disabled = true;
      exportStatus.textContent = m('console.export.working');
      const file = await downloadFile(
        apiPath(format === 'csv' ? 'days.bookingsCsv' : 'days.bookingsXlsx', { dayId }),
        token,
        `bookings-${day()?.date ?? dayId}.${format}`,
      );
      exportStatus.textContent = file ? m('console.export.done', { file }) : m('console.export.failed');
      button.disabled = false;
    });
  }
};
