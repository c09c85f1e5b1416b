/**
 * The check-up form's steps: one item shown at a time (kept in the address), previous / next, the
 * jump lists' current item, and the progress (item n of total, how many answered).
 */
import type { TypedConsole } from '../console.ts';
import { keepQueryOnLangSwitch } from '../lang-switch.ts';
import type { Local } from './item-panel.ts';

export interface StepperContext {
  c: TypedConsole;
  id: string;
  total: number;
  all: () => Local[];
}

export const stepper = ({ c, id, total, all }: StepperContext) => {
  const { m, $ } = c;
  const progressText = $<HTMLElement>('#checkup-progress');
  const progressBar = $<HTMLProgressElement>('#checkup-progress-bar');
  const answeredText = $<HTMLElement>('#checkup-answered');
  const prev = $<HTMLButtonElement>('#step-prev');
  const next = $<HTMLButtonElement>('#step-next');
  const notice = $<HTMLElement>('#checkup-notice');
  const submitHeading = $<HTMLElement>('#submit-heading');
  let current = 0;

  const paintItem = (local: Local) => {
    for (const [answer, radio] of local.radios) radio.checked = local.result === answer;
    local.needs.hidden = Boolean(local.result);
    local.jumpState.textContent = m(local.result ? `checkup.result.${local.result}` : 'checkup.result.none');
    local.jump.dataset.result = local.result ?? 'none';
  };

  const paintProgress = () => {
    const answered = all().filter((l) => l.result).length;
    progressText.textContent = m('checkup.progress', { n: current + 1, total });
    answeredText.textContent = m('checkup.answered', { n: answered, total });
    progressBar.max = total;
    progressBar.value = answered;
  };

  const show = (index: number, focus: boolean, keepNotice = false) => {
    current = Math.max(0, Math.min(total - 1, index));
    for (const local of all()) {
      const on = local.index === current;
      local.panel.hidden = !on;
      if (on) local.jump.setAttribute('aria-current', 'step');
      else local.jump.removeAttribute('aria-current');
    }
    const local = all()[current] as Local;
    prev.disabled = current === 0;
    next.textContent = current === total - 1 ? `${m('checkup.submit.heading')} ↓` : `${m('checkup.next')} →`;
    if (!keepNotice) notice.hidden = true;
    paintProgress();
    history.replaceState(null, '', `?id=${encodeURIComponent(id)}&item=${encodeURIComponent(local.item.itemId)}`);
    keepQueryOnLangSwitch();
    if (focus) {
      local.panel.scrollIntoView({ block: 'start' });
      local.heading.focus({ preventScroll: true });
    }
  };

  prev.addEventListener('click', () => show(current - 1, true));
  next.addEventListener('click', () => {
    if (current < total - 1) {
      show(current + 1, true);
      return;
    }
    submitHeading.scrollIntoView({ block: 'start' });
    submitHeading.focus({ preventScroll: true });
  });

  return { paintItem, paintProgress, show };
};
