/**
 * Staff console, the check-up form (`?id=<checkupId>&item=<itemId>`), for a tablet on site.
 * `GET /api/staff/checkups/{id}` → the check-up and its template; one item per screen (each a
 * `<checkup-item>`, checkup-form/item-panel.ts), shown by the `<checkup-stepper>` grouped by category
 * with previous / next and the lists of all items to jump to (the item shown is kept in the address, so
 * a reload comes back to it); the `<checkup-bar>` on top says where the form stands. This script wires
 * them to the saving. Every change is saved by itself: `PATCH …/{id}` with `{version, answers}` for
 * the items changed (a choice at once, a note after a pause, a photo once uploaded), one request at a
 * time, the answer's version sent next. Without signal the changes are kept on the device with their
 * photos and sent when it is back (checkup-form/outbox.ts); the page opens again offline from the
 * copies kept (checkup-form/offline.ts), and is not submitted while any wait. A stale version reloads
 * the check-up and says so. Photos go through the evidence uploader (uploads/: SHA-256,
 * `POST /api/staff/evidence` → a presigned PUT sent with XHR for its progress); an answer carries its
 * photos' ids, and the uploader marks them saved once it is. Submitting waits for the uploads and the
 * saves, then `POST …/{id}/submit`; unanswered items bring the first one up.
 */

import { CATEGORIES, type TemplateItem } from '../../../shared/checkups-rules.ts';
import { api, errorCodeOf, fieldsOf } from '../kit/api.ts';
import { lazy } from '../kit/lazy.ts';
import { failureText } from '../kit/messages.ts';
import {
  type Checkup,
  categoryHeading,
  checkupHref,
  evidenceLinks,
  loadCheckup,
  openCheckup,
  photoThumb,
  refsOf,
} from './checkup-common.ts';
import { aboutLine } from './checkup-form/about.ts';
import type { CheckupBar, SaveState } from './checkup-form/bar.ts';
import { type AnswerChange, answerOf, type CheckupItem, itemPanel } from './checkup-form/item-panel.ts';
import { keepCopy, loadOrCopy } from './checkup-form/offline.ts';
import { answerOutbox, keptSending } from './checkup-form/outbox.ts';
import type { CheckupStepper, Step } from './checkup-form/stepper.ts';
import type { CheckupSubmit } from './checkup-form/submit-section.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { el } from './format.ts';
import { preloadUploader } from './uploads/deferred-uploader.ts';
// The form's elements, defined here (one module entry less than a script in each component).
import './checkup-form/bar.ts';
import './checkup-form/stepper.ts';
import './checkup-form/submit-section.ts';

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { m, token, $ } = c;
  const maxBytes = Number(root.dataset.maxBytes ?? 20 * 1024 * 1024);
  const params = new URLSearchParams(location.search);
  const links = evidenceLinks(token);

  const errorText = (status: number, answer: unknown) => failureText(m, status, answer);
  const opened = await openCheckup(c, $<HTMLElement>('#checkup-problem'), loadOrCopy);
  if (!opened) return;
  const { id } = opened;
  if (opened.checkup.state === 'submitted') {
    location.replace(checkupHref(c, 'report', id));
    return;
  }
  const template = opened.template;
  let checkup: Checkup = opened.checkup;
  let version = checkup.version;

  // ---- the firm and the date ----

  const showAbout = aboutLine(c, checkup);
  showAbout(checkup);

  // ---- the items, in category order ----

  const categoryOrder = (item: TemplateItem) => CATEGORIES.indexOf(item.category);
  const ordered = template.items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => categoryOrder(a.item) - categoryOrder(b.item) || a.i - b.i)
    .map(({ item }) => item);
  const total = ordered.length;
  const usedCategories = CATEGORIES.filter((cat) => ordered.some((item) => item.category === cat));
  const headingOf = (cat: (typeof CATEGORIES)[number]) => categoryHeading(c, usedCategories.indexOf(cat), cat);
  const locals = new Map<string, CheckupItem>();
  for (const [index, item] of ordered.entries()) {
    locals.set(item.itemId, itemPanel({ c, item, index, total, heading: headingOf(item.category), maxBytes }));
  }
  const all = () => [...locals.values()];
  let stopped = false;
  /** No more changes are taken or saved (the check-up was submitted, or the session ended). */
  const halt = () => {
    stopped = true;
    for (const local of all()) local.locked = true;
  };

  // ---- showing an item, and where the form stands ----

  const bar = root.querySelector('checkup-bar') as CheckupBar;
  bar.init(c);
  const stepper = root.querySelector('checkup-stepper') as CheckupStepper;
  stepper.init(c, id, all(), headingOf);
  const show = stepper.show.bind(stepper);
  const submitSection = root.querySelector('checkup-submit') as CheckupSubmit;
  const notice = $<HTMLElement>('#checkup-notice');
  /** Says over the form what happened (focused when it must be read now); showing another item hides it. */
  const tell = (text: string, focus: boolean, link?: HTMLAnchorElement) => {
    notice.replaceChildren(el('p', undefined, text));
    if (link) notice.append(link);
    notice.hidden = false;
    if (focus) notice.focus();
  };
  const paintProgress = () => bar.progress(stepper.current, all().filter((l) => l.result).length, total);
  stepper.addEventListener('step', (event) => {
    if (!(event as Step).detail.keepNotice) notice.hidden = true;
    paintProgress();
  });
  // "Next" on the last item: on to submitting.
  stepper.addEventListener('past-end', () => submitSection.reveal());
  // An item's answer changed: saved after the item's pause (a choice at once, a note after typing).
  stepper.addEventListener('answer-change', (event) => {
    paintProgress();
    schedule((event.target as CheckupItem).item.itemId, (event as AnswerChange).detail.delay);
  });
  stepper.addEventListener('note-left', (event) => {
    const { item, result } = event.target as CheckupItem;
    if (dirty.has(item.itemId) && result) void flush();
  });

  // ---- saving ----

  const dirty = new Set<string>();
  let timer: number | undefined;
  let running: Promise<void> | undefined;
  let savedAt: Date | undefined;
  let lastError: string | undefined;
  let retryTimer: number | undefined;

  const paintSave = (state: SaveState) => bar.saveState(state, { savedAt, error: lastError });

  const sendable = () => [...dirty].filter((itemId) => locals.get(itemId)?.result);

  /** Keeps the items' answers on the device (no signal): sent, in order, when the signal is back. */
  const keepOffline = async (ids: string[]): Promise<boolean> => {
    if (!(await outbox.keep(ids))) return false;
    paintSave('kept');
    if (navigator.onLine) void outbox.flush();
    return true;
  };

  const schedule = (itemId: string, delay: number) => {
    dirty.add(itemId);
    if (!running) paintSave('pending');
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void flush(), delay);
  };

  /** One PATCH of the items changed; true when it was saved. */
  const saveOnce = async (): Promise<boolean> => {
    const ids = sendable();
    if (ids.length === 0 || stopped) return false;
    for (const itemId of ids) dirty.delete(itemId);
    window.clearTimeout(retryTimer);
    // Changes wait behind those kept on the device, in the order made (or there is no signal).
    if (outbox.holding() && (await keepOffline(ids))) return sendable().length > 0;
    paintSave('saving');
    const answers = Object.fromEntries(ids.map((itemId) => [itemId, answerOf(locals.get(itemId) as CheckupItem)]));
    const sent = await api('checkups.answer', {
      params: { id },
      method: 'PATCH',
      json: { version, answers, requestId: crypto.randomUUID() },
      token,
    });
    // No answer: kept on the device; if the save did arrive, the outbox finds it saved and sends nothing.
    const { status, body: answer } = sent;
    if (status === 0 && (await keepOffline(ids))) return false;
    const saved = sent.ok ? sent.body.checkup : undefined;
    if (saved) {
      checkup = saved;
      version = saved.version;
      void keepCopy(c, saved, template);
      savedAt = new Date();
      lastError = undefined;
      for (const itemId of ids) {
        const refs = refsOf(saved.answers[itemId]).map((r) => r.evidenceId);
        const { photos } = locals.get(itemId) as CheckupItem;
        for (const photo of photos.all()) {
          if (photo.state === 'done' && photo.evidenceId && refs.includes(photo.evidenceId)) {
            photos.mark(photo, 'saved');
          }
        }
      }
      return true;
    }
    for (const itemId of ids) dirty.add(itemId);
    if (status === 401) {
      halt();
      return false;
    }
    const code = errorCodeOf(answer);
    if (status === 409 && code === 'VERSION_CONFLICT') {
      await reload(true);
      return false;
    }
    if (status === 409 && code === 'INVALID_TRANSITION') {
      stop(m('checkup.alreadySubmitted'));
      return false;
    }
    lastError = errorText(status, answer);
    if (status === 400) {
      // A photo the API would not attach (its upload expired, or it went elsewhere) must go again.
      const fields = Object.keys(fieldsOf(answer));
      if (fields.some((f) => f.startsWith('evidenceIds'))) {
        let marked = false;
        for (const itemId of ids) {
          const { photos } = locals.get(itemId) as CheckupItem;
          for (const photo of photos.all()) {
            if (photo.state !== 'done') continue;
            photos.mark(photo, 'failed');
            marked = true;
          }
        }
        if (marked) return true;
      }
    }
    paintSave('error');
    // A network or server failure is tried again by itself; the button does it at once.
    if (status === 0 || status >= 500) retryTimer = window.setTimeout(() => void flush(), 15_000);
    return false;
  };

  /** Saves what changed (waiting for a save under way); resolves when nothing more is being sent. */
  const flush = (): Promise<void> => {
    window.clearTimeout(timer);
    if (running) return running;
    running = (async () => {
      try {
        while (await saveOnce()) {
          if (sendable().length === 0) break;
        }
        if (!lastError && !stopped && sendable().length === 0)
          paintSave(outbox.waiting() > 0 ? 'kept' : savedAt ? 'saved' : 'idle');
      } finally {
        running = undefined;
        // A change made while the last request was on its way, after a failure: sent on the next change.
        if (!lastError && !stopped && sendable().length > 0) timer = window.setTimeout(() => void flush(), 0);
      }
    })();
    return running;
  };

  bar.addEventListener('retry', () => {
    lastError = undefined;
    void flush();
  });
  window.addEventListener('online', () => {
    if (lastError) void flush();
  });

  const stop = (text: string) => {
    halt();
    window.clearTimeout(timer);
    const link = el('a', undefined, m('checkup.viewReport'));
    link.href = checkupHref(c, 'report', id);
    tell(text, true, link);
    submitSection.close();
  };

  // Leaving with a change not saved yet (or a photo still uploading): the browser asks first.
  window.addEventListener('beforeunload', (event) => {
    if (stopped) return;
    const uploading = all().some((l) => l.photos.pending().length > 0);
    if (running || sendable().length > 0 || uploading) event.preventDefault();
  });

  // ---- the check-up as stored ----

  const apply = (k: Checkup) => {
    for (const local of all()) {
      // A change not saved yet stays as typed (it goes with the next save).
      if (dirty.has(local.item.itemId)) continue;
      const answer = k.answers[local.item.itemId];
      local.result = answer?.result;
      local.note = answer?.note ?? '';
      local.noteBox.value = local.note;
      // Photos still on their way (or uploaded but not yet saved) stay; those saved before and gone now go.
      const unsaved = local.photos.sync(refsOf(answer), (ref) => photoThumb(m, links, ref));
      if (unsaved.length > 0 && local.result) dirty.add(local.item.itemId);
      local.paint();
    }
    outbox.overlay();
    for (const local of all()) local.paint();
    paintProgress();
  };

  const reload = async (conflict: boolean) => {
    const loaded = await loadCheckup(c, id);
    if (loaded.status === 401) return;
    if (!loaded.checkup) {
      lastError = errorText(loaded.status, loaded.body);
      paintSave('error');
      return;
    }
    if (loaded.checkup.state === 'submitted') {
      stop(m('checkup.alreadySubmitted'));
      return;
    }
    checkup = loaded.checkup;
    version = checkup.version;
    dirty.clear();
    lastError = undefined;
    showAbout(checkup);
    apply(checkup);
    savedAt = new Date();
    paintSave('saved');
    if (conflict) tell(m('checkup.conflict'), true);
    if (sendable().length > 0) timer = window.setTimeout(() => void flush(), 0);
  };

  // Answers kept on the device (no signal), sent when it is back.
  const outbox = answerOutbox({
    c,
    id,
    locals,
    checkup: () => checkup,
    accept: (k) => {
      checkup = k;
      version = k.version;
      void keepCopy(c, k, template);
    },
    fetchCheckup: async () => (await loadCheckup(c, id)).checkup,
    repaint: () => apply(checkup),
    stop,
  });

  // ---- submitting ----

  // The step that closes the check-up (its summary, the signature pad and the drawing's upload) is used
  // once per check-up, at the end: it loads on first use (and after the page opens, below).
  const submitStep = lazy(() =>
    import('./checkup-form/submit.ts').then((step) =>
      step.submitCheckup(
        {
          c,
          id,
          section: submitSection,
          say: (text) => tell(text, false),
          all,
          show,
          flush,
          sendable,
          reload,
          waiting: outbox.waiting,
        },
        {
          isStopped: () => stopped,
          markStopped: halt,
          lastError: () => lastError,
          running: () => running,
          version: () => version,
        },
      ),
    ),
  );
  submitSection.init(submitStep, () => errorText(0, null));

  // ---- start ----

  await outbox.refresh();
  apply(checkup);
  const wanted = params.get('item');
  const start =
    all().find((l) => l.item.itemId === wanted) ?? all().find((l) => !l.result) ?? (all()[0] as CheckupItem);
  $<HTMLElement>('#console-body').hidden = false;
  paintSave(Object.keys(checkup.answers).length > 0 ? 'saved' : 'idle');
  show(start.index, false);
  if (outbox.waiting() > 0) paintSave('kept');
  // The form works offline: what it loads on first use is loaded now, so that the copy of the page kept
  // for a reload without signal (offline.ts) holds it too.
  void Promise.all([preloadUploader(), submitStep().catch(() => undefined), keptSending().catch(() => undefined)])
    .then(() => import('./checkup-form/shell.ts'))
    .then(
      ({ keepShell }) => keepShell(c),
      () => undefined,
    );
  // What waits on this device from before goes now, if there is signal.
  void outbox.flush();
};

runConsolePage(run, ['liaison', 'lead', 'admin'], { offline: true, revealsBody: true });
