/**
 * Evidence files in the staff console, shared by the contact form and the moves of a ledger item.
 *
 * `createUploader` keeps the list of chosen files of one form: each is checked (type, size, how many)
 * and uploaded at once — SHA-256 in the browser, `POST /api/staff/evidence` → a presigned PUT, sent
 * with XHR for its progress — with a retry and a remove button per file; the form then sends the
 * evidence ids. `evidenceLinks` shows saved evidence (`GET /api/staff/evidence/{id}`, a presigned GET
 * valid five minutes, asked for again when an older link is opened): JPEG and PNG as thumbnails,
 * other files as a badge with the name.
 *
 * Messages used (the page hands them to its script): `contactLog.file.*`, `contactLog.err.file*`,
 * `contactLog.err.noCrypto`, `contactLog.evidence.loading`, `contactLog.evidence.failed` and the
 * uploader's `tooMany` key.
 */
import { api } from './api.ts';
import type { Console } from './console.ts';
import { el } from './format.ts';

export type UploadState = 'hashing' | 'uploading' | 'done' | 'failed';

export interface Upload {
  key: number;
  file: File;
  contentType: string;
  state: UploadState;
  evidenceId?: string;
  xhr?: XMLHttpRequest;
  done: Promise<void>;
  item: HTMLLIElement;
  preview?: string;
}

/** What the staff console keeps of an attached file (a contact's or a ledger move's `evidence`). */
export interface EvidenceRef {
  evidenceId: string;
  fileName: string;
  contentType: string;
}

interface Evidence extends EvidenceRef {
  size: number;
  download: { url: string };
}

/** Content types shown as pictures (what every browser can draw). */
const PICTURES = ['image/jpeg', 'image/png'];
/** Presigned links live five minutes: one older than this is asked for again before it opens. */
const FRESH_MS = 4 * 60_000;

const hex = (buffer: ArrayBuffer): string =>
  [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

export const sizeLabel = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/**
 * What a file picker offers: any image (so a phone opens its camera) and the accepted documents;
 * the uploader refuses other types inline, as the API would.
 */
export const acceptOf = (types: Record<string, string>): string =>
  [
    'image/*',
    ...Object.keys(types).filter((type) => !type.startsWith('image/')),
    ...Object.values(types).map((ext) => `.${ext}`),
    '.jpeg',
  ].join(',');

/** A file's extension in capitals on a small square, for a file that is not drawn as a picture. */
export const fileBadge = (types: Record<string, string>, contentType: string): HTMLElement => {
  const ext = (types[contentType] ?? 'file').toUpperCase();
  const badge = el('span', 'file-badge', ext);
  badge.setAttribute('aria-hidden', 'true');
  return badge;
};

/** The accepted content type of a chosen file, helped by its extension when the browser does not know it. */
export const contentTypeOf = (types: Record<string, string>, file: File): string | undefined => {
  if (Object.hasOwn(types, file.type)) return file.type;
  const ext = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase();
  if (!ext) return undefined;
  const byExt = Object.entries(types).find(([, e]) => e === (ext === 'jpeg' ? 'jpg' : ext));
  // A browser that does not know the type (empty, or a generic one) is helped by the extension.
  if (byExt && (file.type === '' || file.type === 'application/octet-stream' || file.type === 'image/heif')) {
    return byExt[0];
  }
  return undefined;
};

export interface UploaderOptions {
  c: Pick<Console, 'm' | 'token'>;
  /** The `<fieldset>` of the file pickers, its error paragraph, and the id of its hint. */
  field: HTMLElement;
  error: HTMLElement;
  hintId: string;
  /** Where the chosen files are listed, and a polite live region for what happened to them. */
  list: HTMLElement;
  live: HTMLElement;
  /** Accepted content types → extensions (`EVIDENCE_TYPES`), the largest size, and how many files. */
  types: Record<string, string>;
  maxBytes: number;
  maxFiles: number;
  /** The message key of "too many files". */
  tooMany: string;
  /** Prefix of the ids made for each file's progress bar. */
  idPrefix: string;
  /** Where focus goes when the last file is removed. */
  fallbackFocus: () => HTMLElement | null | undefined;
}

export type Uploader = ReturnType<typeof createUploader>;

export const createUploader = (o: UploaderOptions) => {
  const { m, token } = o.c;
  let uploads: Upload[] = [];
  let seq = 0;

  /** Shows the problems of the file field (none clears them). */
  const setErrors = (texts: string[]) => {
    o.error.replaceChildren();
    for (const [i, text] of texts.entries()) {
      if (i > 0) o.error.append(el('br'));
      o.error.append(text);
    }
    o.error.hidden = texts.length === 0;
    o.field.classList.toggle('field-invalid', texts.length > 0);
    o.field.setAttribute('aria-describedby', [o.hintId, ...(texts.length ? [o.error.id] : [])].join(' '));
  };

  const pending = () => uploads.filter((u) => u.state === 'hashing' || u.state === 'uploading');

  const paint = (u: Upload, pct = 0) => {
    u.item.dataset.state = u.state;
    const state = u.item.querySelector<HTMLElement>('.upload-state') as HTMLElement;
    const bar = u.item.querySelector<HTMLProgressElement>('progress') as HTMLProgressElement;
    const retry = u.item.querySelector<HTMLButtonElement>('[data-action=retry]') as HTMLButtonElement;
    retry.hidden = u.state !== 'failed';
    bar.hidden = u.state === 'failed';
    if (u.state === 'hashing') {
      bar.removeAttribute('value');
      state.textContent = m('contactLog.file.hashing');
    } else if (u.state === 'uploading') {
      bar.max = 100;
      bar.value = pct;
      state.textContent = m('contactLog.file.uploading', { pct });
    } else if (u.state === 'done') {
      bar.max = 100;
      bar.value = 100;
      state.textContent = m('contactLog.file.done');
    } else {
      state.textContent = m('contactLog.file.failed');
    }
  };

  const send = (u: Upload): Promise<void> => {
    const go = async () => {
      u.state = 'hashing';
      paint(u);
      if (!globalThis.crypto?.subtle) {
        u.state = 'failed';
        paint(u);
        setErrors([m('contactLog.err.noCrypto')]);
        return;
      }
      const sha256 = hex(await crypto.subtle.digest('SHA-256', await u.file.arrayBuffer()));
      if (!uploads.includes(u)) return;
      const { status, body: answer } = await api('/api/staff/evidence', {
        json: {
          fileName: u.file.name.slice(-200) || 'photo.jpg',
          contentType: u.contentType,
          size: u.file.size,
          sha256,
        },
        token,
      });
      const made = answer as {
        evidenceId?: string;
        upload?: { url?: string; method?: string; headers?: Record<string, string> };
      } | null;
      if (status !== 201 || !made?.evidenceId || !made.upload?.url || !uploads.includes(u)) {
        u.state = 'failed';
        paint(u);
        return;
      }
      u.state = 'uploading';
      paint(u, 0);
      const ok = await new Promise<boolean>((resolve) => {
        const xhr = new XMLHttpRequest();
        u.xhr = xhr;
        xhr.open(made.upload?.method ?? 'PUT', made.upload?.url ?? '');
        for (const [name, value] of Object.entries(made.upload?.headers ?? {})) {
          // The browser sets the length itself (to the file's size, as signed).
          if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
        }
        xhr.upload.addEventListener('progress', (event) => {
          if (event.lengthComputable) paint(u, Math.min(99, Math.round((event.loaded / event.total) * 100)));
        });
        xhr.addEventListener('load', () => resolve(xhr.status >= 200 && xhr.status < 300));
        xhr.addEventListener('error', () => resolve(false));
        xhr.addEventListener('abort', () => resolve(false));
        xhr.addEventListener('timeout', () => resolve(false));
        xhr.timeout = 10 * 60_000;
        xhr.send(u.file);
      });
      u.xhr = undefined;
      if (!uploads.includes(u)) return;
      u.state = ok ? 'done' : 'failed';
      if (ok) u.evidenceId = made.evidenceId;
      paint(u);
      if (pending().length === 0 && uploads.every((x) => x.state === 'done'))
        o.live.textContent = m('contactLog.file.allDone');
    };
    return go().catch(() => {
      u.state = 'failed';
      paint(u);
    });
  };

  const remove = (u: Upload) => {
    const index = uploads.indexOf(u);
    uploads = uploads.filter((x) => x !== u);
    u.xhr?.abort();
    if (u.preview) URL.revokeObjectURL(u.preview);
    u.item.remove();
    o.live.textContent = m('contactLog.file.removed', { name: u.file.name });
    const next = uploads[Math.min(index, uploads.length - 1)];
    (next?.item.querySelector<HTMLButtonElement>('[data-action=remove]') ?? o.fallbackFocus())?.focus();
  };

  /** Checks the chosen files, lists the good ones and starts their uploads; the others are said why. */
  const add = (chosen: File[]) => {
    const errors: string[] = [];
    let added = 0;
    for (const file of chosen) {
      const contentType = contentTypeOf(o.types, file);
      if (!contentType) {
        errors.push(m('contactLog.err.fileType', { name: file.name }));
        continue;
      }
      if (file.size === 0) {
        errors.push(m('contactLog.err.fileEmpty', { name: file.name }));
        continue;
      }
      if (file.size > o.maxBytes) {
        errors.push(m('contactLog.err.fileSize', { name: file.name }));
        continue;
      }
      if (uploads.length >= o.maxFiles) {
        errors.push(m(o.tooMany));
        break;
      }
      seq += 1;
      const item = el('li', 'upload');
      const u: Upload = { key: seq, file, contentType, state: 'hashing', done: Promise.resolve(), item };
      if (PICTURES.includes(contentType)) {
        u.preview = URL.createObjectURL(file);
        const img = el('img', 'upload-thumb');
        img.src = u.preview;
        img.alt = '';
        item.append(img);
      } else {
        item.append(fileBadge(o.types, contentType));
      }
      const info = el('div', 'upload-info');
      const name = el('span', 'upload-name', file.name);
      const progress = el('progress');
      progress.id = `${o.idPrefix}-${seq}-progress`;
      progress.max = 100;
      progress.setAttribute('aria-label', m('contactLog.file.progress', { name: file.name }));
      const state = el('span', 'upload-state');
      info.append(name, el('span', 'upload-size muted', sizeLabel(file.size)), progress, state);
      const buttons = el('div', 'upload-buttons');
      const retry = el('button', 'button-secondary button-small', m('contactLog.file.retry'));
      retry.type = 'button';
      retry.dataset.action = 'retry';
      retry.setAttribute('aria-label', m('contactLog.file.retryLabel', { name: file.name }));
      retry.addEventListener('click', () => {
        u.done = send(u);
        removeButton.focus();
      });
      const removeButton = el('button', 'button-secondary button-small', m('contactLog.file.remove'));
      removeButton.type = 'button';
      removeButton.dataset.action = 'remove';
      removeButton.setAttribute('aria-label', m('contactLog.file.removeLabel', { name: file.name }));
      removeButton.addEventListener('click', () => remove(u));
      buttons.append(retry, removeButton);
      item.append(info, buttons);
      o.list.append(item);
      uploads.push(u);
      u.done = send(u);
      added++;
    }
    setErrors(errors);
    if (added > 0) o.live.textContent = m('contactLog.file.added', { n: added });
  };

  return {
    setErrors,
    add,
    pending,
    /** The files in the order chosen (the order of the evidence ids sent). */
    all: (): readonly Upload[] => uploads,
    /** Resolves when every upload has finished, well or not. */
    settled: () => Promise.all(uploads.map((u) => u.done)).then(() => undefined),
    /** The first file that is not uploaded (after `settled`). */
    firstFailed: () => uploads.find((u) => u.state !== 'done'),
    evidenceIds: () => uploads.map((u) => u.evidenceId ?? ''),
    /** The API refused the file at `index` (expired or never arrived): it is marked to go again. */
    gone: (index: number): Upload | undefined => {
      const u = uploads[index];
      if (!u) return undefined;
      u.state = 'failed';
      paint(u);
      return u;
    },
    /** Chosen files are added from these inputs (each emptied afterwards, so the same file can come again). */
    watch: (...inputs: HTMLInputElement[]) => {
      for (const input of inputs) {
        input.addEventListener('change', () => {
          add([...(input.files ?? [])]);
          input.value = '';
        });
      }
    },
    /** Forgets every file (stopping uploads under way) and the field's problems. */
    clear: () => {
      for (const u of uploads) {
        u.xhr?.abort();
        if (u.preview) URL.revokeObjectURL(u.preview);
      }
      uploads = [];
      o.list.replaceChildren();
      setErrors([]);
    },
  };
};

/**
 * Saved evidence as list items: the file's name with its thumbnail (JPEG, PNG) or badge, linking to a
 * presigned URL. The links are asked for a few at a time and kept four minutes.
 */
export const evidenceLinks = (c: Pick<Console, 'm' | 'token'>, types: Record<string, string>) => {
  const { m, token } = c;
  let running = 0;
  const waiting: (() => void)[] = [];
  const queued = async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= 4) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
  const cache = new Map<string, { evidence: Evidence; at: number } | null>();
  const fetchEvidence = async (id: string, fresh = false): Promise<Evidence | null> => {
    const cached = cache.get(id);
    if (!fresh && cached !== undefined && (cached === null || Date.now() - cached.at < FRESH_MS)) {
      return cached?.evidence ?? null;
    }
    const { status, body: answer } = await queued(() =>
      api(`/api/staff/evidence/${encodeURIComponent(id)}`, { token }),
    );
    const evidence = answer as Evidence | null;
    if (status === 200 && evidence?.download?.url) {
      cache.set(id, { evidence, at: Date.now() });
      return evidence;
    }
    cache.set(id, null);
    return null;
  };

  return (id: string, ref?: Pick<EvidenceRef, 'fileName' | 'contentType'>): HTMLLIElement => {
    const item = el('li', 'evidence-thumb');
    item.dataset.evidenceId = id;
    if (ref) {
      const waitingLink = el('span', 'evidence-link');
      waitingLink.append(fileBadge(types, ref.contentType), el('span', 'evidence-name', ref.fileName));
      item.append(waitingLink);
    } else {
      item.append(el('span', 'muted small', m('contactLog.evidence.loading')));
    }
    void fetchEvidence(id).then((evidence) => {
      if (!evidence) {
        item.replaceChildren(el('span', 'muted small', m('contactLog.evidence.failed')));
        return;
      }
      const link = el('a', 'evidence-link');
      link.href = evidence.download.url;
      link.target = '_blank';
      link.rel = 'noopener';
      if (PICTURES.includes(evidence.contentType)) {
        const img = el('img');
        img.alt = '';
        img.loading = 'lazy';
        img.decoding = 'async';
        img.src = evidence.download.url;
        img.addEventListener('error', () => img.replaceWith(fileBadge(types, evidence.contentType)));
        link.append(img);
      } else {
        link.append(fileBadge(types, evidence.contentType));
      }
      link.append(el('span', 'evidence-name', evidence.fileName));
      // A presigned link lives five minutes: an old one is fetched again before it opens.
      link.addEventListener('click', async (event) => {
        const cached = cache.get(id);
        if (cached && Date.now() - cached.at < FRESH_MS) return;
        event.preventDefault();
        const again = await fetchEvidence(id, true);
        if (again) {
          link.href = again.download.url;
          window.open(again.download.url, '_blank', 'noopener');
        }
      });
      item.replaceChildren(link);
    });
    return item;
  };
};
