/**
 * The park select of the statistics pages (issue 19): shown when the unit chosen is a county that has
 * parks, filled with them (retired ones too: past months may count them); empty value = all parks.
 */
import { levelOf } from '../../../shared/jurisdictions.ts';
import type { Park } from '../../../shared/parks.ts';
import { api } from '../kit/api.ts';
import type { TypedConsole } from './console.ts';

export interface ParkFilter {
  /** Shows the parks of `code` (hidden unless a county with parks), selecting `park` if it is one of them. */
  show: (code: string, park?: string) => Promise<void>;
  value: () => string;
}

export const parkFilter = (select: HTMLSelectElement, field: HTMLElement, c: TypedConsole): ParkFilter => {
  const lists = new Map<string, readonly Park[]>();
  const parksOf = async (county: string) => {
    const known = lists.get(county);
    if (known) return known;
    const result = await api('parks.list', { query: { county }, token: c.token });
    const parks = result.ok ? result.body.parkList.parks : [];
    lists.set(county, parks);
    return parks;
  };
  return {
    show: async (code, park) => {
      const parks = levelOf(code) === 'county' ? await parksOf(code) : [];
      const options = parks.map((p) => new Option(p.retired ? `${p.name} ${c.m('parks.retired')}` : p.name, p.id));
      select.replaceChildren(new Option(c.m('parks.filterAll'), ''), ...options);
      select.value = options.some((o) => o.value === park) ? (park ?? '') : '';
      field.hidden = options.length === 0;
    },
    value: () => (select.closest('[hidden]') ? '' : select.value),
  };
};
