/**
 * The contacts logged for a pairing, newest first (`GET /api/staff/pairings/{id}/contacts`): when, how
 * (a qualifying mode flagged), who took part, the summary, the evidence as thumbnails, who logged it.
 */
import { api } from '../../kit/api.ts';
import { failureBox } from '../../kit/failure.ts';
import { failureText } from '../../kit/messages.ts';
import type { TypedConsole } from '../console.ts';
import { dateTime, el } from '../format.ts';
import type { Contact } from '../pairings-common.ts';
import { evidenceLinks } from '../uploads.ts';

/** What this part of the page needs from the rest of it. */
export interface ContactListContext {
  c: TypedConsole;
  pairingId: string;
  types: Record<string, string>;
  qualifying: string[];
}

export const contactList = ({ c, pairingId, types, qualifying }: ContactListContext) => {
  const { lang, m, $ } = c;
  const list = $<HTMLElement>('#contact-list');
  const evidenceItem = evidenceLinks(c, types);

  const contactCard = (contact: Contact): HTMLLIElement => {
    const item = el('li', 'card contact');
    item.dataset.contactId = contact.contactId;
    item.dataset.mode = contact.mode;
    const head = el('div', 'contact-head');
    const time = el('h3', 'contact-when', dateTime(contact.at, lang, true));
    const mode = el('span', 'badge mode-badge', m(`contactLog.mode.${contact.mode}`));
    mode.dataset.qualifying = String(qualifying.includes(contact.mode));
    head.append(time, mode);
    if (qualifying.includes(contact.mode)) head.append(el('span', 'counts-flag', m('contactLog.qualifying')));
    item.append(head);
    const people = el('p', 'contact-people');
    const colon = lang === 'zh' ? '：' : ': ';
    people.append(
      el('span', 'muted', `${m('contactLog.participants')}${colon}`),
      contact.participants.join(lang === 'zh' ? '、' : ', '),
    );
    item.append(people, el('p', 'contact-summary', contact.summary));
    if (contact.evidenceIds.length > 0) {
      const box = el('div', 'contact-evidence');
      box.append(el('p', 'evidence-label muted', m('contactLog.evidenceLabel')));
      const ul = el('ul', 'evidence-thumbs');
      for (const id of contact.evidenceIds) {
        ul.append(
          evidenceItem(
            id,
            contact.evidence?.find((ref) => ref.evidenceId === id),
          ),
        );
      }
      box.append(ul);
      item.append(box);
    }
    item.append(
      el(
        'p',
        'contact-logged muted',
        m('contactLog.loggedBy', { user: contact.loggedByName, at: dateTime(contact.loggedAt, lang, true) }),
      ),
    );
    return item;
  };

  const loadContacts = async (): Promise<void> => {
    list.setAttribute('aria-busy', 'true');
    list.replaceChildren(el('p', 'muted', m('console.loading')));
    const listed = await api('contacts.list', { params: { id: pairingId }, token: c.token });
    const { status, body: answer } = listed;
    list.removeAttribute('aria-busy');
    const contacts = listed.ok ? listed.body.contacts : undefined;
    if (status !== 200 || !Array.isArray(contacts)) {
      list.replaceChildren(
        failureBox(c.m, m('contactLog.list.failed'), failureText(c.m, status, answer), () => void loadContacts()),
      );
      return;
    }
    if (contacts.length === 0) {
      list.replaceChildren(el('p', 'muted', m('contactLog.list.empty')));
      return;
    }
    const ul = el('ul', 'contact-items');
    for (const contact of contacts) ul.append(contactCard(contact));
    list.replaceChildren(ul);
  };

  return { loadContacts };
};
