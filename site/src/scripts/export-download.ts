/**
 * Fetching and saving one export (export-box.ts), loaded on the first click so a console page's
 * first script does not carry it.
 */
import { errorCodeOf } from '../kit/fetch.ts';
import { fetchWithSession, saveAnswer } from './download.ts';

export const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');

/** Fetches and saves one export; answers the file name, or the message to show. */
export const download = async (path: string, token: string, m: Record<string, string>) => {
  try {
    const response = await fetchWithSession(path, token);
    if (!response.ok) {
      const code = errorCodeOf(await response.json().catch(() => null));
      return {
        problem:
          code === 'EXPORT_TOO_LARGE'
            ? m['exports.tooLarge']
            : code === 'VALIDATION_FAILED'
              ? m['exports.badRange']
              : m['exports.failed'],
      };
    }
    return { file: await saveAnswer(response, 'export') };
  } catch {
    return { problem: m['exports.failed'] };
  }
};
