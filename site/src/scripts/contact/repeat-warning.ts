/**
 * The repeated-visit warning, before saving: the firm's contacts in the 7 days before the form's time
 * (`contacts.recent`), read when the page opens and again when the time changes. Advice, not a gate:
 * without an answer (no signal) the form still saves.
 */
import { api } from '../../kit/api.ts';
import { localToIso, type TypedConsole } from '../console.ts';
import { dateTime, el } from '../format.ts';

export const repeatWarning = (c: TypedConsole, box: HTMLElement, at: HTMLInputElement, pairingId: string) => {
  const { lang, m } = c;
  let asked = 0;
  const check = async () => {
    const mine = ++asked;
    const iso = localToIso(at.value);
    const query = iso && !Number.isNaN(new Date(iso).getTime()) ? { at: iso } : undefined;
    const answer = await api('contacts.recent', {
      params: { id: pairingId },
      ...(query ? { query } : {}),
      token: c.token,
    });
    // An older answer arriving after a newer one must not overwrite it.
    if (mine !== asked) return;
    const recent = answer.ok ? answer.body.contacts : undefined;
    if (!Array.isArray(recent)) return;
    const ul = box.querySelector('ul') as HTMLUListElement;
    ul.replaceChildren(
      ...recent.map((r) => {
        const vars = { at: dateTime(r.at, lang, true), mode: m(`contactLog.mode.${r.mode}`) };
        const li = el('li', undefined, m(r.mine ? 'field.repeat.mine' : 'field.repeat.other', vars));
        li.dataset.contactId = r.contactId;
        li.dataset.mine = String(r.mine);
        return li;
      }),
    );
    box.hidden = recent.length === 0;
  };
  at.addEventListener('change', () => void check());
  return check;
};
