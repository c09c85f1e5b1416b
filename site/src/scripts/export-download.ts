/**
 * Fetching and saving one export (export-box.ts), loaded on the first click so a console page's
 * first script does not carry it.
 */
import { freshToken } from '../kit/renew.ts';

export const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');

/** Fetches and saves one export; answers the file name, or the message to show. */
export const download = async (path: string, token: string, m: Record<string, string>) => {
  try {
    const bearer = (await freshToken()) ?? token;
    const response = await fetch(path, { headers: { authorization: `Bearer ${bearer}` }, cache: 'no-store' });
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
      const code = body?.error?.code;
      return {
        problem:
          code === 'EXPORT_TOO_LARGE'
            ? m['exports.tooLarge']
            : code === 'VALIDATION_FAILED'
              ? m['exports.badRange']
              : m['exports.failed'],
      };
    }
    const blob = await response.blob();
    const file = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'export';
    const href = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = href;
    link.download = file;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
    return { file };
  } catch {
    return { problem: m['exports.failed'] };
  }
};
