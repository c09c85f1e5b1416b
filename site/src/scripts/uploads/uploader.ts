/**
 * The uploader of one form's evidence files: each chosen file is checked (type, size, how many) and
 * uploaded at once — SHA-256 in the browser, `evidence.create` → a presigned PUT, sent with XHR for
 * its progress — with a retry and a remove button per file; the form then sends the evidence ids. A
 * form that saves by itself (the check-up) also shows the files its record holds (`sync`) and marks
 * its uploads saved.
 *
 * Loaded on first use by `createUploader` (deferred-uploader.ts), which hands over the parts a form
 * shows before any file is chosen: the "keep the original" box and the field's problems.
 */
import { announceEvidence } from '../../kit/evidence-upload.ts';
import { DECODABLE_TYPES, preparePhoto } from '../../kit/photo.ts';
import { buttonEl, el } from '../format.ts';
import { UPLOAD_KEYS } from '../upload-keys.ts';
import {
  contentTypeOf,
  type EvidenceRef,
  type FieldParts,
  fileBadge,
  PICTURES,
  sizeLabel,
  type Upload,
  type UploaderOptions,
  type UploadState,
} from './files.ts';

export type UploaderWork = ReturnType<typeof startUploader>;

/** The largest photo taken that is still tried: the phone makes it smaller before the 20 MB bound applies. */
const SHRINKABLE_BYTES = 100 * 1024 * 1024;

export const startUploader = (o: UploaderOptions, { keepBox, setErrors }: FieldParts) => {
  const { m, token } = o.c;
  const keys = o.keys ?? UPLOAD_KEYS;
  const cls = o.itemClass ?? 'upload';
  let uploads: Upload[] = [];
  let seq = 0;

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
      u.evidenceId = undefined;
      delete u.item.dataset.evidenceId;
      mark(u, 'hashing');
      if (!u.prepared) {
        await prepare(u);
        if (!uploads.includes(u)) return;
      }
      const file = u.file as File;
      if (file.size > o.maxBytes) {
        mark(u, 'failed');
        setErrors([m(keys.fileSize, { name: u.fileName })]);
        return;
      }
      if (!globalThis.crypto?.subtle) {
        mark(u, 'failed');
        setErrors([m(keys.noCrypto)]);
        return;
      }
      const made = await announceEvidence(file, u.fileName, u.contentType, token);
      if (!('evidenceId' in made) || !uploads.includes(u)) {
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
    return go()
      .catch(() => mark(u, 'failed'))
      .then(() => {
        if (u.state === 'failed' && uploads.includes(u)) o.onFailed?.(u);
      });
  };

  /**
   * A photo made smaller (once per file: a retry sends the same bytes): the file, its type and name
   * become the JPEG's, its size and picture on the list follow.
   */
  const prepare = async (u: Upload) => {
    const chosen = u.file as File;
    const made = await preparePhoto(chosen, u.contentType, u.keepOriginal);
    u.prepared = true;
    if (!made.shrunk) return;
    u.file = made.file;
    u.contentType = made.contentType;
    u.fileName = made.file.name;
    u.item.dataset.shrunk = String(chosen.size);
    const name = u.item.querySelector<HTMLElement>(`.${cls}-name`);
    if (name) name.textContent = u.fileName;
    const size = u.item.querySelector<HTMLElement>(`.${cls}-size`);
    if (size) size.textContent = sizeLabel(made.file.size);
    const thumb = u.item.querySelector<HTMLImageElement>(`img.${cls}-thumb`);
    if (!thumb) {
      // A HEIC the browser decoded: now it has a picture to show.
      if (u.preview) URL.revokeObjectURL(u.preview);
      u.preview = URL.createObjectURL(made.file);
      const img = el('img', `${cls}-thumb`);
      img.src = u.preview;
      img.alt = '';
      u.item.querySelector('.file-badge')?.replaceWith(img);
    }
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
      const retry = buttonEl('button-secondary button-small', m(keys.retry));
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
      const keepOriginal = keepBox.checked;
      // A photo to be made smaller may be larger than the bound as taken: its JPEG is checked again.
      const shrinkable = !keepOriginal && DECODABLE_TYPES.includes(contentType);
      if (file.size > (shrinkable ? SHRINKABLE_BYTES : o.maxBytes)) {
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
      const u = entry(
        { file, fileName: file.name || 'photo.jpg', contentType, state: 'hashing', preview, keepOriginal },
        visual,
      );
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
    /** Takes files off the list without a word (the check-up form keeps them on the device to send later). */
    forget: (gone: readonly Upload[]) => {
      for (const u of gone) {
        release(u);
        u.item.remove();
      }
      uploads = uploads.filter((u) => !gone.includes(u));
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
