/**
 * A message to all bookers of the day (issue 20): the text (with the element's counter), then a
 * confirmation that says how many will receive it, then `POST …/messages` `{requestId, text}`. The
 * request id is made once per text, so a second press after a lost answer (or a double click) records
 * nothing twice.
 */
import { DAY_NOTICE_MAX, NOTICE_STATUSES } from '../../../../shared/consultation-rules.ts';
import type { StaffBooking as Booking, StaffDay as Day } from '../../../../shared/consultation-views.ts';
import { api, fieldsOf } from '../../kit/api.ts';
import { failureText } from '../../kit/messages.ts';
import { onSubmit, setFieldError, type TypedConsole } from '../console.ts';
import { boundedText } from '../form-fields.ts';
import { showStatus } from '../format.ts';
import { partOf } from '../parts.ts';

export interface NoticeContext {
  c: TypedConsole;
  dayId: string;
  day: () => Day | undefined;
  /** The day's bookings as the table last read them. */
  bookings: () => Booking[];
}

/**
 * Wires the notice's two steps inside `box` (`<eco-day-notice>`, which loads this on the first "next"
 * and keeps the counter itself).
 */
export const dayNotice = ({ c, dayId, day: currentDay, bookings }: NoticeContext, box: HTMLElement) => {
  const { m, token } = c;
  const $ = <T extends HTMLElement>(selector: string) => partOf<T>(box, selector);
  const form = $<HTMLFormElement>('#notice-form');
  const text = $<HTMLTextAreaElement>('#notice-text');
  const confirm = $<HTMLFormElement>('#notice-confirm');
  const confirmText = $<HTMLElement>('#notice-confirm-text');
  const preview = $<HTMLElement>('#notice-preview');
  const send = $<HTMLButtonElement>('#notice-send');
  const status = $<HTMLElement>('#notice-status');
  const problem = $<HTMLElement>('#notice-problem');

  /** The id of the request for the text being sent; a new text gets a new one. */
  let request: { id: string; text: string } | undefined;

  /** Those whom the server will message: a seat verified and not given up, with contact data still held. */
  const recipients = () =>
    bookings().filter((b) => NOTICE_STATUSES.includes(b.status) && b.personal && currentDay()?.status === 'open')
      .length;

  /** "Next": the text checked, then the confirmation naming how many will receive it. */
  const next = () => {
    status.hidden = true;
    problem.hidden = true;
    const value = boundedText(text, 1, DAY_NOTICE_MAX, m('console.notice.err.text'));
    if (value === undefined) return;
    const n = recipients();
    if (n === 0) {
      showStatus(status, 'info', m('console.notice.none'));
      return;
    }
    if (request?.text !== value) request = { id: crypto.randomUUID(), text: value };
    confirmText.textContent = m('console.notice.confirm', { n });
    preview.textContent = value;
    confirm.hidden = false;
    confirmText.focus();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    next();
  });

  $<HTMLButtonElement>('#notice-back').addEventListener('click', () => {
    confirm.hidden = true;
    text.focus();
  });

  onSubmit(confirm, send, m('console.notice.sending'), async (busy) => {
    if (!request) return;
    const sent = request;
    const result = await busy(() =>
      api('days.message', { params: { dayId }, json: { requestId: sent.id, text: sent.text }, token }),
    );
    if (result.ok) {
      const done = result.body;
      confirm.hidden = true;
      request = undefined;
      text.value = '';
      // The element's counter follows the text's input events.
      text.dispatchEvent(new Event('input'));
      status.textContent = m(!done.complete ? 'console.notice.partial' : 'console.notice.done', {
        n: done.recipients,
      });
      status.dataset.kind = 'success';
      status.hidden = false;
      status.focus();
      return;
    }
    const { status: code, body: answer } = result;
    if (code === 400 && fieldsOf(answer).text) {
      confirm.hidden = true;
      setFieldError(text, m('console.notice.err.text'));
      text.focus();
      return;
    }
    // Anything else: the same request may be sent again (it records nothing twice).
    problem.textContent = failureText(m, code, answer);
    problem.hidden = false;
    problem.focus();
  });
  return { next };
};
