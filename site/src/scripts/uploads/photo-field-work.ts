/**
 * What `<photo-field>` (photo-field.ts) loads when the user first turns to it: its uploader, told the
 * field's types and bounds (the component's data attributes), and the uploader's own work with it.
 * A module of its own, only ever loaded with `import()`, so the bundle hands it over without a
 * module-namespace helper (evidence-field.ts sits in a chunk the check-up form loads at once).
 */
import type { TypedConsole } from '../console.ts';
import { preloadUploader, type Uploader } from './deferred-uploader.ts';
import { fieldUploader } from './evidence-field.ts';

export const startPhotoField = (field: HTMLElement, c: Pick<TypedConsole, 'm' | 'token'>): Uploader => {
  const data = (field.closest('photo-field') as HTMLElement).dataset;
  void preloadUploader();
  return fieldUploader(field, {
    c,
    types: JSON.parse(data.types ?? '{}') as Record<string, string>,
    maxBytes: Number(data.maxBytes),
    maxFiles: Number(data.maxFiles),
    idPrefix: 'upload',
  });
};
