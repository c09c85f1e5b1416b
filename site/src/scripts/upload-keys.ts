/**
 * The messages of an evidence uploader (`createUploader` in uploads.ts), by what each says. A page lists
 * them in its `data-msg` (`uploadKeyList`) and its script hands the same map to the uploader, so the two
 * cannot drift apart.
 */
import type { MessageKey } from '../../../shared/i18n.ts';

export interface UploadKeys {
  /** A file's state: preparing (SHA-256), uploading (`{pct}`), uploaded, failed. */
  hashing: MessageKey;
  uploading: MessageKey;
  done: MessageKey;
  failed: MessageKey;
  /** Held by its saved record (a form that saves by itself marks its files so); none: never said. */
  saved?: MessageKey;
  /** A file's two buttons, and what they say to a screen reader (`{name}`); its progress bar's name. */
  retry: MessageKey;
  retryLabel: MessageKey;
  remove: MessageKey;
  removeLabel: MessageKey;
  progress: MessageKey;
  /** Said in the live region: files added (`{n}`), one removed (`{name}`), and (when given) all uploaded. */
  added: MessageKey;
  removed: MessageKey;
  allDone?: MessageKey;
  /** Why a chosen file was refused (`{name}`), too many files, and a browser that cannot hash. */
  fileType: MessageKey;
  fileEmpty: MessageKey;
  fileSize: MessageKey;
  tooMany: MessageKey;
  noCrypto: MessageKey;
  /** The "keep the original" box over the list (photos are made smaller unless it is ticked); none: no box. */
  keepOriginal?: MessageKey;
}

/** Photos and documents of a contact. */
export const UPLOAD_KEYS: UploadKeys = {
  hashing: 'contactLog.file.hashing',
  uploading: 'contactLog.file.uploading',
  done: 'contactLog.file.done',
  failed: 'contactLog.file.failed',
  retry: 'contactLog.file.retry',
  retryLabel: 'contactLog.file.retryLabel',
  remove: 'contactLog.file.remove',
  removeLabel: 'contactLog.file.removeLabel',
  progress: 'contactLog.file.progress',
  added: 'contactLog.file.added',
  removed: 'contactLog.file.removed',
  allDone: 'contactLog.file.allDone',
  fileType: 'contactLog.err.fileType',
  fileEmpty: 'contactLog.err.fileEmpty',
  fileSize: 'contactLog.err.fileSize',
  tooMany: 'contactLog.err.tooMany',
  noCrypto: 'contactLog.err.noCrypto',
  keepOriginal: 'field.photo.keepOriginal',
};

/** Photos and documents of a ledger move: as a contact's, with fewer files. */
export const LEDGER_UPLOAD_KEYS: UploadKeys = { ...UPLOAD_KEYS, tooMany: 'ledgerEvidence.tooMany' };

/** Photos of a check-up item, saved with its answer. */
export const CHECKUP_UPLOAD_KEYS: UploadKeys = {
  hashing: 'checkup.photo.hashing',
  uploading: 'checkup.photo.uploading',
  done: 'checkup.photo.uploaded',
  saved: 'checkup.photo.saved',
  failed: 'checkup.photo.failed',
  retry: 'checkup.photo.retry',
  retryLabel: 'checkup.photo.retryLabel',
  remove: 'checkup.photo.remove',
  removeLabel: 'checkup.photo.removeLabel',
  progress: 'checkup.photo.progress',
  added: 'checkup.photo.added',
  removed: 'checkup.photo.removed',
  fileType: 'checkup.err.fileType',
  fileEmpty: 'checkup.err.fileEmpty',
  fileSize: 'checkup.err.fileSize',
  tooMany: 'checkup.err.tooMany',
  noCrypto: 'checkup.err.noCrypto',
  keepOriginal: 'field.photo.keepOriginal',
};

/** What `evidenceLinks` (uploads.ts) shows while a saved file's link loads, and when it cannot. */
export const EVIDENCE_LINK_KEYS = {
  loading: 'contactLog.evidence.loading',
  failed: 'contactLog.evidence.failed',
} as const satisfies Record<string, MessageKey>;

/** The keys of an uploader, for a page's `data-msg`. */
export const uploadKeyList = (keys: UploadKeys): MessageKey[] =>
  Object.values(keys).filter((key): key is MessageKey => key !== undefined);
