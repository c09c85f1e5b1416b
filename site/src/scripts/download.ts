import { freshToken } from '../kit/renew.ts';

/** Fetches a file the API serves only with a bearer token: the session's current one (renewed when about to expire). */
export const fetchWithSession = async (path: string, token: string): Promise<Response> => {
  const bearer = (await freshToken()) ?? token;
  return fetch(path, { headers: { authorization: `Bearer ${bearer}` }, cache: 'no-store' });
};

/** Saves an answer's body as a file under the server's `content-disposition` name (or `fallback`); answers the name. */
export const saveAnswer = async (response: Response, fallback: string): Promise<string> => {
  const blob = await response.blob();
  const file = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallback;
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
};

/**
 * Downloads a file the API serves only with a bearer token (exports, templates). Answers the file
 * name, or undefined when the download failed.
 */
export const downloadFile = async (path: string, token: string, fallback: string): Promise<string | undefined> => {
  try {
    const response = await fetchWithSession(path, token);
    return response.ok ? await saveAnswer(response, fallback) : undefined;
  } catch {
    return undefined;
  }
};
