/** The fieldset around an uploader: made for a form made by script (a ledger item's move, a check-up item), or found in a page's markup (PhotoField.astro). */
import { el } from '../format.ts';
import { createUploader, type Uploader } from './deferred-uploader.ts';
import { acceptOf, type UploaderOptions } from './files.ts';

/** What an evidence fieldset's uploader is told; its parts it finds in the fieldset. */
export type FieldUploaderOptions = Omit<
  UploaderOptions,
  'field' | 'error' | 'hintId' | 'list' | 'live' | 'keepBox' | 'fallbackFocus'
>;

export interface EvidenceFieldOptions extends FieldUploaderOptions {
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
  const uploader = fieldUploader(field, o);
  uploader.watch(camera, files);
  return { field, uploader };
};

/**
 * The uploader of an evidence fieldset, made above or written in a page's markup (PhotoField.astro),
 * found by its parts: the error (`.field-error`), the list, the live region, the camera picker (where
 * the focus goes when the last file is removed) and, when the markup has it, the "keep the original" box.
 */
export const fieldUploader = (field: HTMLElement, o: FieldUploaderOptions): Uploader => {
  const part = <T extends HTMLElement>(selector: string) => field.querySelector<T>(selector) ?? undefined;
  return createUploader({
    ...o,
    field,
    error: part('.field-error') as HTMLElement,
    hintId: field.getAttribute('aria-describedby') ?? '',
    list: part('ul') as HTMLElement,
    live: part('[aria-live]') as HTMLElement,
    keepBox: part<HTMLInputElement>('[data-keep-original]'),
    fallbackFocus: () => part('input[capture]'),
  });
};
