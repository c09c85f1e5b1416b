/**
 * `<eco-place-path>` (PlacePath.astro): the units from one's own down to the one shown, each above it a
 * link (a `drill` event, see section.ts); hidden when the page shows one's own unit.
 */
import { el } from '../format.ts';
import { partOf } from '../parts.ts';
import { pathDownTo } from '../place-picker.ts';
import { StatsSection } from './section.ts';

export interface PathShown {
  scope: string;
  code: string;
  /** A unit's name as the page knows it (the answer's, one's own from the console). */
  nameOf: (code: string) => string;
  hrefOf: (code: string) => string;
}

export class PlacePath extends StatsSection {
  static readonly tag = 'eco-place-path';

  show({ scope, code, nameOf, hrefOf }: PathShown) {
    const nav = partOf(this, 'nav');
    const chain = pathDownTo(scope, code);
    partOf(nav, 'ol').replaceChildren(
      ...chain.map((at) => {
        const item = el('li');
        if (at === code) {
          const here = el('span', undefined, nameOf(at));
          here.setAttribute('aria-current', 'page');
          item.append(here);
        } else {
          const link = el('a', undefined, nameOf(at));
          link.href = hrefOf(at);
          link.dataset.code = at;
          item.append(link);
        }
        return item;
      }),
    );
    nav.hidden = chain.length < 2;
  }
}
