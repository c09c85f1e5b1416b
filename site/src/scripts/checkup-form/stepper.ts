/**
 * `<checkup-stepper>` (CheckupFormPage.astro): the check-up's items, one shown at a time (kept in the
 * address), previous / next, and the lists of all items to jump to, one per category in use. It tells
 * the form when another item is shown (`step`, with whether a notice over the form stays) and when
 * "next" is pressed on the last item (`past-end`: the form goes to its submit step).
 */
import type { Category } from '../../../../shared/checkups-rules.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import { keepQueryOnLangSwitch } from '../lang-switch.ts';
import type { CheckupItem } from './item-panel.ts';

/** What `step` tells: whether the notice over the form (the items missing, say) stays. */
export type Step = CustomEvent<{ keepNotice: boolean }>;

export class CheckupStepper extends HTMLElement {
  #items: CheckupItem[] = [];
  #current = 0;
  #m: TypedConsole['m'] | undefined;
  #id = '';

  /** The index of the item shown. */
  get current(): number {
    return this.#current;
  }

  /** Places the items (in the form's order) and their jump buttons, under their categories' headings. */
  init(c: TypedConsole, checkupId: string, items: CheckupItem[], headingOf: (category: Category) => string): void {
    this.#m = c.m;
    this.#id = checkupId;
    this.#items = items;
    (this.querySelector('.checkup-items') as HTMLElement).append(...items);
    const lists = this.querySelector('.jump-lists') as HTMLElement;
    const categories = [...new Set(items.map((item) => item.item.category))];
    for (const category of categories) {
      const list = el('ol', 'checkup-jump-list');
      for (const item of items.filter((i) => i.item.category === category)) {
        const li = el('li');
        li.append(item.jump);
        list.append(li);
      }
      lists.append(el('h3', undefined, headingOf(category)), list);
    }
    const [prev, next] = this.querySelectorAll<HTMLButtonElement>('.checkup-steps button');
    prev?.addEventListener('click', () => this.show(this.#current - 1, true));
    next?.addEventListener('click', () => {
      if (this.#current < items.length - 1) this.show(this.#current + 1, true);
      else this.dispatchEvent(new CustomEvent('past-end'));
    });
    this.addEventListener('jump', (event) => this.show((event.target as CheckupItem).index, true));
  }

  /** Shows the item at `index` (focusing its heading when asked), and keeps it in the address. */
  show(index: number, focus: boolean, keepNotice = false): void {
    const m = this.#m;
    const total = this.#items.length;
    if (!m || total === 0) return;
    this.#current = Math.max(0, Math.min(total - 1, index));
    for (const item of this.#items) {
      const on = item.index === this.#current;
      item.hidden = !on;
      if (on) item.jump.setAttribute('aria-current', 'step');
      else item.jump.removeAttribute('aria-current');
    }
    const shown = this.#items[this.#current] as CheckupItem;
    const [prev, next] = this.querySelectorAll<HTMLButtonElement>('.checkup-steps button');
    if (prev) prev.disabled = this.#current === 0;
    if (next) {
      next.textContent = this.#current === total - 1 ? `${m('checkup.submit.heading')} ↓` : `${m('checkup.next')} →`;
    }
    history.replaceState(null, '', `?id=${encodeURIComponent(this.#id)}&item=${encodeURIComponent(shown.item.itemId)}`);
    keepQueryOnLangSwitch();
    this.dispatchEvent(new CustomEvent('step', { detail: { keepNotice } }));
    if (focus) {
      shown.scrollIntoView({ block: 'start' });
      shown.heading.focus({ preventScroll: true });
    }
  }
}

if (!customElements.get('checkup-stepper')) customElements.define('checkup-stepper', CheckupStepper);
