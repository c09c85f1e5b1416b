/**
 * What the firm's own pages (sign-in, record) share: their words, from the component's `data-msg`,
 * and a field's message shown under it (`#<id>-error`) with `aria-invalid` kept in step.
 */
import { messagesOf } from '../kit/fetch.ts';
import { fill } from './format.ts';

/** The page's messages and their lookup (`{name}` slots filled; an unknown key shows itself). */
export const firmMessages = (root: HTMLElement) => {
  const msg = messagesOf(root);
  const m = (key: string, vars: Record<string, string | number> = {}) => fill(msg[key] ?? key, vars);
  return { msg, m };
};

/** Shows `text` under `input` (none clears it); true when there is nothing to say. */
export const fieldError = (root: HTMLElement, input: HTMLElement, text: string): boolean => {
  const box = root.querySelector(`#${input.id}-error`) as HTMLElement;
  box.textContent = text;
  box.hidden = text === '';
  if (text) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  return text === '';
};
