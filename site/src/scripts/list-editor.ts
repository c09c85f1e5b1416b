/**
 * Saving a list edited in place (ListEditor.astro: a county's parks, the service items' catalogue) as
 * a whole at the version read, and saying what came of it in the page's status line.
 */
import { errorCodeOf } from '../kit/api.ts';
import { failureText, type MessageKey, type Say } from '../kit/messages.ts';
import type { Busy } from './console.ts';
import { showStatus } from './format.ts';

/** What a list says after a save: kept, stale (another manager saved first), refused. */
export interface ListWords {
  saved: MessageKey;
  conflict: MessageKey;
  invalid: MessageKey;
}

/**
 * Sends the list (`send`, through the form's `busy`) and says in `status` what came of it. Kept or
 * stale, the list is loaded again first, so what shows is what is stored: the manager's edits are
 * not kept over another's newer version; a refusal or a failure leaves the edits there to be sent again.
 */
export const saveList = async (
  busy: Busy,
  send: () => Promise<{ status: number; body: unknown }>,
  reload: () => Promise<void>,
  status: HTMLElement,
  m: Say,
  words: ListWords,
): Promise<void> => {
  const { status: code, body } = await busy(send);
  const stale = code === 409 && errorCodeOf(body) === 'VERSION_CONFLICT';
  if (code === 200 || stale) await reload();
  if (code === 200) showStatus(status, 'success', m(words.saved));
  else if (stale) showStatus(status, 'error', m(words.conflict));
  else showStatus(status, 'error', code === 400 ? m(words.invalid) : failureText(m, code, body));
};
