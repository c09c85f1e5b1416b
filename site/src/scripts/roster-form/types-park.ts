/**
 * The firm's types (checkboxes `name="types"`) and its industrial park (`name="park"`, the live parks
 * of the chosen county, issue 19) in the enterprise form. The park options follow the county select;
 * a firm's park retired since stays shown (marked) so an edit of other fields keeps it.
 */
import type { Park } from '../../../../shared/parks.ts';
import { api } from '../../kit/api.ts';
import type { TypedConsole } from '../console.ts';

export interface TypesAndPark {
  types: () => string[];
  park: () => string;
  /** Shows a firm's types and park (its county's parks loaded first). */
  fill: (firm: { county: string; types?: string[]; park?: string }) => Promise<void>;
  /** Reloads the park options for the county chosen now. */
  reload: () => Promise<void>;
  parkSelect: HTMLSelectElement | null;
}

export const typesAndPark = (form: HTMLFormElement, county: HTMLSelectElement, c: TypedConsole): TypesAndPark => {
  const boxes = () => [...form.querySelectorAll<HTMLInputElement>('input[name="types"]')];
  const select = form.querySelector<HTMLSelectElement>('select[name="park"]');
  const lists = new Map<string, readonly Park[]>();
  /** The park a shown firm has: kept as an option even when retired. */
  let kept: string | undefined;

  const parksOf = async (code: string): Promise<readonly Park[]> => {
    if (!code) return [];
    const cached = lists.get(code);
    if (cached) return cached;
    const result = await api('parks.list', { query: { county: code }, token: c.token });
    const parks = result.ok ? result.body.parkList.parks : [];
    lists.set(code, parks);
    return parks;
  };

  const reload = async () => {
    if (!select) return;
    const wanted = select.value || kept || '';
    // Until the options are there, the form reads the firm's own park (a quick save must not clear it).
    select.dataset.loading = 'true';
    const parks = await parksOf(county.value).finally(() => delete select.dataset.loading);
    const none = new Option(c.m('roster.park.none'), '');
    const options = parks
      .filter((p) => !p.retired || p.id === kept)
      .map((p) => new Option(p.retired ? `${p.name}${c.m('roster.park.retired')}` : p.name, p.id));
    select.replaceChildren(none, ...options);
    select.value = options.some((o) => o.value === wanted) ? wanted : '';
    select.disabled = options.length === 0;
  };
  county.addEventListener('change', () => void reload());

  return {
    types: () => boxes().flatMap((b) => (b.checked ? [b.value] : [])),
    park: () => (select?.dataset.loading ? (kept ?? '') : (select?.value ?? '')),
    fill: async (firm) => {
      for (const box of boxes()) box.checked = (firm.types ?? []).includes(box.value);
      kept = firm.park;
      if (select) select.value = '';
      await reload();
      if (select) select.value = firm.park ?? '';
    },
    reload,
    parkSelect: select,
  };
};
