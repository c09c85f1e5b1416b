/**
 * How a liaison reaches a firm from the phone (issue 20): its address with a navigation link, its
 * contact person with tap-to-call, and the pairing's last contact in short. Shown on the console
 * home's to-do cards and on the contact form, built from the firm record (`GET …/enterprises/{uscc}`)
 * and the pairing (`lastContact`).
 *
 * The navigation link is Amap's URI API (`uri.amap.com/search?keyword=<address>`): the roster holds
 * addresses, not coordinates, and a marker needs coordinates; Amap is the map most phones in China
 * have, its URI opens the app when installed (`callnative=1`) and its mobile web page otherwise, on
 * iOS and Android alike. A `geo:` URI opens nothing on iOS, and Baidu's marker page wants coordinates.
 */
import type { ContactMode } from '../../../shared/pairing-rules.ts';
import type { LastContact } from '../../../shared/pairing-views.ts';
import type { Say } from './messages.ts';

export const FIRM_REACH_KEYS = [
  'field.address',
  'field.navigate',
  'field.navigateLabel',
  'field.person',
  'field.call',
  'field.callLabel',
  'field.noPerson',
  'field.last',
  'field.lastValue',
  'field.noLast',
] as const;

/** What the firm record holds of this (the enterprise answer has more). */
export interface ReachableFirm {
  name: string;
  address?: string;
  contacts?: { name: string; role?: string; mobile: string }[];
}

/** The Amap search page (app when installed) for an address; `src` names the caller, as Amap asks. */
export const mapUrl = (address: string): string =>
  `https://uri.amap.com/search?${new URLSearchParams({ keyword: address, src: 'eco-liaison', callnative: '1' })}`;

/** A `tel:` link of a mainland mobile (digits only: a stored number never carries markup into the URL). */
export const telUrl = (mobile: string): string => `tel:${mobile.replace(/[^\d+]/g, '')}`;

const node = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) => {
  const out = document.createElement(tag);
  if (className) out.className = className;
  if (text !== undefined) out.textContent = text;
  return out;
};

/**
 * The `<dl class="firm-reach">`: address and "Directions", the first contact person and "Call",
 * the last contact's time, mode and summary. `when` formats an instant; `modeName` names a mode.
 */
export const firmReach = (
  m: Say,
  firm: ReachableFirm,
  last: LastContact | null | undefined,
  when: (iso: string) => string,
  modeName: (mode: ContactMode) => string,
): HTMLDListElement => {
  const list = node('dl', 'firm-reach');
  const row = (name: string, label: string, ...value: (string | Node)[]) => {
    const div = node('div');
    div.dataset.reach = name;
    const dd = node('dd');
    dd.append(...value);
    div.append(node('dt', undefined, label), dd);
    list.append(div);
  };
  if (firm.address) {
    const go = node('a', 'reach-action', m('field.navigate'));
    go.href = mapUrl(firm.address);
    go.target = '_blank';
    go.rel = 'noopener noreferrer';
    go.setAttribute('aria-label', m('field.navigateLabel', { firm: firm.name, address: firm.address }));
    row('address', m('field.address'), node('span', 'reach-text', firm.address), go);
  }
  const person = firm.contacts?.[0];
  if (person) {
    const call = node('a', 'reach-action', m('field.call', { mobile: person.mobile }));
    call.href = telUrl(person.mobile);
    call.setAttribute('aria-label', m('field.callLabel', { name: person.name, mobile: person.mobile }));
    const who = person.role ? `${person.name} · ${person.role}` : person.name;
    row('person', m('field.person'), node('span', 'reach-text', who), call);
  } else {
    row('person', m('field.person'), node('span', 'reach-text muted', m('field.noPerson')));
  }
  if (last) {
    const head = node('span', 'reach-when', m('field.lastValue', { at: when(last.at), mode: modeName(last.mode) }));
    row('last', m('field.last'), head, node('span', 'reach-summary', last.summary));
  } else {
    row('last', m('field.last'), node('span', 'reach-text muted', m('field.noLast')));
  }
  return list;
};
