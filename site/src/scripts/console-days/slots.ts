/**
 * The new day's slot editor: one fieldset a slot (start, end, capacity), added after the last one
 * (an hour on from its end) and removed in place, with their legends and remove buttons renumbered.
 */
import type { TypedConsole } from '../console.ts';
import { buttonEl, el } from '../format.ts';

export type SlotField = 'start' | 'end' | 'capacity';

/** `edited` runs on every keystroke in a slot's input (the form re-checks the marked ones). */
export const slotEditor = (c: TypedConsole, root: HTMLElement, edited: () => void) => {
  const { m, $ } = c;
  const rows = $<HTMLElement>('#slot-rows');
  const addSlot = $<HTMLButtonElement>('#add-slot');
  const live = $<HTMLElement>('#slot-live');

  let rowSeq = 0;
  const slotRows = () => [...rows.querySelectorAll<HTMLElement>('.slot-row')];
  const inputOf = (row: HTMLElement, name: SlotField) => row.querySelector(`[name=${name}]`) as HTMLInputElement;

  const renumber = () => {
    const all = slotRows();
    all.forEach((row, i) => {
      const n = i + 1;
      const legend = row.querySelector('legend');
      if (legend) legend.textContent = m('console.slot.n', { n });
      const remove = row.querySelector<HTMLButtonElement>('[data-action=remove-slot]');
      if (remove) {
        remove.setAttribute('aria-label', m('console.slot.removeLabel', { n }));
        remove.hidden = all.length === 1;
      }
    });
  };

  const plusHour = (time: string): string => {
    const match = /^(\d{2}):(\d{2})$/.exec(time);
    if (!match) return '';
    const hour = Math.min(23, Number(match[1]) + 1);
    return `${String(hour).padStart(2, '0')}:${match[2]}`;
  };

  const addRow = (start = '', end = '', capacity = '') => {
    rowSeq += 1;
    const id = `slot-${rowSeq}`;
    const row = el('fieldset', 'slot-row');
    row.append(el('legend'));
    const cell = (name: SlotField, label: string, value: string) => {
      const wrap = el('div', 'field');
      const lab = el('label', undefined, label);
      lab.htmlFor = `${id}-${name}`;
      const input = el('input');
      input.id = `${id}-${name}`;
      input.name = name;
      input.value = value;
      if (name === 'capacity') {
        input.type = 'number';
        input.inputMode = 'numeric';
        input.min = '1';
        input.max = root.dataset.max ?? '500';
        input.step = '1';
      } else {
        input.type = 'time';
        input.step = '60';
      }
      input.required = true;
      input.addEventListener('input', () => {
        if (input.getAttribute('aria-invalid') === 'true') edited();
      });
      wrap.append(lab, input);
      return wrap;
    };
    const remove = buttonEl('button-secondary button-small slot-remove', m('console.slot.remove'));
    remove.dataset.action = 'remove-slot';
    remove.addEventListener('click', () => {
      const all = slotRows();
      const index = all.indexOf(row);
      row.remove();
      renumber();
      live.textContent = m('console.slot.removed', { n: slotRows().length });
      const next = slotRows()[Math.min(index, slotRows().length - 1)];
      (next ? inputOf(next, 'start') : addSlot).focus();
    });
    row.append(
      cell('start', m('console.slot.start'), start),
      cell('end', m('console.slot.end'), end),
      cell('capacity', m('console.slot.capacity'), capacity),
      remove,
    );
    rows.append(row);
    renumber();
    return row;
  };

  addSlot.addEventListener('click', () => {
    const last = slotRows().at(-1);
    const start = last ? inputOf(last, 'end').value : '09:00';
    const row = addRow(start, plusHour(start), last ? inputOf(last, 'capacity').value : '10');
    inputOf(row, 'start').focus();
  });

  /** Back to the one slot a new day starts with. */
  const reset = () => {
    rows.replaceChildren();
    addRow('09:00', '10:00', '10');
  };

  return { addSlot, slotRows, inputOf, reset };
};
