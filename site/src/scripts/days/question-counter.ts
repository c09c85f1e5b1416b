/**
 * The question's counter: how many characters, how many more are needed or how many too many, shown
 * at once and said to screen readers a second after typing stops.
 */
import type { Say } from '../../kit/messages.ts';

export interface CounterContext {
  m: Say;
  question: HTMLTextAreaElement;
  counter: HTMLElement;
  counterLive: HTMLElement;
  min: number;
  max: number;
}

/** Starts the counter; `count` says the question's length again (after the form is filled by script). */
export const questionCounter = ({ m, question, counter, counterLive, min, max }: CounterContext) => {
  let liveTimer: ReturnType<typeof setTimeout> | undefined;
  const count = () => {
    const n = question.value.trim().length;
    const text =
      n < min
        ? m('booking.countShort', { n, left: min - n })
        : n > max
          ? m('booking.countOver', { over: n - max, max })
          : m('booking.countOk', { n, max });
    counter.textContent = text;
    counter.dataset.state = n < min ? 'short' : n > max ? 'over' : 'ok';
    clearTimeout(liveTimer);
    liveTimer = setTimeout(() => {
      counterLive.textContent = text;
    }, 1000);
  };
  question.addEventListener('input', count);
  count();
  counterLive.textContent = '';
  return count;
};
