/**
 * What each section element of the two statistics pages (compliance, ledger statistics) shares: the
 * console the page hands it (`init`), and its links to a unit (`a[data-code]`) turned into a `drill`
 * event that the page answers by showing that unit without a reload. The link's href stays, so a
 * middle click or a modified click still opens the unit in a new tab.
 */
import type { TypedConsole } from '../console.ts';

export interface Drill {
  code: string;
}

export class StatsSection extends HTMLElement {
  #c: TypedConsole | undefined;
  #listening = false;

  init(c: TypedConsole) {
    this.#c = c;
  }

  /** The console: the page hands it to every section before it shows one. */
  protected get c(): TypedConsole {
    if (!this.#c) throw new Error(`${this.localName}: shown before init`);
    return this.#c;
  }

  connectedCallback() {
    if (this.#listening) return;
    this.#listening = true;
    // A table wider than a phone scrolls sideways in its box: the box takes the keyboard's focus so
    // that scrolling does not need a mouse or a finger (axe: scrollable-region-focusable).
    for (const box of this.querySelectorAll<HTMLElement>('.table-scroll')) box.tabIndex = 0;
    this.addEventListener('click', (event) => {
      const link = (event.target as Element).closest<HTMLAnchorElement>('a[data-code]');
      if (!link?.dataset.code || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      this.dispatchEvent(new CustomEvent<Drill>('drill', { bubbles: true, detail: { code: link.dataset.code } }));
    });
  }
}

declare global {
  interface HTMLElementEventMap {
    drill: CustomEvent<Drill>;
  }
}
