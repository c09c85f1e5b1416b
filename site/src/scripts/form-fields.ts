/**
 * A console form's fields as its script makes and checks them: a field laid out as Field.astro renders
 * one, the check of a bounded text as it is sent, the re-check of marked fields as they are corrected
 * (marking them with console.ts `setFieldError`). Its own module, so only the pages with such forms
 * carry it (console.ts is in every console page).
 */
import { type Problem, setFieldError } from './console.ts';
import { el } from './format.ts';

/**
 * A form field a script makes (the forms a page builds per row: a booking's follow-up and attendance,
 * a ledger item's moves): the label for the control (which takes `id`), an optional hint that
 * describes it (`{id}-hint`), then the control.
 */
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

/**
 * The trimmed text of a box that must hold `min` to `max` characters (a reason, a notice), or
 * undefined with the box marked wrong by `message` and focused.
 */
export const boundedText = (
  box: HTMLInputElement | HTMLTextAreaElement,
  min: number,
  max: number,
  message: string,
): string | undefined => {
  const value = box.value.trim();
  const wrong = value.length < min || value.length > max;
  setFieldError(box, wrong ? message : undefined);
  if (!wrong) return value;
  box.focus();
  return undefined;
};

/**
 * While someone corrects marked fields: each of `controls` that is marked wrong gets its problem in
 * `found` now, or is cleared; a field not yet marked is never marked while typing.
 */
export const remarkFields = (controls: Iterable<HTMLElement>, found: Iterable<Problem>): void => {
  const problems = [...found];
  for (const control of controls) {
    if (control.getAttribute('aria-invalid') !== 'true') continue;
    setFieldError(control, problems.find((p) => p.control === control)?.text);
  }
};
