/** The day's bookings as CSV or XLSX, downloaded with the session's token (`days.bookingsCsv` / `…Xlsx`). */
import type { StaffDay as Day } from '../../../../shared/consultation-views.ts';
import { apiPath } from '../../kit/api.ts';
import type { TypedConsole } from '../console.ts';
import { exportButtons } from '../export-buttons.ts';

export const dayExports = (c: TypedConsole, root: HTMLElement, dayId: string, day: () => Day | undefined) =>
  exportButtons(c, root, (format) => ({
    path: apiPath(format === 'csv' ? 'days.bookingsCsv' : 'days.bookingsXlsx', { dayId }),
    fallback: `bookings-${day()?.date ?? dayId}.${format}`,
  }));
