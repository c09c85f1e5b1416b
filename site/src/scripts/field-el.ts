/**
 * A form field a script makes, laid out as Field.astro renders one: the label for the control (which
 * takes `id`), an optional hint that describes it (`{id}-hint`), then the control. For the forms a page
 * builds per row: a booking's follow-up and attendance, a ledger item's moves.
 */
import { el } from './format.ts';

export const fieldEl = (id: string, label: string, control: HTMLElement, hint?: string): HTMLDivElement => {
  const wrap = el('div', 'field');
  const labelEl = el('label', undefined, label);
  control.id = id;
  labelEl.htmlFor = id;
  wrap.append(labelEl);
  if (hint) {
    const p = el('p', 'hint', hint);
    p.id = `${id}-hint`;
    control.setAttribute('aria-describedby', p.id);
    wrap.append(p);
  }
  wrap.append(control);
  return wrap;
};
