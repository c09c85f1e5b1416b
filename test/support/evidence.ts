import { createHash } from 'node:crypto';

/** A small file that passes for a photo taken on site. */
export const PHOTO = Buffer.from('\x89PNG\r\n\x1a\n a photo taken on site');

/**
 * Uploads a file as a staff member would: `POST /api/staff/evidence` for a presigned PUT, then the PUT
 * to the local S3 server (left out with `put: false`, for a file announced but never sent).
 */
export const uploadEvidence = async (
  baseUrl: string,
  token: string,
  options: { put?: boolean; fileName?: string; contentType?: string } = {},
): Promise<string> => {
  const created = await fetch(`${baseUrl}/api/staff/evidence`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      fileName: options.fileName ?? '现场.png',
      contentType: options.contentType ?? 'image/png',
      size: PHOTO.length,
      sha256: createHash('sha256').update(PHOTO).digest('hex'),
    }),
  });
  if (created.status !== 201) throw new Error(`evidence not created: ${created.status} ${await created.text()}`);
  const { evidenceId, upload } = (await created.json()) as {
    evidenceId: string;
    upload: { url: string; headers: Record<string, string> };
  };
  if (options.put !== false) {
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: PHOTO });
    if (!put.ok) throw new Error(`upload refused: ${put.status}`);
  }
  return evidenceId;
};

/**
 * The firm representative's signature as the check-up form sends it with the submit (issue 20): a PNG
 * uploaded by the staff member who submits, and the name the signer typed.
 */
export const uploadSignature = async (
  baseUrl: string,
  token: string,
  signerName = '张代表',
): Promise<{ evidenceId: string; signerName: string }> => ({
  evidenceId: await uploadEvidence(baseUrl, token, { fileName: 'signature.png' }),
  signerName,
});
