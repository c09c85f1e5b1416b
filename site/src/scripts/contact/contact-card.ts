/**
 * One contact of the pairing's list as a card: when, how (a qualifying mode flagged), who took part,
 * the summary, the evidence as thumbnails (with their short-lived links), who logged it. Loaded by the
 * list (contact-list.ts) once it has contacts to show.
 */
import type { TypedConsole } from '../console.ts';
import { dateTime, el } from '../format.ts';
import type { Contact } from '../pairings-common.ts';
import { evidenceLinks } from '../uploads/evidence-links.ts';

/** Makes the cards of one list: `types` are the evidence types, `qualifying` the modes that count. */
export const contactCards = (c: TypedConsole, types: Record<string, string>, qualifying: string[]) => {
  const { lang, m } = c;
  const evidenceItem = evidenceLinks(c, types);

  return (contact: Contact): HTMLLIElement => {
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
};
