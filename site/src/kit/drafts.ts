/**
 * Contacts kept on the phone until the signal is back (issue 20: a plant's basement has no signal).
 * One IndexedDB store, `contacts`, keyed by the request id the server remembers the contact by
 * (`requestId`, contact-requests.ts), so a draft sent twice — two tabs, a crash between the answer and
 * the delete — is still one contact. A draft holds the form's fields and its photos as blobs (already
 * made smaller), each with its evidence id once uploaded, so an upload is not repeated after a crash.
 *
 * Drafts are kept per account: a phone passed to a colleague neither shows nor sends another's.
 */
import type { ContactMode } from '../../../shared/pairing.ts';

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

let opened: Promise<IDBDatabase> | undefined;

const open = (): Promise<IDBDatabase> => {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: 'requestId' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      opened = undefined;
      reject(request.error);
    };
  });
  return opened;
};

const run = async <T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = act(tx.objectStore(STORE));
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
