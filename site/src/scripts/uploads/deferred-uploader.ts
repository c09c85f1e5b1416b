/**
 * The uploader as a form shows it before any file is chosen: the "keep the original" box and the
 * field's problems. The work of uploading (uploader.ts with hashing, the presigned PUT and making photos
 * smaller: about 5 KB gzip, a quarter of a page's budget in design.md) loads when the user turns to the
 * field (focus, pointer or touch, before the file picker opens), or when a form shows the files its
 * record holds. Until then the uploader holds no file and every read answers as an empty one.
 */
import { lazy, warmOn } from '../../kit/lazy.ts';
import { el } from '../format.ts';
import { UPLOAD_KEYS } from '../upload-keys.ts';
import type { FieldParts, UploaderOptions } from './files.ts';
import type { UploaderWork } from './uploader.ts';

export interface Uploader extends UploaderWork {
  /** Chosen files are added from these inputs (each emptied afterwards, so the same file can come again). */
  watch: (...inputs: HTMLInputElement[]) => void;
}

const work = lazy(() => import('./uploader.ts'));

/** Loads the uploader's work now: the check-up form, which works offline, keeps it for later. */
export const preloadUploader = (): Promise<unknown> => work().catch(() => undefined);

const fieldParts = (o: UploaderOptions): FieldParts => {
  const { m } = o.c;
  const keys = o.keys ?? UPLOAD_KEYS;
  // "Keep the original": photos chosen while it is ticked go as taken; the others are made smaller on
  // the phone first (kit/photo.ts). One box per uploader, above its list, so every photo input has it
  // (a field whose markup holds the box hands it over).
  const keepBox = o.keepBox ?? el('input');
  keepBox.type = 'checkbox';
  keepBox.id = `${o.idPrefix}-keep-original`;
  keepBox.dataset.keepOriginal = '';
  if (keys.keepOriginal && !o.keepBox) {
    const keepLabel = el('label', 'keep-original');
    keepLabel.htmlFor = keepBox.id;
    keepLabel.append(keepBox, ` ${m(keys.keepOriginal)}`);
    o.list.before(keepLabel);
  }
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
  return { keepBox, setErrors };
};

export const createUploader = (o: UploaderOptions): Uploader => {
  const parts = fieldParts(o);
  const { setErrors } = parts;
  let ready: UploaderWork | undefined;
  const start = lazy(() => work().then((module) => (ready ??= module.startUploader(o, parts))));
  warmOn(o.field, start);
  // Files chosen, or a record's files to show, wait for the work in the order they came.
  let queue: Promise<unknown> = Promise.resolve();
  const later = (act: (u: UploaderWork) => void) => {
    queue = queue.then(() => start().then(act, () => setErrors([o.c.m((o.keys ?? UPLOAD_KEYS).failed)])));
  };
  const add = (files: File[]) => (ready ? ready.add(files) : later((u) => u.add(files)));
  return {
    setErrors,
    add,
    pending: () => ready?.pending() ?? [],
    mark: (u, state) => ready?.mark(u, state),
    all: () => ready?.all() ?? [],
    // Files chosen while the work was loading are waited for too.
    settled: () => queue.then(() => ready?.settled()),
    firstFailed: () => ready?.firstFailed(),
    evidenceIds: () => ready?.evidenceIds() ?? [],
    gone: (index) => ready?.gone(index),
    sync: (refs, thumb) => {
      if (ready) return ready.sync(refs, thumb);
      // Nothing was uploaded here yet: the record's files are drawn once the work has loaded.
      if (refs.length > 0) later((u) => u.sync(refs, thumb));
      return [];
    },
    watch: (...inputs) => {
      for (const input of inputs) {
        input.addEventListener('change', () => {
          add([...(input.files ?? [])]);
          input.value = '';
        });
      }
    },
    forget: (gone) => ready?.forget(gone),
    clear: () => (ready ? ready.clear() : setErrors([])),
  };
};
