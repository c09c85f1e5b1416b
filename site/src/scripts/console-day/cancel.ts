/**
 * Cancelling the day: `POST …/cancel` with a reason, after a confirmation. A 202 means bookings are
 * still being cancelled: the same request is sent again and goes on where it stopped.
 */
import type { StaffDay as Day } from '../../../../shared/consultation-views.ts';
import { api, errorCodeOf } from '../../kit/api.ts';
import { failureText } from '../../kit/messages.ts';
import { setFieldError, type TypedConsole } from '../console.ts';

export interface CancelContext {
  c: TypedConsole;
  dayId: string;
  day: () => Day | undefined;
  /** Shown when the day changed meanwhile (VERSION_CONFLICT), with its reload button. */
  conflict: HTMLElement;
  /** The day as the cancellation left it, and how many bookings it cancelled. */
  onCancelled: (day: Day, cancelledBookings: number) => void;
}

export const cancelDay = ({ c, dayId, day: currentDay, conflict, onCancelled }: CancelContext) => {
  const { m, token, $ } = c;
  const cancelButton = $<HTMLButtonElement>('#cancel-day');
  const cancelForm = $<HTMLFormElement>('#cancel-confirm');
  const cancelReason = $<HTMLTextAreaElement>('#cancel-reason');
  const cancelProblem = $<HTMLElement>('#cancel-problem');
  const cancelYes = $<HTMLButtonElement>('#cancel-yes');
  const errorText = (code: number, answer: unknown) => failureText(m, code, answer);

  cancelButton.addEventListener('click', () => {
    const open = cancelForm.hidden;
    cancelForm.hidden = !open;
    cancelButton.setAttribute('aria-expanded', String(open));
    if (open) cancelReason.focus();
  });
  $<HTMLButtonElement>('#cancel-no').addEventListener('click', () => {
    cancelForm.hidden = true;
    cancelButton.setAttribute('aria-expanded', 'false');
    setFieldError(cancelReason, undefined);
    cancelProblem.textContent = '';
    cancelButton.focus();
  });
  cancelForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const day = currentDay();
    if (!day) return;
    cancelProblem.textContent = '';
    const reason = cancelReason.value.trim();
    if (reason.length < 2 || reason.length > 500) {
      setFieldError(cancelReason, m('console.err.reason'));
      cancelReason.focus();
      return;
    }
    setFieldError(cancelReason, undefined);
    cancelYes.disabled = true;
    cancelYes.textContent = m('console.cancel.cancelling');
    const send = () => api('days.cancel', { params: { dayId }, json: { reason, version: day.version }, token });
    let result = await send();
    // 202: the day is being cancelled and bookings remain; the same request goes on where it stopped.
    let cancelledBookings = result.ok ? result.body.cancelledBookings : 0;
    for (let rounds = 0; result.status === 202 && rounds < 30; rounds++) {
      result = await send();
      if (result.ok) cancelledBookings += result.body.cancelledBookings;
    }
    cancelYes.disabled = false;
    cancelYes.textContent = m('console.cancel.yes');
    if (result.ok && result.status === 200) {
      onCancelled(result.body.day, cancelledBookings);
      return;
    }
    const { status: code, body: answer } = result;
    if (errorCodeOf(answer) === 'VERSION_CONFLICT') {
      cancelForm.hidden = true;
      conflict.hidden = false;
      conflict.focus();
      return;
    }
    cancelProblem.textContent = errorText(code, answer);
    cancelProblem.focus();
  });
};
