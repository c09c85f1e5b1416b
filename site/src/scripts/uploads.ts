/**
 * Evidence files in the staff console, shared by the contact form, the moves of a ledger item and the
 * check-up form's items.
 *
 * `createUploader` keeps the list of chosen files of one form: each is checked (type, size, how many)
 * and uploaded at once — SHA-256 in the browser, `POST /api/staff/evidence` → a presigned PUT, sent
 * with XHR for its progress — with a retry and a remove button per file; the form then sends the
 * evidence ids. A form that saves by itself (the check-up) also shows the files its record holds
 * (`sync`) and marks its uploads saved. `evidenceField` builds the fieldset around one (legend, hint,
 * error, the camera and file pickers, the list). `evidenceLinks` shows saved evidence
 * (`GET /api/staff/evidence/{id}`, a presigned GET valid five minutes, asked for again when an older
 * link is opened): JPEG and PNG as thumbnails, other files as a badge with the name.
 *
 * Messages used (the page hands them to its script): the uploader's keys (upload-keys.ts) and
 * `EVIDENCE_LINK_KEYS`.
 */
import { api } from '../kit/api.ts';
import type { TypedConsole } from './console.ts';
import { el } from './format.ts';
import { EVIDENCE_LINK_KEYS, UPLOAD_KEYS, type UploadKeys } from './upload-keys.ts';

/**
 * `done`: uploaded (its record does not hold it yet); `saved`: its record holds it (marked by a form that
 * saves by itself, or a file shown from the stored record).
 */
export type UploadState = 'hashing' | 'uploading' | 'done' | 'saved' | 'failed';

export interface Upload {
  key: number;
  /** The file chosen here; none for a file shown from the stored record. */
  file?: File;
  fileName: string;
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
/** Extensions that name the same type as another one. */
const EXT_ALIASES: Record<string, string> = { jpeg: 'jpg', heif: 'heic' };

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
  const byExt = Object.entries(types).find(([, e]) => e === (EXT_ALIASES[ext] ?? ext));
  // A browser that does not know the type (empty, or a generic one) is helped by the extension.
  if (byExt && (file.type === '' || file.type === 'application/octet-stream' || file.type === 'image/heif')) {
    return byExt[0];
  }
  return undefined;
};

export interface UploaderOptions {
  c: Pick<TypedConsole, 'm' | 'token'>;
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
  /** What it says (upload-keys.ts); `UPLOAD_KEYS` unless given. */
  keys?: UploadKeys;
  /**
   * The class of each file's list item, and the start of its parts' classes (`-thumb`, `-info`, `-name`,
   * `-size`, `-state`, `-buttons`); `upload` unless given.
   */
  itemClass?: string;
  /** Whether each file shows its size (it does unless false). */
  showSize?: boolean;
  /** Prefix of the ids made for each file's progress bar. */
  idPrefix: string;
  /** Where focus goes when the last file is removed. */
  fallbackFocus: () => HTMLElement | null | undefined;
  /** Called when a file has uploaded, and when one is removed (with the state it had). */
  onUploaded?: (u: Upload) => void;
  onRemoved?: (u: Upload) => void;
}

export type Uploader = ReturnType<typeof createUploader>;

export const createUploader = (o: UploaderOptions) => {
  const { m, token } = o.c;
  const keys = o.keys ?? UPLOAD_KEYS;
  const cls = o.itemClass ?? 'upload';
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
    const state = u.item.querySelector<HTMLElement>(`.${cls}-state`);
    const bar = u.item.querySelector<HTMLProgressElement>('progress');
    const retry = u.item.querySelector<HTMLButtonElement>('[data-action=retry]');
    if (retry) retry.hidden = u.state !== 'failed';
    if (bar) {
      bar.hidden = u.state === 'failed' || u.state === 'saved';
      if (u.state === 'hashing') {
        bar.removeAttribute('value');
      } else if (u.state !== 'failed') {
        bar.max = 100;
        bar.value = u.state === 'uploading' ? pct : 100;
      }
    }
    if (state) {
      state.textContent =
        u.state === 'uploading'
          ? m(keys.uploading, { pct })
          : m(u.state === 'saved' ? (keys.saved ?? keys.done) : keys[u.state]);
    }
  };

  /** Sets a file's state (a file marked failed loses its evidence id: it must go again). */
  const mark = (u: Upload, state: UploadState) => {
    u.state = state;
    if (state === 'failed') {
      u.evidenceId = undefined;
      delete u.item.dataset.evidenceId;
    }
    paint(u);
  };

  const send = (u: Upload): Promise<void> => {
    const go = async () => {
      const file = u.file as File;
      u.evidenceId = undefined;
      delete u.item.dataset.evidenceId;
      mark(u, 'hashing');
      if (!globalThis.crypto?.subtle) {
        mark(u, 'failed');
        setErrors([m(keys.noCrypto)]);
        return;
      }
      const sha256 = hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
      if (!uploads.includes(u)) return;
      const { status, body: answer } = await api('evidence.create', {
        json: {
          fileName: u.fileName.slice(-200) || 'photo.jpg',
          contentType: u.contentType,
          size: file.size,
          sha256,
        },
        token,
      });
      const made = answer as {
        evidenceId?: string;
        upload?: { url?: string; method?: string; headers?: Record<string, string> };
      } | null;
      if (status !== 201 || !made?.evidenceId || !made.upload?.url || !uploads.includes(u)) {
        mark(u, 'failed');
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
        xhr.send(file);
      });
      u.xhr = undefined;
      if (!uploads.includes(u)) return;
      if (!ok) {
        mark(u, 'failed');
        return;
      }
      u.evidenceId = made.evidenceId;
      u.item.dataset.evidenceId = made.evidenceId;
      mark(u, 'done');
      if (keys.allDone && pending().length === 0 && uploads.every((x) => x.state === 'done' || x.state === 'saved'))
        o.live.textContent = m(keys.allDone);
      o.onUploaded?.(u);
    };
    return go().catch(() => mark(u, 'failed'));
  };

  /** Stops a file's upload and lets go of its preview. */
  const release = (u: Upload) => {
    u.xhr?.abort();
    if (u.preview) URL.revokeObjectURL(u.preview);
  };

  const remove = (u: Upload) => {
    const index = uploads.indexOf(u);
    uploads = uploads.filter((x) => x !== u);
    release(u);
    u.item.remove();
    o.live.textContent = m(keys.removed, { name: u.fileName });
    const next = uploads[Math.min(index, uploads.length - 1)];
    (next?.item.querySelector<HTMLButtonElement>('[data-action=remove]') ?? o.fallbackFocus())?.focus();
    o.onRemoved?.(u);
  };

  /** A file's list item: its picture (or badge), name, progress and state, and its buttons. */
  const entry = (init: Omit<Upload, 'key' | 'done' | 'item'>, visual: HTMLElement): Upload => {
    seq += 1;
    const item = el('li', cls);
    const u: Upload = { ...init, key: seq, done: Promise.resolve(), item };
    const info = el('div', `${cls}-info`);
    info.append(el('span', `${cls}-name`, u.fileName));
    if (u.file && o.showSize !== false) info.append(el('span', `${cls}-size muted`, sizeLabel(u.file.size)));
    if (u.file) {
      const progress = el('progress');
      progress.id = `${o.idPrefix}-${seq}-progress`;
      progress.max = 100;
      progress.setAttribute('aria-label', m(keys.progress, { name: u.fileName }));
      info.append(progress);
    }
    info.append(el('span', `${cls}-state`));
    const buttons = el('div', `${cls}-buttons`);
    const removeButton = el('button', 'button-secondary button-small', m(keys.remove));
    if (u.file) {
      const retry = el('button', 'button-secondary button-small', m(keys.retry));
      retry.type = 'button';
      retry.dataset.action = 'retry';
      retry.setAttribute('aria-label', m(keys.retryLabel, { name: u.fileName }));
      retry.addEventListener('click', () => {
        u.done = send(u);
        removeButton.focus();
      });
      buttons.append(retry);
    }
    removeButton.type = 'button';
    removeButton.dataset.action = 'remove';
    removeButton.setAttribute('aria-label', m(keys.removeLabel, { name: u.fileName }));
    removeButton.addEventListener('click', () => remove(u));
    buttons.append(removeButton);
    if (u.evidenceId) item.dataset.evidenceId = u.evidenceId;
    item.append(visual, info, buttons);
    paint(u);
    return u;
  };

  /** Checks the chosen files, lists the good ones and starts their uploads; the others are said why. */
  const add = (chosen: File[]) => {
    const errors: string[] = [];
    let added = 0;
    for (const file of chosen) {
      const contentType = contentTypeOf(o.types, file);
      if (!contentType) {
        errors.push(m(keys.fileType, { name: file.name }));
        continue;
      }
      if (file.size === 0) {
        errors.push(m(keys.fileEmpty, { name: file.name }));
        continue;
      }
      if (file.size > o.maxBytes) {
        errors.push(m(keys.fileSize, { name: file.name }));
        continue;
      }
      if (uploads.length >= o.maxFiles) {
        errors.push(m(keys.tooMany));
        break;
      }
      let visual: HTMLElement;
      let preview: string | undefined;
      if (PICTURES.includes(contentType)) {
        preview = URL.createObjectURL(file);
        const img = el('img', `${cls}-thumb`);
        img.src = preview;
        img.alt = '';
        visual = img;
      } else {
        visual = fileBadge(o.types, contentType);
      }
      const u = entry({ file, fileName: file.name || 'photo.jpg', contentType, state: 'hashing', preview }, visual);
      o.list.append(u.item);
      uploads.push(u);
      u.done = send(u);
      added++;
    }
    setErrors(errors);
    if (added > 0) o.live.textContent = m(keys.added, { n: added });
  };

  return {
    setErrors,
    add,
    pending,
    mark,
    /** The files in the order chosen (the order of the evidence ids sent). */
    all: (): readonly Upload[] => uploads,
    /** Resolves when every upload has finished, well or not. */
    settled: () => Promise.all(uploads.map((u) => u.done)).then(() => undefined),
    /** The first file that is not uploaded (after `settled`). */
    firstFailed: () => uploads.find((u) => u.state !== 'done' && u.state !== 'saved'),
    evidenceIds: () => uploads.map((u) => u.evidenceId ?? ''),
    /** The API refused the file at `index` (expired or never arrived): it is marked to go again. */
    gone: (index: number): Upload | undefined => {
      const u = uploads[index];
      if (u) mark(u, 'failed');
      return u;
    },
    /**
     * Shows the files the stored record holds, in its order (one uploaded here is marked saved; the
     * others are drawn by `thumb`), then the files still on their way, failed, or uploaded and not saved
     * yet; a file saved before that the record no longer holds goes. Answers those uploaded, not saved.
     */
    sync: (refs: readonly EvidenceRef[], thumb: (ref: EvidenceRef) => HTMLElement): Upload[] => {
      const kept: Upload[] = [];
      for (const ref of refs) {
        const mine = uploads.find((u) => u.evidenceId === ref.evidenceId);
        if (mine) {
          mark(mine, 'saved');
          kept.push(mine);
        } else {
          kept.push(entry({ ...ref, state: 'saved' }, thumb(ref)));
        }
      }
      for (const u of uploads) {
        if (kept.includes(u)) continue;
        if (u.state === 'saved') release(u);
        else kept.push(u);
      }
      uploads = kept;
      o.list.replaceChildren(...kept.map((u) => u.item));
      return kept.filter((u) => u.state === 'done');
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
      for (const u of uploads) release(u);
      uploads = [];
      o.list.replaceChildren();
      setErrors([]);
    },
  };
};

export interface EvidenceFieldOptions
  extends Omit<UploaderOptions, 'field' | 'error' | 'hintId' | 'list' | 'live' | 'fallbackFocus'> {
  /** The fieldset's legend and hint, and the labels of its camera and file pickers. */
  legend: string;
  hint: string;
  cameraLabel: string;
  filesLabel: string;
  /** What the pickers offer; `acceptOf(types)` unless given. */
  accept?: string;
  /** The ids made: the fieldset's and the list's (when given), the hint's, the error's, each picker's. */
  ids: { field?: string; hint: string; error: string; list?: string; camera: string; files: string };
  /** The classes of the fieldset and of the list; `evidence-field` and `evidence-list` unless given. */
  fieldClass?: string;
  listClass?: string;
}

/**
 * A fieldset of evidence for a form made by script: legend, hint, error, "take a photo" (the camera on a
 * phone) and "choose files", the list of chosen files and a live region, with the uploader watching it.
 */
export const evidenceField = (o: EvidenceFieldOptions): { field: HTMLFieldSetElement; uploader: Uploader } => {
  const field = el('fieldset', o.fieldClass ?? 'evidence-field');
  if (o.ids.field) field.id = o.ids.field;
  field.setAttribute('aria-describedby', o.ids.hint);
  const hint = el('p', 'hint', o.hint);
  hint.id = o.ids.hint;
  const error = el('p', 'field-error');
  error.id = o.ids.error;
  error.hidden = true;
  const picks = el('div', 'file-picks');
  const accept = o.accept ?? acceptOf(o.types);
  const picker = (id: string, label: string, camera: boolean) => {
    const wrap = el('span', 'file-pick');
    const input = el('input', 'file-input');
    input.type = 'file';
    input.id = id;
    input.accept = accept;
    input.multiple = true;
    if (camera) input.setAttribute('capture', 'environment');
    input.setAttribute('aria-describedby', o.ids.hint);
    const lab = el('label', camera ? 'button' : 'button button-secondary', label);
    lab.htmlFor = input.id;
    wrap.append(input, lab);
    picks.append(wrap);
    return input;
  };
  const camera = picker(o.ids.camera, o.cameraLabel, true);
  const files = picker(o.ids.files, o.filesLabel, false);
  const list = el('ul', o.listClass ?? 'evidence-list');
  if (o.ids.list) list.id = o.ids.list;
  const live = el('p', 'visually-hidden');
  live.setAttribute('aria-live', 'polite');
  field.append(el('legend', undefined, o.legend), hint, error, picks, list, live);
  const uploader = createUploader({ ...o, field, error, hintId: o.ids.hint, list, live, fallbackFocus: () => camera });
  uploader.watch(camera, files);
  return { field, uploader };
};

/**
 * Saved evidence as list items: the file's name with its thumbnail (JPEG, PNG) or badge, linking to a
 * presigned URL. The links are asked for a few at a time and kept four minutes.
 */
export const evidenceLinks = (c: Pick<TypedConsole, 'm' | 'token'>, types: Record<string, string>) => {
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
    const { status, body: answer } = await queued(() => api('evidence.get', { params: { id }, token }));
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
      item.append(el('span', 'muted small', m(EVIDENCE_LINK_KEYS.loading)));
    }
    void fetchEvidence(id).then((evidence) => {
      if (!evidence) {
        item.replaceChildren(el('span', 'muted small', m(EVIDENCE_LINK_KEYS.failed)));
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
