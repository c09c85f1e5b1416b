/**
 * Evidence files in the staff console, shared by the contact form, the moves of a ledger item and the
 * check-up form's items.
 *
 * `createUploader` keeps the list of chosen files of one form (its work loads when the user turns to
 * the field: deferred-uploader.ts): each is checked (type, size, how many) and uploaded at once — SHA-256 in the browser, `evidence.create` → a presigned PUT, sent
 * with XHR for its progress — with a retry and a remove button per file; the form then sends the
 * evidence ids. A form that saves by itself (the check-up) also shows the files its record holds
 * (`sync`) and marks its uploads saved. `evidenceField` builds the fieldset around one (legend, hint,
 * error, the camera and file pickers, the list). `evidenceLinks` shows saved evidence
 * (`evidence.get`, a presigned GET valid five minutes, asked for again when an older
 * link is opened): JPEG and PNG as thumbnails, other files as a badge with the name.
 *
 * Messages used (the page hands them to its script): the uploader's keys (upload-keys.ts) and
 * `EVIDENCE_LINK_KEYS`.
 */

export { createUploader, preloadUploader, type Uploader } from './uploads/deferred-uploader.ts';
export { evidenceField } from './uploads/evidence-field.ts';
export { evidenceLinks } from './uploads/evidence-links.ts';
export * from './uploads/files.ts';
