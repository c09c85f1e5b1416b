/**
 * The box that says what became of the form: a contact saved (and whether it counts for its month,
 * with the ledger's "raise a problem" linked to it), or a contact kept on the phone until there is
 * signal (nothing to link a ledger item to yet).
 */
import { shanghaiMonth } from '../../../../shared/time.ts';
import type { TypedConsole } from '../console.ts';
import type { Contact } from '../pairings-common.ts';

export const contactResult = (c: TypedConsole, result: HTMLElement, qualifying: string[]) => {
  const { lang, m } = c;
  const title = result.querySelector('#contact-result-title') as HTMLElement;
  const counts = result.querySelector('#contact-result-counts') as HTMLElement;
  const raise = result.querySelector<HTMLElement & { link?: (ref: string | undefined) => void }>('ledger-raise');

  const monthLabel = (iso: string) => {
    const [y, mo] = shanghaiMonth(new Date(iso)).split('-').map(Number);
    return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone: 'UTC',
      year: 'numeric',
      month: 'long',
    }).format(new Date(Date.UTC(y ?? 2000, (mo ?? 1) - 1, 15)));
  };

  return {
    /** The saved contact's result; `quiet`: sent in the background (focus and scroll stay where they are). */
    saved: (contact: Contact, quiet = false) => {
      title.textContent = m('contactLog.saved');
      const mode = m(`contactLog.mode.${contact.mode}`);
      counts.textContent = qualifying.includes(contact.mode)
        ? m('contactLog.counts', { mode, month: monthLabel(contact.at) })
        : m('contactLog.notCounts', { mode });
      result.dataset.kind = 'success';
      // A problem found on this visit goes to the ledger from here, linked to the contact (issue 20).
      if (raise) {
        raise.hidden = false;
        raise.dataset.uscc = contact.uscc;
        raise.link?.(`${contact.pairingId}/${contact.contactId}`);
      }
      result.hidden = false;
      if (quiet) return;
      result.focus();
      result.scrollIntoView({ block: 'start' });
    },
    /** The contact kept on the phone (no signal). */
    kept: () => {
      title.textContent = m('field.offline.saved');
      counts.textContent = m('field.offline.savedText');
      result.dataset.kind = 'kept';
      // A ledger item links to a saved contact: this one is not saved yet.
      if (raise) raise.hidden = true;
      result.hidden = false;
      result.focus();
    },
  };
};
