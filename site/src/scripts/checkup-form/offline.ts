/**
 * What lets the check-up form open again without signal (issue 20: answers kept on the device must
 * still show as waiting after a reload in a basement): the last copy of the check-up and its template
 * (kit/drafts.ts), and the page itself, kept by a small service worker (`/offline-sw.js`: the network
 * first, this copy only when there is none) that serves the form's page and its files cached by
 * shell.ts.
 */

import { checkupCopyOf, keepCheckupCopy } from '../../kit/drafts.ts';
import { type Checkup, type Loaded, loadCheckup } from '../checkup-common.ts';
import type { TypedConsole } from '../console.ts';

/** The check-up from the server (its copy kept), or without an answer the copy kept before. */
export const loadOrCopy = async (c: TypedConsole, id: string): Promise<Awaited<ReturnType<typeof loadCheckup>>> => {
  const loaded = await loadCheckup(c, id);
  if (loaded.checkup && loaded.template) {
    await keepCopy(c, loaded.checkup, loaded.template);
    return loaded;
  }
  if (loaded.status !== 0) return loaded;
  const copy = await checkupCopyOf(c.me.username, id).catch(() => undefined);
  if (!copy) return loaded;
  return { ...loaded, checkup: copy.checkup as Checkup, template: copy.template as Loaded['template'] };
};

export const keepCopy = (c: TypedConsole, checkup: Checkup, template: Loaded['template']) =>
  keepCheckupCopy({ username: c.me.username, checkupId: checkup.checkupId, checkup, template }).catch(() => undefined);
