/**
 * `<pairing-roll-over>` (RollOverSection.astro): the year's roll-over, used by a lead a few times a
 * year. The element offers the years at once; the section's work (roll-over-section.ts: the list of
 * pairings to decide and the sending) loads when a manager first turns to it (lazy-section.ts), so
 * the pairings page opens without it. The page hands it the console and the people with `init`, and
 * hears `rolled-over` to read its list again, with the new year's pairings in it.
 */
import type { TypedConsole } from '../console.ts';
import { loadOnFirstTurn } from '../lazy-section.ts';
import { thisYear } from '../pairings-common.ts';
import { partOf } from '../parts.ts';
import type { People } from './people.ts';

export class RollOver extends HTMLElement {
  init(c: TypedConsole, people: People): void {
    const from = partOf<HTMLSelectElement>(this, 'select');
    const year = thisYear();
    for (const y of [year, year - 1]) from.add(new Option(String(y), String(y)));
    loadOnFirstTurn(
      this,
      async () => {
        const { rollOverSection } = await import('./roll-over-section.ts');
        rollOverSection(this, c, people);
      },
      'roll-over',
    );
  }
}

if (!customElements.get('pairing-roll-over')) customElements.define('pairing-roll-over', RollOver);

declare global {
  interface HTMLElementTagNameMap {
    'pairing-roll-over': RollOver;
  }
}
