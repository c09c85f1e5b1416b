/**
 * One kept record in an outbox list (the contacts kept on a phone, the check-up answers kept on a
 * tablet): what it is, how many photos go with it and where it stands, and the buttons that drop it.
 */
import { buttonEl, el } from './format.ts';

export interface OutboxLine {
  what: string;
  /** How many photos go with it, in words; none without photos. */
  photos?: string | undefined;
  /** Where it stands, for the styles and the tests (`waiting`, `sending`, `refused`, `conflict`). */
  state: string;
  stateText: string;
}

export const outboxItem = ({ what, photos, state, stateText }: OutboxLine): HTMLLIElement => {
  const li = el('li', 'outbox-item');
  li.dataset.state = state;
  li.append(el('p', 'outbox-what', what));
  if (photos) li.append(el('p', 'outbox-files muted', photos));
  li.append(el('p', 'outbox-state', stateText));
  return li;
};

/** A small button that asks once more (the browser's confirm) before it drops what it names. */
export const askingButton = (label: string, question: string, drop: () => Promise<void>): HTMLButtonElement => {
  const button = buttonEl('button-secondary button-small', label);
  button.addEventListener('click', async () => {
    if (confirm(question)) await drop();
  });
  return button;
};
