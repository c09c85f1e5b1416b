/**
 * The spreadsheet downloads of a console page (components/ExportBox.astro): shown to leads and
 * admins, each button fetches the export with the session's token and saves it under the server's
 * file name. A refusal says why (dates out of range, too many rows for one file), never just "failed".
 */

import { apiPath, messagesOf } from '../kit/api.ts';
import type { StaffRouteId } from '../kit/paths.ts';

type ExportRoute = Extract<StaffRouteId, 'ledger.export' | 'compliance.export' | 'audit.export'>;

/**
 * Wires the page's export box: `query` gives the page's current unit (and month) at click time;
 * the box's own dates, when it has them, are added.
 */
export const wireExports = (
  root: HTMLElement,
  c: { token: string; me: { role: string } },
  route: ExportRoute,
  query: () => URLSearchParams,
) => {
  const box = root.querySelector<HTMLElement>('[data-export]');
  if (!box) return;
  box.hidden = !['lead', 'admin'].includes(c.me.role);
  if (box.hidden) return;
  const m = messagesOf(box);
  const status = box.querySelector<HTMLElement>('[data-export-status]') as HTMLElement;
  for (const button of box.querySelectorAll<HTMLButtonElement>('button[data-format]')) {
    button.addEventListener('click', async () => {
      const q = query();
      q.set('format', button.dataset.format ?? 'xlsx');
      for (const input of box.querySelectorAll<HTMLInputElement>('input[type=date]')) {
        if (input.value) q.set(input.name, input.value);
      }
      button.disabled = true;
      status.textContent = m['exports.working'] ?? '';
      const { download, fill } = await import('./export-download.ts');
      const result = await download(apiPath(route, undefined, q), c.token, m);
      status.textContent =
        result.file !== undefined ? fill(m['exports.done'] ?? '', { file: result.file }) : (result.problem ?? '');
      button.disabled = false;
    });
  }
};
