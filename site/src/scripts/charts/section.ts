/**
 * What each section element of the two statistics pages (compliance, ledger statistics) shares: the
 * console the page hands it (`init`), its links to a unit (`a[data-code]`) turned into a `drill` event
 * that the page answers by showing that unit without a reload (the link's href stays, so a modified
 * click still opens the unit in a new tab), and `sectionsOf`, with which the page defines its elements
 * and finds them.
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

/** A section's class, with the tag its component writes. */
type SectionClass = (new () => StatsSection) & { readonly tag: string };

/**
 * Defines each section's element (once) under its tag, and answers the page's element of each, in the
 * order asked, handed the console. The page's one script defines them all: a module entry per element
 * would cost every page more in imports and preload lists than the elements weigh.
 */
export const sectionsOf = <const T extends readonly SectionClass[]>(
  c: TypedConsole,
  classes: T,
): { [K in keyof T]: T[K] extends new () => infer E ? E : never } => {
  const found = classes.map((Section) => {
    if (!customElements.get(Section.tag)) customElements.define(Section.tag, Section);
    const section = c.$<StatsSection>(Section.tag);
    section.init(c);
    return section;
  });
  // The elements found are those of the classes asked, in order: defined just above under their tags.
  return found as { [K in keyof T]: T[K] extends new () => infer E ? E : never };
};

declare global {
  interface HTMLElementEventMap {
    drill: CustomEvent<Drill>;
  }
}
