/**
 * `<day-share>` (DayShare.astro): the link that opens a published day on the public page, a copy
 * button and its QR code with SVG and PNG downloads. The page hands it the day it read (`show`), so
 * the day is asked for once; it stays hidden for a cancelled or past day. The QR encoder loads when
 * the code is drawn.
 */
import type { StaffDay as Day } from '../../../../shared/consultation-views.ts';
import { shanghaiDate } from '../../../../shared/time.ts';
import type { Say } from '../../kit/messages.ts';
import { saveAnswer } from '../download.ts';
import { partOf } from '../parts.ts';

export class DayShare extends HTMLElement {
  /** The day shown, so a day read again (after an edit) is not wired twice. */
  #shown = '';

  /** Shows the day's link and code if it can still be booked; a cancelled or past day is not listed publicly. */
  show(day: Day, m: Say) {
    const open = day.status === 'open' && day.date >= shanghaiDate(new Date());
    this.hidden = !open;
    if (!open || this.#shown === day.dayId) return;
    this.#shown = day.dayId;
    const url = `${location.origin}${this.dataset.publicPath}?day=${encodeURIComponent(day.dayId)}`;
    const field = partOf<HTMLInputElement>(this, '#share-url');
    const said = partOf<HTMLElement>(this, '.share-status');
    const checkIn = partOf<HTMLAnchorElement>(this, '[data-action=check-in]');
    field.value = url;
    field.addEventListener('focus', () => field.select());
    checkIn.href = `${this.dataset.checkInPath}?day=${encodeURIComponent(day.dayId)}`;
    checkIn.dataset.checkIn = day.dayId;
    this.dataset.url = url;
    partOf<HTMLButtonElement>(this, '[data-action=copy]').addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(url);
        said.textContent = m('desk.share.copied');
      } catch {
        field.focus();
        field.select();
        said.textContent = m('desk.share.copyFailed');
      }
    });
    void this.#drawCode(url, `consultation-day-${day.date}`, m, said);
  }

  async #drawCode(url: string, name: string, m: Say, said: HTMLElement) {
    const svgButton = partOf<HTMLButtonElement>(this, '[data-action=svg]');
    const pngButton = partOf<HTMLButtonElement>(this, '[data-action=png]');
    try {
      const qr = await import('../../kit/qr.ts');
      partOf(this, '[data-qr]').replaceChildren(qr.qrSvgElement(url, m('desk.share.qr')));
      svgButton.disabled = false;
      pngButton.disabled = false;
      svgButton.addEventListener('click', () => {
        void saveAnswer(new Response(new Blob([qr.qrSvgText(url)], { type: 'image/svg+xml' })), `${name}.svg`);
      });
      pngButton.addEventListener('click', async () => {
        const png = await qr.qrPng(url);
        if (png) void saveAnswer(new Response(png), `${name}.png`);
      });
    } catch {
      said.textContent = m('desk.share.qrFailed');
    }
  }
}

if (!customElements.get('day-share')) customElements.define('day-share', DayShare);

declare global {
  interface HTMLElementTagNameMap {
    'day-share': DayShare;
  }
}
