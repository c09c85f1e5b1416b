/**
 * The difficulties card of the firm's record page: a title, a detail and an optional photo, which is
 * uploaded first (`firmEvidence.create` → a presigned PUT, made smaller on the phone), then the card
 * sent (`firmRequests.create`) with one Idempotency-Key per card, so a send retried after a lost
 * answer gives back the same item, never a second.
 */
import { type ApiResult, firmApi } from '../../kit/firm-api.ts';
import { preparePhoto } from '../../kit/photo.ts';
import { fieldError as showFieldError } from '../firm-forms.ts';
import { $ } from '../format.ts';

const PHOTO_TYPES = ['image/jpeg', 'image/png'];

/** What the card needs from the page. */
export interface RequestCardContext {
  root: HTMLElement;
  m: (key: string, vars?: Record<string, string | number>) => string;
  token: string;
  /** Drops the session and goes to the sign-in (a 401). */
  leave: () => void;
  failure: (answer: ApiResult) => string;
  /** Reads the record again (the new item shows among the open ones). */
  reload: () => Promise<void>;
}

export const requestCard = ({ root, m, token, leave, failure, reload }: RequestCardContext) => {
  const form = $<HTMLFormElement>('#firm-request');
  const title = $<HTMLInputElement>('#request-title');
  const detail = $<HTMLTextAreaElement>('#request-detail');
  const photo = $<HTMLInputElement>('#request-photo');
  const send = $<HTMLButtonElement>('#request-send');
  const done = $<HTMLElement>('#request-done');
  const requestError = $<HTMLElement>('#request-error');
  const fieldError = (input: HTMLElement, text: string) => showFieldError(root, input, text);

  /** Uploads the photo as this firm's: its SHA-256, the presigned PUT; the evidence id, or null. */
  const upload = async (chosen: File): Promise<string | null> => {
    // Made smaller on the phone first, as every photo of the product (kit/photo.ts).
    const { file } = await preparePhoto(chosen, chosen.type);
    const bytes = await file.arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const sha256 = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    const created = await firmApi('firmEvidence.create', {
      token,
      json: { fileName: file.name.slice(-200) || 'photo', contentType: file.type, size: file.size, sha256 },
    });
    if (created.status === 401) {
      leave();
      return null;
    }
    if (!created.ok) return null;
    const { evidenceId, upload: put } = created.body;
    try {
      const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: bytes });
      return res.ok ? evidenceId : null;
    } catch {
      return null;
    }
  };

  /** The Idempotency-Key of the card being sent (kept across retries of the same card, new after a success). */
  let cardKey: string | undefined;
  // A card changed after a failed send is another request: it gets a key of its own.
  form.addEventListener('input', () => {
    cardKey = undefined;
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    requestError.textContent = '';
    done.hidden = true;
    const file = photo.files?.[0];
    const body = { title: title.value.trim(), detail: detail.value.trim() };
    const ok = [
      fieldError(title, body.title.length >= 2 && body.title.length <= 100 ? '' : m('firm.request.errTitle')),
      fieldError(detail, body.detail.length >= 2 && body.detail.length <= 2000 ? '' : m('firm.request.errDetail')),
      fieldError(
        photo,
        !file || (PHOTO_TYPES.includes(file.type) && file.size <= 20 * 1024 * 1024) ? '' : m('firm.request.errPhoto'),
      ),
    ].every(Boolean);
    if (!ok) return;
    send.disabled = true;
    const label = send.textContent;
    let evidenceIds: string[] = [];
    if (file) {
      send.textContent = m('firm.request.uploading');
      const id = await upload(file);
      if (!id) {
        send.disabled = false;
        send.textContent = label;
        fieldError(photo, m('firm.request.errUpload'));
        return;
      }
      evidenceIds = [id];
    }
    send.textContent = m('firm.request.sending');
    // One key per card: a send retried after a lost answer gives back the same item, never a second.
    cardKey ??= crypto.randomUUID();
    const answer = await firmApi('firmRequests.create', {
      token,
      json: { ...body, ...(file ? { evidenceIds } : {}) },
      headers: { 'idempotency-key': cardKey },
    });
    send.disabled = false;
    send.textContent = label;
    if (answer.status === 401) return leave();
    if (!answer.ok) {
      requestError.textContent = failure(answer);
      return;
    }
    form.reset();
    cardKey = undefined;
    const { item } = answer.body;
    done.textContent = m('firm.request.done', { takeUp: item.takeUpBy, due: item.dueOn });
    done.hidden = false;
    done.focus();
    await reload();
  });
};
