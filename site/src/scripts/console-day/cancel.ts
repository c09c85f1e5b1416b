/**
 * Cancelling the day, once confirmed with a reason (`<eco-day-cancel>`, DayCancel.astro, loads this on
 * first use): `POST …/cancel` with the version read. A 202 means bookings are still being cancelled:
 * the same request is sent again and goes on where it stopped.
 */
import type { StaffDay as Day } from '../../../../shared/consultation-views.ts';
import { api, errorCodeOf } from '../../kit/api.ts';
import { failureText } from '../../kit/messages.ts';
import type { TypedConsole } from '../console.ts';
import { boundedText } from '../form-fields.ts';

/** What the element needs from the page. */
export interface CancelContext {
  c: TypedConsole;
  dayId: string;
  day: () => Day | undefined;
  /** Shown when the day changed meanwhile (VERSION_CONFLICT), with its reload button. */
  conflict: HTMLElement;
  /** The day as the cancellation left it, and how many bookings it cancelled. */
  onCancelled: (day: Day, cancelledBookings: number) => void;
}

/** The element's own parts the request reads and answers in. */
export interface CancelParts {
  form: HTMLFormElement;
  reason: HTMLTextAreaElement;
  problem: HTMLElement;
  yes: HTMLButtonElement;
}

export const sendCancel = async (
  { c, dayId, day: currentDay, conflict, onCancelled }: CancelContext,
  { form, reason: reasonBox, problem, yes }: CancelParts,
): Promise<void> => {
  const { m, token } = c;
  const day = currentDay();
  if (!day) return;
  problem.textContent = '';
  const reason = boundedText(reasonBox, 2, 500, m('console.err.reason'));
  if (reason === undefined) return;
  yes.disabled = true;
  yes.textContent = m('console.cancel.cancelling');
  const send = () => api('days.cancel', { params: { dayId }, json: { reason, version: day.version }, token });
  let result = await send();
  let cancelledBookings = result.ok ? result.body.cancelledBookings : 0;
  for (let rounds = 0; result.status === 202 && rounds < 30; rounds++) {
    result = await send();
    if (result.ok) cancelledBookings += result.body.cancelledBookings;
  }
  yes.disabled = false;
  yes.textContent = m('console.cancel.yes');
  if (result.ok && result.status === 200) {
    onCancelled(result.body.day, cancelledBookings);
    return;
  }
  if (errorCodeOf(result.body) === 'VERSION_CONFLICT') {
    form.hidden = true;
    conflict.hidden = false;
    conflict.focus();
    return;
  }
  problem.textContent = failureText(m, result.status, result.body);
  problem.focus();
};
