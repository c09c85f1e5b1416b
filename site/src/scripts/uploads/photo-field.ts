/**
 * `<photo-field>` (PhotoField.astro): the contact form's photos and documents. The markup comes with the
 * page; the uploader (photo-field-work.ts: evidence-field.ts, deferred-uploader.ts with its checks
 * and messages, ~2 KB gzip, and its work uploader.ts, ~5 KB) loads when the user first turns to the
 * field or picks a file, so the form opens without it. A field page works without signal: the page calls `preload` right after it opens, so
 * a phone that loses its signal at the firm's gate still has it.
 *
 * Until the uploader has loaded the field holds no file, and every read answers as an empty one.
 */
import type { DraftFile } from '../../kit/drafts.ts';
import { lazy, warmOn } from '../../kit/lazy.ts';
import type { TypedConsole } from '../console.ts';
import type { Uploader } from './deferred-uploader.ts';
import type { Upload } from './files.ts';

const work = lazy(() => import('./photo-field-work.ts'));

export class PhotoField extends HTMLElement {
  #uploader: Uploader | undefined;
  #start: (() => Promise<Uploader>) | undefined;
  /** Files chosen wait for the uploader, in the order they came. */
  #chosen: Promise<unknown> = Promise.resolve();

  /** The camera picker: where a problem with the files sends the focus. */
  get picker(): HTMLInputElement {
    return this.querySelector('input[capture]') as HTMLInputElement;
  }

  init(c: Pick<TypedConsole, 'm' | 'token'>): void {
    const field = this.querySelector('fieldset') as HTMLFieldSetElement;
    const error = this.querySelector('.field-error') as HTMLElement;
    const start = lazy(async () => {
      const { startPhotoField } = await work();
      this.#uploader ??= startPhotoField(field, c);
      return this.#uploader;
    });
    this.#start = start;
    warmOn(this, start);
    for (const input of this.querySelectorAll<HTMLInputElement>('input[type=file]')) {
      input.addEventListener('change', () => {
        const files = [...(input.files ?? [])];
        // Emptied, so the same file can come again.
        input.value = '';
        this.#chosen = this.#chosen.then(() =>
          start().then(
            (uploader) => uploader.add(files),
            () => {
              // Not loaded (the signal went before it could): the field says so; nothing was taken.
              error.textContent = this.dataset.failed ?? '';
              error.hidden = false;
            },
          ),
        );
      });
    }
  }

  /** Loads the uploader and its work now, while there is signal. */
  async preload(): Promise<void> {
    await this.#start?.().catch(() => undefined);
  }

  all(): readonly Upload[] {
    return this.#uploader?.all() ?? [];
  }

  pending(): readonly Upload[] {
    return this.#uploader?.pending() ?? [];
  }

  /** Resolves when every file chosen (also while the uploader was loading) has uploaded or failed. */
  async settled(): Promise<void> {
    await this.#chosen;
    await this.#uploader?.settled();
  }

  firstFailed(): Upload | undefined {
    return this.#uploader?.firstFailed();
  }

  evidenceIds(): string[] {
    return this.#uploader?.evidenceIds() ?? [];
  }

  /** The file sent as the request's `evidenceIds[index]`, which the API says is gone. */
  gone(index: number): Upload | undefined {
    return this.#uploader?.gone(index);
  }

  /** Forgets every file and the field's problems (a contact saved or kept). */
  clear(): void {
    if (this.#uploader) this.#uploader.clear();
    else (this.querySelector('.field-error') as HTMLElement).hidden = true;
  }

  /** The files to keep with a contact kept on the phone: those within the size bound, uploaded ones with their ids. */
  keptFiles(): DraftFile[] {
    return this.all()
      .filter((u) => u.file && u.file.size <= Number(this.dataset.maxBytes))
      .map((u) => ({
        blob: u.file as File,
        fileName: u.fileName,
        contentType: u.contentType,
        ...(u.state === 'done' && u.evidenceId ? { evidenceId: u.evidenceId } : {}),
      }));
  }
}

if (!customElements.get('photo-field')) customElements.define('photo-field', PhotoField);
