/**
 * How a page says that a call failed: the text (no connection, or the message of the answer's error
 * code) and an alert box with a button that tries again.
 */
import { errorCodeOf } from './fetch.ts';

/** A page's message lookup (`m` of the console, or of a page's `data-msg`). */
export type Say = (key: string, vars?: Record<string, string | number>) => string;

/** The message of a failed API answer (network, or the error code's message). */
export const failureText = (m: Say, status: number, answer: unknown): string =>
  m(status === 0 ? 'error.NETWORK' : `error.${errorCodeOf(answer) ?? 'INTERNAL'}`);

/**
 * An alert saying what failed (`lead`, then `text`), with a button that calls `retry`, labelled by the
 * message `retryKey` (the console's "Reload", or the monthly pages' "Try again").
 */
export const failureBox = (
  m: Say,
  lead: string,
  text: string,
  retry: () => void,
  retryKey: 'console.retry' | 'monthly.retry' = 'console.retry',
): HTMLElement => {
  const box = document.createElement('div');
  box.className = 'alert';
  box.setAttribute('role', 'alert');
  const line = document.createElement('p');
  line.textContent = `${lead} ${text}`;
  const button = document.createElement('button');
  button.className = 'button-secondary button-small';
  button.textContent = m(retryKey);
  button.type = 'button';
  button.addEventListener('click', retry);
  box.append(line, button);
  return box;
};
