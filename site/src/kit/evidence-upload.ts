/**
 * The two steps of a staff evidence upload: announce the file (its SHA-256, computed here;
 * `POST /api/staff/evidence` answers an evidence id and a presigned PUT), then send its bytes to the
 * bucket. The uploader of a form (scripts/uploads.ts) sends them with XHR for its progress bar; a
 * draft sent when the signal is back (contact drafts) sends them with `putEvidence`.
 */
import { api, NO_ANSWER } from './api.ts';

export const hex = (buffer: ArrayBuffer): string =>
  [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

export interface Announced {
  evidenceId: string;
  upload: { url: string; method?: string; headers?: Record<string, string> };
}

/**
 * Announces a file: the evidence id and where to send it, or the API's status (0: no network, or a
 * browser that cannot hash).
 */
export const announceEvidence = async (
  file: Blob,
  fileName: string,
  contentType: string,
  token: string | null,
): Promise<Announced | { status: number; body: unknown }> => {
  if (!globalThis.crypto?.subtle) return NO_ANSWER;
  const sha256 = hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
  const answer = await api('evidence.create', {
    json: { fileName: fileName.slice(-200) || 'photo.jpg', contentType, size: file.size, sha256 },
    token,
  });
  return answer.ok ? answer.body : answer;
};

/** Sends the announced file's bytes; whether the bucket took them. */
export const putEvidence = async (file: Blob, announced: Announced): Promise<boolean> => {
  const headers = Object.fromEntries(
    // The browser sets the length itself (to the file's size, as signed).
    Object.entries(announced.upload.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-length'),
  );
  try {
    const res = await fetch(announced.upload.url, {
      method: announced.upload.method ?? 'PUT',
      headers,
      body: file,
      signal: AbortSignal.timeout(10 * 60_000),
    });
    return res.ok;
  } catch {
    return false;
  }
};
