/** Attached files: their shapes, the uploader's options, and the small helpers that name, type and size them. */
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import type { UploadKeys } from '../upload-keys.ts';

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
  /** Sent as taken (the user ticked "keep original"), or made smaller on the phone first. */
  keepOriginal?: boolean;
  /** Whether the file to send is ready (made smaller, or found not to need it). */
  prepared?: boolean;
}

/** What the staff console keeps of an attached file (a contact's or a ledger move's `evidence`). */
export interface EvidenceRef {
  evidenceId: string;
  fileName: string;
  contentType: string;
}

export interface Evidence extends EvidenceRef {
  size: number;
  download: { url: string };
}

/** Content types shown as pictures (what every browser can draw). */
export const PICTURES = ['image/jpeg', 'image/png'];
/** Presigned links live five minutes: one older than this is asked for again before it opens. */
export const FRESH_MS = 4 * 60_000;
/** Extensions that name the same type as another one. */
export const EXT_ALIASES: Record<string, string> = { jpeg: 'jpg', heif: 'heic' };

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

/** What the uploader's work (uploader.ts) is handed by the part a form shows first (deferred-uploader.ts). */
export interface FieldParts {
  keepBox: HTMLInputElement;
  /** Shows the problems of the file field (none clears them). */
  setErrors: (texts: string[]) => void;
}

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
  /** The "keep the original" box when the field's markup holds one; made above the list otherwise. */
  keepBox?: HTMLInputElement;
  /** Where focus goes when the last file is removed. */
  fallbackFocus: () => HTMLElement | null | undefined;
  /** Called when a file has uploaded, and when one is removed (with the state it had). */
  onUploaded?: (u: Upload) => void;
  onRemoved?: (u: Upload) => void;
  /** An upload that failed (no signal, say): the check-up form keeps the photo on the device. */
  onFailed?: (u: Upload) => void;
}
