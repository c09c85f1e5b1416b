/**
 * Contacts kept on the phone until the signal is back (issue 20: a plant's basement has no signal).
 * One IndexedDB store, `contacts`, keyed by the request id the server remembers the contact by
 * (`requestId`, contact-requests.ts), so a draft sent twice — two tabs, a crash between the answer and
 * the delete — is still one contact. A draft holds the form's fields and its photos as blobs (already
 * made smaller), each with its evidence id once uploaded, so an upload is not repeated after a crash.
 *
 * Drafts are kept per account: a phone passed to a colleague neither shows nor sends another's.
 *
 * The check-up form keeps its answers the same way (store `answers`, one record per item changed,
 * keyed by the save's request id, which the check-up's PATCH remembers), and the last copy of each
 * check-up it opened with its template (store `checkups`), so a reload without signal still shows
 * the form with what waits.
 */
import type { ContactMode } from '../../../shared/pairing-rules.ts';

export interface DraftFile {
  blob: Blob;
  fileName: string;
  contentType: string;
  /** Set once the file is uploaded (an upload expires after a day unattached: then it goes again). */
  evidenceId?: string;
}

export interface ContactDraft {
  requestId: string;
  username: string;
  pairingId: string;
  /** The firm's name as the form showed it (the list of waiting drafts shows it without the network). */
  firmName: string;
  savedAt: string;
  input: { at: string; mode: ContactMode; participants: string[]; summary: string };
  files: DraftFile[];
  /** `refused`: the server said no for good (e.g. the pairing ended); kept until the user discards it. */
  state: 'waiting' | 'refused';
  problem?: string;
}

const DB = 'eco-field';
const STORE = 'contacts';
const ANSWERS = 'answers';
const CHECKUPS = 'checkups';
type Store = typeof STORE | typeof ANSWERS | typeof CHECKUPS;

/** One answer of a check-up changed without signal, waiting to be saved (`PATCH` with `requestId`). */
export interface AnswerDraft<A = unknown> {
  requestId: string;
  username: string;
  checkupId: string;
  itemId: string;
  savedAt: string;
  /** The answer as the form had it; `evidenceIds` are the photos already uploaded. */
  answer: { result: string; note?: string; evidenceIds: string[] };
  /** The item's answer on the server when the change was made: another change since is a conflict. */
  before: A | null;
  /** Photos taken without signal, sent before the answer (each evidence id written once uploaded). */
  files: DraftFile[];
  /** `conflict`: the item changed elsewhere meanwhile; `refused`: the server said no for good. */
  state: 'waiting' | 'conflict' | 'refused';
  problem?: string;
}

/** The last copy of a check-up (and its template) the form read, for a reload without signal. */
export interface CheckupCopy {
  key: string;
  username: string;
  checkupId: string;
  checkup: unknown;
  template: unknown;
}

let opened: Promise<IDBDatabase> | undefined;

const open = (): Promise<IDBDatabase> => {
  opened ??= new Promise((resolve, reject) => {
    // Version 2 adds the check-up form's stores; a phone with version 1 keeps its contact drafts.
    const request = indexedDB.open(DB, 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'requestId' });
      if (!db.objectStoreNames.contains(ANSWERS)) db.createObjectStore(ANSWERS, { keyPath: 'requestId' });
      if (!db.objectStoreNames.contains(CHECKUPS)) db.createObjectStore(CHECKUPS, { keyPath: 'key' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      opened = undefined;
      reject(request.error);
    };
  });
  return opened;
};

const run = async <T>(
  mode: IDBTransactionMode,
  act: (store: IDBObjectStore) => IDBRequest<T>,
  name: Store = STORE,
): Promise<T> => {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const request = act(tx.objectStore(name));
    // Resolved when the transaction is durable, not just when the request answered.
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
};

/** Whether this browser can keep drafts (IndexedDB exists; a private window may still refuse to write). */
export const draftsAvailable = (): boolean => typeof indexedDB !== 'undefined';

export const saveDraft = async (draft: ContactDraft): Promise<void> => {
  await run('readwrite', (store) => store.put(draft));
};

export const deleteDraft = async (requestId: string): Promise<void> => {
  await run('readwrite', (store) => store.delete(requestId));
};

/** The account's drafts, oldest first (the order they are sent in). */
export const draftsOf = async (username: string): Promise<ContactDraft[]> => {
  if (!draftsAvailable()) return [];
  const all = (await run('readonly', (store) => store.getAll())) as ContactDraft[];
  return all.filter((d) => d.username === username).sort((a, b) => a.savedAt.localeCompare(b.savedAt));
};

// ---- the check-up form's answers ----

/**
 * Keeps an answer; the item's other waiting answers of the check-up (`replaces`) go in the same
 * transaction, so one item waits once, with its latest answer.
 */
export const saveAnswerDraft = async (draft: AnswerDraft, replaces: string[] = []): Promise<void> => {
  const db = await open();
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction(ANSWERS, 'readwrite');
    const store = tx.objectStore(ANSWERS);
    for (const id of replaces) if (id !== draft.requestId) store.delete(id);
    store.put(draft);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
};

export const deleteAnswerDraft = async (requestId: string): Promise<void> => {
  await run('readwrite', (store) => store.delete(requestId), ANSWERS);
};

/** The account's waiting answers of one check-up, oldest first (the order they are sent in). */
export const answerDraftsOf = async <A>(username: string, checkupId: string): Promise<AnswerDraft<A>[]> => {
  if (!draftsAvailable()) return [];
  const all = (await run('readonly', (store) => store.getAll(), ANSWERS)) as AnswerDraft<A>[];
  return all
    .filter((d) => d.username === username && d.checkupId === checkupId)
    .sort((a, b) => a.savedAt.localeCompare(b.savedAt));
};

export const keepCheckupCopy = async (copy: Omit<CheckupCopy, 'key'>): Promise<void> => {
  if (!draftsAvailable()) return;
  await run('readwrite', (store) => store.put({ ...copy, key: `${copy.username}/${copy.checkupId}` }), CHECKUPS);
};

export const checkupCopyOf = async (username: string, checkupId: string): Promise<CheckupCopy | undefined> => {
  if (!draftsAvailable()) return undefined;
  return (await run('readonly', (store) => store.get(`${username}/${checkupId}`), CHECKUPS)) as CheckupCopy | undefined;
};
