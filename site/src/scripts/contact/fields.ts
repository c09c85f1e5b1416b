/**
 * The contact form's fields as they check themselves: the time (not in the future, the clock's skew
 * allowed), the mode, the participants and the summary with its counter.
 */
import type { Say } from '../../kit/messages.ts';
import { isoToLocal, localToIso, setFieldError, splitTopics } from '../console.ts';

/** Clock skew allowed before a time counts as the future (the API allows two minutes). */
const FUTURE_SLACK_MS = 60_000;
const SUMMARY_MIN = 5;
const SUMMARY_MAX = 5000;

export interface FieldsContext {
  m: Say;
  at: HTMLInputElement;
  modeSet: HTMLFieldSetElement;
  modeError: HTMLElement;
  modeInputs: HTMLInputElement[];
  participants: HTMLInputElement;
  summary: HTMLTextAreaElement;
  counter: HTMLElement;
}

export const contactFields = ({
  m,
  at,
  modeSet,
  modeError,
  modeInputs,
  participants,
  summary,
  counter,
}: FieldsContext) => {
  const nowLocal = () => isoToLocal(new Date().toISOString());
  const resetTime = () => {
    at.value = nowLocal();
    at.max = at.value;
  };
  at.addEventListener('focus', () => {
    at.max = nowLocal();
  });

  const modeValue = (): string => modeInputs.find((input) => input.checked)?.value ?? '';
  const setModeError = (text: string | undefined) => {
    modeError.textContent = text ?? '';
    modeError.hidden = !text;
    modeSet.classList.toggle('field-invalid', Boolean(text));
    const ids = ['contact-mode-hint', ...(text ? ['contact-mode-error'] : [])];
    modeSet.setAttribute('aria-describedby', ids.join(' '));
  };

  const countSummary = () => {
    const n = summary.value.trim().length;
    counter.dataset.state = n > SUMMARY_MAX ? 'over' : 'ok';
    counter.textContent =
      n < SUMMARY_MIN
        ? m('booking.countShort', { n, left: SUMMARY_MIN - n })
        : n > SUMMARY_MAX
          ? m('booking.countOver', { over: n - SUMMARY_MAX, max: SUMMARY_MAX })
          : m('booking.countOk', { n, max: SUMMARY_MAX });
  };
  summary.addEventListener('input', countSummary);

  /** The problem of the time field, if any: empty, malformed or in the future. */
  const timeProblem = (): string | undefined => {
    const iso = localToIso(at.value);
    const instant = iso ? new Date(iso) : undefined;
    if (!instant || Number.isNaN(instant.getTime())) return m('contactLog.err.at');
    if (instant.getTime() > Date.now() + FUTURE_SLACK_MS) {
      return m('contactLog.err.future', { now: nowLocal().replace('T', ' ') });
    }
    return undefined;
  };
  // A time in the future is refused as soon as it is entered.
  at.addEventListener('change', () => setFieldError(at, timeProblem()));
  at.addEventListener('input', () => {
    if (at.getAttribute('aria-invalid') === 'true') setFieldError(at, timeProblem());
  });

  const people = () => splitTopics(participants.value);
  const participantsProblem = (): string | undefined => {
    const names = people();
    return names.length < 1 || names.length > 20 || names.some((name) => name.length > 50)
      ? m('contactLog.err.participants')
      : undefined;
  };
  const summaryProblem = (): string | undefined => {
    const n = summary.value.trim().length;
    return n < SUMMARY_MIN || n > SUMMARY_MAX ? m('contactLog.err.summary') : undefined;
  };
  participants.addEventListener('input', () => {
    if (participants.getAttribute('aria-invalid') === 'true') setFieldError(participants, participantsProblem());
  });
  summary.addEventListener('input', () => {
    if (summary.getAttribute('aria-invalid') === 'true') setFieldError(summary, summaryProblem());
  });
  for (const input of modeInputs) input.addEventListener('change', () => setModeError(undefined));

  return {
    nowLocal,
    resetTime,
    modeValue,
    setModeError,
    countSummary,
    timeProblem,
    people,
    participantsProblem,
    summaryProblem,
  };
};
