/**
 * The "follow-up" button of an attended booking. The form behind it (follow-up.ts, 2.6 KB gzip) loads
 * on the first press: most visits to a day only mark attendance.
 */
import type { StaffBooking as Booking } from '../../../../shared/consultation-views.ts';
import type { Lazy } from '../../kit/lazy.ts';
import type { TypedConsole } from '../console.ts';
import { buttonEl } from '../format.ts';

/** Opens (or toggles) the follow-up of booking `b` under the row of `button`. */
export type OpenFollowUp = (b: Booking, button: HTMLButtonElement) => Promise<void>;

export const followUpButtons =
  (c: TypedConsole, form: Lazy<OpenFollowUp>, problem: HTMLElement) =>
  (b: Booking): HTMLButtonElement => {
    const { m } = c;
    const button = buttonEl('button-secondary button-small', m('console.followUp.open'));
    button.dataset.followUp = b.code;
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-label', `${m('console.followUp.open')} – ${b.companyName}`);
    button.addEventListener('click', async () => {
      const open = await form().catch(() => undefined);
      if (open) return open(b, button);
      // Offline, or a new deployment's file names: the next press tries again.
      problem.textContent = m('error.NETWORK');
      problem.hidden = false;
    });
    return button;
  };
