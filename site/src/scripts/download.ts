import { freshToken } from '../kit/renew.ts';

/**
 * Downloads a file the API serves only with a bearer token (exports, templates): fetched as a blob,
 * saved under the server's `content-disposition` name (or `fallback`). Answers the file name, or
 * undefined when the download failed.
 */
export const downloadFile = async (path: string, token: string, fallback: string): Promise<string | undefined> => {
  try {
    // The session's current token (renewed when about to expire), not the one the page started with.
    const bearer = (await freshToken()) ?? token;
    const response = await fetch(path, { headers: { authorization: `Bearer ${bearer}` }, cache: 'no-store' });
    if (!response.ok) return undefined;
    const blob = await response.blob();
    const disposition = response.headers.get('content-disposition') ?? '';
    const file = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallback;
    const href = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = href;
    link.download = file;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
    return file;
  } catch {
    return undefined;
  }
};
