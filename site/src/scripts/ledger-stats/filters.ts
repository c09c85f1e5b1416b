/**
 * `<eco-stats-filters>` (StatsFilters.astro): the range's first and last month (the last MONTHS_BACK
 * months, or a preset: 3, 6, 12 months, this year), the unit (one's own and each below it, indented),
 * and a county's park. It tells the page the view chosen with a `range-chosen` event; the page shows a
 * view (`show`) and marks a unit it cannot read.
 */
import { StatsSection } from '../charts/section.ts';
import { monthBefore, monthLabel } from '../compliance-months.ts';
import { setFieldError } from '../console.ts';
import { type ParkFilter, parkFilter } from '../park-filter.ts';
import { partOf } from '../parts.ts';
import { placePicker } from '../place-picker.ts';
import type { View } from './shapes.ts';

/** How far back the month pickers reach. */
export const MONTHS_BACK = 36;
const PRESETS = ['3', '6', '12', 'year'] as const;

export class StatsFilters extends StatsSection {
  static readonly tag = 'eco-stats-filters';

  #current = '';
  #parks: ParkFilter | undefined;
  #ensurePlace: ((code: string) => void) | undefined;

  get #from() {
    return partOf<HTMLSelectElement>(this, 'select[name=from]');
  }

  get #to() {
    return partOf<HTMLSelectElement>(this, 'select[name=to]');
  }

  get #place() {
    return partOf<HTMLSelectElement>(this, 'select[name=jurisdiction]');
  }

  get #presets() {
    return [...this.querySelectorAll<HTMLButtonElement>('[data-preset]')];
  }

  /** Fills the pickers up to this month and listens to them. */
  start(current: string) {
    const c = this.c;
    this.#current = current;
    const [from, to, place] = [this.#from, this.#to, this.#place];
    for (let back = 0; back < MONTHS_BACK; back++) {
      const month = monthBefore(current, back);
      from.append(new Option(monthLabel(month, c.lang), month));
      to.append(new Option(monthLabel(month, c.lang), month));
    }
    this.#ensurePlace = placePicker(place, c.me.jurisdiction.code, c.lang, c.me.jurisdiction.name);
    const parks = parkFilter(partOf(this, 'select[name=park]'), partOf(this, '.park-field'), c);
    this.#parks = parks;
    place.addEventListener('change', () => void parks.show(place.value));
    const choose = (range: { from: string; to: string }) =>
      this.dispatchEvent(
        new CustomEvent<View>('range-chosen', { detail: { ...range, code: place.value, park: parks.value() } }),
      );
    partOf(this, 'form').addEventListener('submit', (event) => {
      event.preventDefault();
      if (from.value > to.value) {
        setFieldError(from, c.m('ledgerStats.err.range'));
        from.focus();
        return;
      }
      choose({ from: from.value, to: to.value });
    });
    from.addEventListener('change', () => {
      if (from.getAttribute('aria-invalid') === 'true' && from.value <= to.value) setFieldError(from, undefined);
    });
    for (const button of this.#presets) {
      button.addEventListener('click', () => {
        const preset = button.dataset.preset ?? '';
        if ((PRESETS as readonly string[]).includes(preset)) choose(this.#presetRange(preset));
      });
    }
  }

  /** The view in the pickers (a county's parks read first), its preset pressed if it is one. */
  async show(view: View) {
    this.#ensurePlace?.(view.code);
    this.#from.value = view.from;
    this.#to.value = view.to;
    this.#place.value = view.code;
    await this.#parks?.show(view.code, view.park);
    setFieldError(this.#from, undefined);
    setFieldError(this.#place, undefined);
    for (const button of this.#presets) {
      const range = this.#presetRange(button.dataset.preset ?? '');
      button.setAttribute('aria-pressed', String(range.from === view.from && range.to === view.to));
    }
  }

  /** Says the unit cannot be read (outside one's scope, or unknown). */
  refuseUnit(text: string) {
    setFieldError(this.#place, text);
  }

  #presetRange(preset: string): { from: string; to: string } {
    const to = this.#current;
    return preset === 'year' ? { from: `${to.slice(0, 4)}-01`, to } : { from: monthBefore(to, Number(preset) - 1), to };
  }
}

declare global {
  interface HTMLElementEventMap {
    'range-chosen': CustomEvent<View>;
  }
}
