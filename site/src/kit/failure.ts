/** How a console page says that a call failed: an alert box with a button that tries again. */
import type { ApiResult } from './fetch.ts';
import { failureText, type MessageKey, type Say } from './messages.ts';

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

/** The box of an answer that failed: the message `lead`, then what its status or error code says. */
export const answerFailureBox = (
  m: Say,
  lead: MessageKey,
  answer: Pick<ApiResult, 'status' | 'body'>,
  retry: () => void,
  retryKey?: 'console.retry' | 'monthly.retry',
): HTMLElement => failureBox(m, m(lead), failureText(m, answer.status, answer.body), retry, retryKey);
