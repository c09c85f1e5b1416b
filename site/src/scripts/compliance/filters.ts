/**
 * `<eco-compliance-filters>` (ComplianceFilters.astro): the month (the last 24, stepped back and forth)
 * and the unit (one's own and each below it, indented), and a county's park. It tells the page what
 * the person chose with a `month-chosen` event; the page shows it (`show`) and marks a unit it cannot read.
 */
import type { Names } from '../../../../shared/answers.ts';
import { StatsSection } from '../charts/section.ts';
import { monthBefore, monthLabel } from '../compliance-months.ts';
import { setFieldError } from '../console.ts';
import { type ParkFilter, parkFilter } from '../park-filter.ts';
import { partOf } from '../parts.ts';
import { placePicker } from '../place-picker.ts';

export interface ComplianceChoice {
  month: string;
  code: string;
  park: string;
}

export class ComplianceFilters extends StatsSection {
  static readonly tag = 'eco-compliance-filters';

  #current = '';
  #parks: ParkFilter | undefined;
  #ensurePlace: ((code: string, name?: Names) => void) | undefined;

  get #month() {
    return partOf<HTMLSelectElement>(this, 'select[name=month]');
  }

  get #place() {
    return partOf<HTMLSelectElement>(this, 'select[name=jurisdiction]');
  }

  /** Fills the pickers up to this month and listens to them. */
  start(current: string) {
    const c = this.c;
    this.#current = current;
    const month = this.#month;
    const place = this.#place;
    for (let back = 0; back < 24; back++) month.append(this.#option(monthBefore(current, back)));
    this.#ensurePlace = placePicker(place, c.me.jurisdiction.code, c.lang, c.me.jurisdiction.name);
    const parks = parkFilter(partOf(this, 'select[name=park]'), partOf(this, '.park-field'), c);
    this.#parks = parks;
    const choose = (to: string) =>
      this.dispatchEvent(
        new CustomEvent<ComplianceChoice>('month-chosen', {
          detail: { month: to, code: place.value, park: parks.value() },
        }),
      );
    partOf(this, 'form').addEventListener('submit', (event) => {
      event.preventDefault();
      choose(month.value);
    });
    place.addEventListener('change', () => void parks.show(place.value));
    partOf(this, '.step-prev').addEventListener('click', () => choose(monthBefore(month.value)));
    partOf(this, '.step-next').addEventListener('click', () => choose(monthBefore(month.value, -1)));
  }

  /** The month and unit shown (a park of a county too); there is no month after this one to step to. */
  async show({ month, code, park }: ComplianceChoice) {
    await this.#parks?.show(code, park);
    const select = this.#month;
    if (![...select.options].some((o) => o.value === month)) select.append(this.#option(month));
    this.named(code);
    select.value = month;
    this.#place.value = code;
    partOf<HTMLButtonElement>(this, '.step-next').disabled = month >= this.#current;
    setFieldError(this.#place, undefined);
  }

  /** A unit the picker lists under the name the answer gives it. */
  named(code: string, name?: Names) {
    this.#ensurePlace?.(code, name);
  }

  /** The month in the picker: a drill-down keeps it. */
  get month(): string {
    return this.#month.value;
  }

  /** The park chosen, when the unit shown has parks ('' for all of it). */
  get park(): string {
    return this.#parks?.value() ?? '';
  }

  /** The month and unit in the pickers, as the export box asks for them. */
  get query(): URLSearchParams {
    return new URLSearchParams({ month: this.#month.value, jurisdiction: this.#place.value });
  }

  /** Says the unit cannot be read (outside one's scope, or unknown). */
  refuseUnit(text: string) {
    setFieldError(this.#place, text);
  }

  #option(month: string) {
    return new Option(monthLabel(month, this.c.lang), month);
  }
}

declare global {
  interface HTMLElementEventMap {
    'month-chosen': CustomEvent<ComplianceChoice>;
  }
}
