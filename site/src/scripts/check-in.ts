/**
 * Check-in at the door (issue 20), `?day=<dayId>`: a typed or scanned booking code is looked up among
 * this day's bookings (`GET …/consultation-days/{dayId}/bookings`, every page) before anything is
 * sent, so a code of another day is never marked here; a confirmed booking is then marked attended
 * (`POST /api/staff/bookings/{code}/attendance`). One already attended answers "checked in at …" (the
 * time from its audit event), not an error; a no-show is changed only on the day page, with a
 * reason. The API's refusals are shown by their code (409 `TOO_EARLY` before the day).
 */
import { BOOKING_CODE } from '../../../shared/booking-code.ts';
import type { StaffBooking as Booking, StaffDay as Day } from '../../../shared/consultation-views.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { api, errorCodeOf } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { buttonEl, dateTime, dayLabel, el, timeRange } from './format.ts';

/** What the desk shows of a booking: the attendance answer carries it without the personal data. */
type Shown = Omit<Booking, 'personal'>;

/** What a scanned or typed text holds as a code: the code itself, or a link's `?code=`; spaces, dashes and case ignored. */
export const codeIn = (text: string): string => {
  const trimmed = text.trim();
  let raw = trimmed;
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      raw = new URL(trimmed).searchParams.get('code') ?? '';
    } catch {
      raw = '';
    }
  }
  return raw.toUpperCase().replace(/[\s-]/g, '');
};

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorClass = new (options: { formats: string[] }) => Detector;

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, token, $ } = c;
  const problem = $<HTMLElement>('#check-in-problem');
  const body = $<HTMLElement>('#console-body');
  const form = $<HTMLFormElement>('#check-in-form');
  const input = $<HTMLInputElement>('#check-in-code');
  const submit = $<HTMLButtonElement>('#check-in-form button[type=submit]');
  const scan = $<HTMLButtonElement>('#check-in-scan');
  const camera = $<HTMLElement>('#check-in-camera');
  const video = $<HTMLVideoElement>('#check-in-video');
  const result = $<HTMLElement>('#check-in-result');
  const recent = $<HTMLElement>('#check-in-recent');
  const dayId = new URLSearchParams(location.search).get('day')?.slice(0, 64) ?? '';

  const stop = (text: string, retry?: () => void) => {
    problem.replaceChildren(el('p', undefined, text));
    if (retry) {
      const again = buttonEl('button-secondary button-small', m('console.retry'));
      again.addEventListener('click', retry);
      problem.append(again);
    }
    problem.hidden = false;
    problem.focus();
  };
  if (!dayId) return stop(m('desk.checkIn.missingDay'));

  const dayAnswer = await api('days.get', { params: { dayId }, token });
  if (!dayAnswer.ok) {
    if (dayAnswer.status === 401) return;
    return stop(`${m('desk.checkIn.dayFailed')} ${failureText(m, dayAnswer.status, dayAnswer.body)}`, () =>
      location.reload(),
    );
  }
  const day: Day = dayAnswer.body.day;
  const back = $<HTMLAnchorElement>('#check-in-back');
  back.href = `${root.dataset.dayPath}?id=${encodeURIComponent(day.dayId)}`;
  $<HTMLElement>('#check-in-day').textContent = [dayLabel(day.date, lang), day.venue].filter(Boolean).join(' · ');
  if (day.date > shanghaiDate(new Date())) {
    const early = $<HTMLElement>('#check-in-early');
    early.textContent = m('desk.checkIn.notToday', { date: dayLabel(day.date, lang) });
    early.hidden = false;
  }
  body.hidden = false;
  input.focus();

  const slotText = (b: Shown) => {
    const slot = day.slots.find((s) => s.slotId === b.slotId);
    return slot ? timeRange(slot.startsAt, slot.endsAt) : '';
  };

  /** This day's booking with `code` (undefined when the day has none), or the failed answer. */
  const bookingOf = async (code: string): Promise<Booking | undefined | { status: number; body: unknown }> => {
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const answer = await api('days.bookings', { params: { dayId }, query: { limit: 200, cursor }, token });
      if (!answer.ok) return answer;
      const booking = answer.body.bookings.find((b) => b.code === code);
      if (booking) return booking;
      cursor = answer.body.nextCursor ?? undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  };

  /** When the booking was last marked attended, from its audit events (undefined when unknown). */
  const attendedAt = async (code: string): Promise<string | undefined> => {
    const answer = await api('audit.list', { query: { entity: `booking:${code}`, limit: 50 }, token });
    if (!answer.ok) return undefined;
    return answer.body.events
      .filter((e) => e.action === 'booking.attendance' && e.after?.status === 'attended')
      .map((e) => e.at)
      .sort()
      .at(-1);
  };

  const show = (kind: 'done' | 'already' | 'problem', title: string, b?: Shown) => {
    result.dataset.kind = kind;
    result.replaceChildren(el('h2', undefined, title));
    if (b) {
      result.append(
        el('p', 'check-in-company', `${m('desk.checkIn.company')}：${b.companyName}`),
        el('p', 'check-in-slot', `${m('desk.checkIn.slot')}：${slotText(b)}`),
        el('p', 'mono hint', b.code),
      );
      result.dataset.code = b.code;
    } else {
      delete result.dataset.code;
    }
    result.hidden = false;
  };

  const already = async (b: Shown) => {
    const at = await attendedAt(b.code);
    show('already', at ? m('desk.checkIn.already', { time: dateTime(at, lang) }) : m('desk.checkIn.alreadyNoTime'), b);
  };

  const remember = (b: Shown) => {
    const item = el('li', undefined, `${b.companyName} · ${slotText(b)}`);
    item.dataset.code = b.code;
    recent.querySelector('ol')?.prepend(item);
    recent.hidden = false;
  };

  let sending = false;
  const checkIn = async (text: string) => {
    if (sending) return;
    const code = codeIn(text);
    if (!BOOKING_CODE.test(code)) {
      show('problem', m('desk.checkIn.codeInvalid'));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    sending = true;
    submit.disabled = true;
    submit.textContent = m('desk.checkIn.submitting');
    try {
      const found = await bookingOf(code);
      if (found && !('code' in found)) {
        if (found.status !== 401) show('problem', failureText(m, found.status, found.body));
        return;
      }
      if (!found) return show('problem', m('desk.checkIn.notThisDay'));
      if (found.status === 'attended') return await already(found);
      if (found.status === 'no_show') return show('problem', m('desk.checkIn.noShow'), found);
      if (found.status !== 'confirmed') {
        return show('problem', m('desk.checkIn.notConfirmed', { status: m(`booking.status.${found.status}`) }), found);
      }
      const answer = await api('bookings.attendance', { params: { code }, json: { status: 'attended' }, token });
      const { status } = answer;
      if (answer.ok) {
        const marked = answer.body.booking;
        show('done', m('desk.checkIn.done'), marked);
        remember(marked);
        input.value = '';
        return;
      }
      if (status === 401) return;
      if (errorCodeOf(answer.body) === 'TOO_EARLY')
        return show('problem', m('desk.checkIn.tooEarly', { date: dayLabel(day.date, lang) }), found);
      // Checked in meanwhile at another door (a version conflict, or the reason a change now needs)?
      const again = await bookingOf(code);
      if (again && 'code' in again && again.status === 'attended') return await already(again);
      show('problem', failureText(m, status, answer.body), found);
    } finally {
      sending = false;
      submit.disabled = false;
      submit.textContent = m('desk.checkIn.submit');
      result.focus({ preventScroll: true });
      result.scrollIntoView({ block: 'nearest' });
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void checkIn(input.value);
  });

  // ---- the camera, where the browser reads QR codes itself ----

  const Detector = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (!Detector || !navigator.mediaDevices?.getUserMedia) return;
  scan.hidden = false;
  let stream: MediaStream | undefined;
  let timer: number | undefined;
  const stopCamera = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = undefined;
    video.srcObject = null;
    camera.hidden = true;
    scan.textContent = m('desk.checkIn.scan');
  };
  scan.addEventListener('click', async () => {
    if (stream) return stopCamera();
    try {
      const detector = new Detector({ formats: ['qr_code'] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      video.srcObject = stream;
      camera.hidden = false;
      scan.textContent = m('desk.checkIn.scanStop');
      await video.play();
      let looking = false;
      timer = window.setInterval(async () => {
        if (looking || !stream) return;
        looking = true;
        try {
          const [first] = await detector.detect(video);
          if (first?.rawValue) {
            stopCamera();
            input.value = codeIn(first.rawValue);
            await checkIn(first.rawValue);
          }
        } catch {
          // a frame the detector could not read: the next one
        } finally {
          looking = false;
        }
      }, 250);
    } catch {
      stopCamera();
      show('problem', m('desk.checkIn.cameraFailed'));
      input.focus();
    }
  });
  window.addEventListener('pagehide', stopCamera);
};

runConsolePage(run, undefined, { revealsBody: true });
