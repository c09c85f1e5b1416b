/**
 * Staff console, the contact form of one pairing (`?id=<pairingId>`), for a phone in the field.
 * The firm's card shows its address (directions), contact person (tap to call) and the last contact
 * in short. As soon as the page opens, and again when the time changes, the firm's contacts of the
 * 7 days before that time are read (contact/repeat-warning.ts) and the repeated-visit warning shows
 * before anything is saved. Each chosen file is checked (type, 20 MB) and uploaded at once by the
 * photo field (`<photo-field>`, uploads/photo-field.ts: SHA-256 in the browser, `evidence.create` → a
 * presigned PUT, sent with XHR for its progress). Saving sends `contacts.create` with the evidence ids.
 * The firm's card is contact/pairing-card.ts; after a save, the next firm to visit is
 * contact/next-firm.ts. The pairing's contacts (`GET …/contacts`) are listed below with their evidence
 * (`<contact-list>`, contact/contact-list.ts).
 *
 * Without signal (the browser offline, or the save's answer never came) the contact is kept on the
 * phone with its photos (contact/outbox.ts) and sent when the network is back; every form carries a
 * request id made here, so the server makes one contact however often it is sent.
 */

import type { ContactMode } from '../../../shared/pairing-rules.ts';
import { api, errorCodeOf, fieldsOf } from '../kit/api.ts';
import { type ContactDraft, draftsAvailable, saveDraft } from '../kit/drafts.ts';
import { lazy } from '../kit/lazy.ts';
import { failureText } from '../kit/messages.ts';
import {
  clearFieldErrors,
  hideSummary,
  localToIso,
  type Problem,
  runConsolePage,
  setFieldError,
  showSummary,
  type TypedConsole,
} from './console.ts';
import type { ContactList } from './contact/contact-list.ts';
import { contactFields } from './contact/fields.ts';
import type { ContactOutbox } from './contact/outbox.ts';
import type { PairingCard } from './contact/pairing-card.ts';
import { repeatWarning } from './contact/repeat-warning.ts';
import { buttonEl, el } from './format.ts';
import { type Contact, keepQueryOnLangSwitch } from './pairings-common.ts';
import type { PhotoField } from './uploads/photo-field.ts';
// The page's elements, defined here (one module entry less per page than a script in each component).
import './contact/contact-list.ts';
import './contact/outbox.ts';
import './contact/pairing-card.ts';
import './uploads/photo-field.ts';

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { m, $ } = c;
  const problemBox = $<HTMLElement>('#contact-problem');
  const body = $<HTMLElement>('#console-body');
  const pairingId = new URLSearchParams(location.search).get('id') ?? '';
  keepQueryOnLangSwitch();

  const fail = (text: string, retry?: () => void) => {
    problemBox.replaceChildren(el('p', undefined, text));
    if (retry) {
      const button = buttonEl('button-secondary button-small', m('console.retry'));
      button.addEventListener('click', () => {
        problemBox.hidden = true;
        retry();
      });
      problemBox.append(button);
    }
    problemBox.hidden = false;
    problemBox.focus();
  };

  if (!/^[A-Za-z0-9-]{1,64}$/.test(pairingId)) {
    fail(m('contactLog.missing'));
    return;
  }

  // ---- the pairing ----

  const qualifying = (root.dataset.qualifying ?? 'visit video').split(' ');
  const card = root.querySelector('pairing-card') as PairingCard;
  card.init(c, pairingId);
  /** Reads the pairing: the form shows for one not ended; false when it cannot be shown (said why). */
  const loadPairing = async (): Promise<boolean> => {
    const read = await card.load();
    if (!read) return false;
    if ('failed' in read) {
      fail(read.failed, read.retry ? () => void start() : undefined);
      return false;
    }
    const ended = read.shown.status === 'ended';
    $<HTMLElement>('#contact-ended').hidden = !ended;
    $<HTMLElement>('#contact-new').hidden = ended;
    return true;
  };

  const contactList = root.querySelector('contact-list') as ContactList;
  contactList.init(c, pairingId);
  const loadContacts = () => contactList.load();

  // ---- the form ----

  const form = $<HTMLFormElement>('#contact-form');
  const summaryBox = $<HTMLElement>('#contact-errors');
  const at = $<HTMLInputElement>('#contact-at');
  const modeSet = $<HTMLFieldSetElement>('#contact-mode');
  const modeError = $<HTMLElement>('#contact-mode-error');
  const participants = $<HTMLInputElement>('#contact-participants');
  const summary = $<HTMLTextAreaElement>('#contact-summary');
  const counter = $<HTMLElement>('#contact-summary-count');
  // The annual service items this visit counts under (ServiceItemTags.astro), optional.
  const tags = $<HTMLElement & { value: string[]; clear(): void }>('#contact-tags');
  // The photos and documents (PhotoField.astro): their uploader loads when the user turns to them.
  const uploader = form.querySelector('photo-field') as PhotoField;
  uploader.init(c);
  const submit = $<HTMLButtonElement>('#contact-form button[type=submit]');
  const submitLabel = submit.textContent ?? '';
  const result = $<HTMLElement>('#contact-result');
  const modeInputs = [...form.querySelectorAll<HTMLInputElement>('input[name=mode]')];
  const firstMode = modeInputs[0] as HTMLInputElement;

  const checks = contactFields({ m, at, modeSet, modeError, modeInputs, participants, summary, counter });

  // ---- the repeated-visit warning, before saving ----

  const checkRepeat = repeatWarning(c, $<HTMLElement>('#contact-repeat'), at, pairingId);

  // Photos taken but not saved with a contact would be lost on leaving: the browser asks first.
  window.addEventListener('beforeunload', (event) => {
    if (uploader.all().length > 0 && !sending) event.preventDefault();
  });

  // ---- saving ----

  const problems = (): Problem[] => {
    const found: Problem[] = [];
    const time = checks.timeProblem();
    if (time) found.push({ control: at, text: time });
    if (!checks.modeValue()) found.push({ control: firstMode, text: m('contactLog.err.mode') });
    const who = checks.participantsProblem();
    if (who) found.push({ control: participants, text: who });
    const what = checks.summaryProblem();
    if (what) found.push({ control: summary, text: what });
    return found;
  };

  const show = (found: Problem[], other?: string) => {
    setFieldError(at, found.find((p) => p.control === at)?.text);
    checks.setModeError(found.find((p) => p.control === firstMode)?.text);
    setFieldError(participants, found.find((p) => p.control === participants)?.text);
    setFieldError(summary, found.find((p) => p.control === summary)?.text);
    showSummary(summaryBox, m(other ? 'console.problemTitle' : 'console.errorsTitle'), found, other ?? '');
  };

  const busy = (label: string | undefined) => {
    submit.disabled = label !== undefined;
    submit.textContent = label ?? submitLabel;
    if (label) form.setAttribute('aria-busy', 'true');
    else form.removeAttribute('aria-busy');
  };

  $<HTMLButtonElement>('#contact-again').addEventListener('click', () => {
    result.hidden = true;
    $<HTMLElement>('#contact-new').hidden = false;
    at.focus();
  });

  // What follows a save (the result box, the next firm to visit) loads once the page has opened (see
  // `start`): the form comes first, and a contact kept without signal still shows both.
  const afterSave = lazy(async () => {
    const [{ contactResult }, { showNextFirm }] = await Promise.all([
      import('./contact/result.ts'),
      import('./contact/next-firm.ts'),
    ]);
    return { box: contactResult(c, result, qualifying), showNextFirm };
  });
  /** Says the contact was saved (or, `kept`, waits on the phone); the save itself never waits on this. */
  const showResult = (contact: Contact | 'kept', quiet = false) =>
    afterSave().then(
      ({ box }) => (contact === 'kept' ? box.kept() : box.saved(contact, quiet)),
      () => undefined,
    );
  const showNext = () =>
    afterSave().then(
      ({ showNextFirm }) =>
        showNextFirm(c, $<HTMLElement>('#contact-next'), card.all, card.current?.liaison ?? c.me.username, pairingId),
      () => undefined,
    );

  /** The id of this form's contact: a new one after each contact saved or kept. */
  let requestId = crypto.randomUUID();

  const resetForm = () => {
    form.reset();
    tags.clear();
    checks.resetTime();
    firstMode.checked = true;
    uploader.clear();
    checks.countSummary();
    requestId = crypto.randomUUID();
  };

  // Said above the form while the phone has no signal: the form still saves, on the phone.
  const offlineNote = $<HTMLElement>('#contact-offline');
  const showOnline = () => {
    offlineNote.hidden = navigator.onLine;
  };
  window.addEventListener('online', showOnline);
  window.addEventListener('offline', showOnline);
  showOnline();

  /** The request id of the contact the result box says is kept on the phone. */
  let keptShown: string | undefined;
  const outbox = root.querySelector('contact-outbox') as ContactOutbox;
  outbox.init(c, async (contact, draft) => {
    const folded = $<HTMLElement>('#contact-new').hidden;
    await Promise.all([loadPairing(), loadContacts()]);
    $<HTMLElement>('#contact-new').hidden = folded;
    // The contact the page said was kept is sent now: the page says so, and a ledger item may link to it.
    if (draft.requestId === keptShown && !result.hidden) {
      keptShown = undefined;
      await showResult(contact, true);
    }
  });

  /**
   * Keeps the filled form on the phone (no signal): its fields and its photos, those uploaded with
   * their evidence ids. False when the browser cannot keep it (then the form stays as it is).
   */
  const keepDraft = async (input: ContactDraft['input']): Promise<boolean> => {
    if (!draftsAvailable()) return false;
    const draft: ContactDraft = {
      requestId,
      username: c.me.username,
      pairingId,
      firmName: card.firmName,
      savedAt: new Date().toISOString(),
      input,
      files: uploader.keptFiles(),
      state: 'waiting',
    };
    try {
      await saveDraft(draft);
    } catch {
      return false;
    }
    keptShown = requestId;
    resetForm();
    $<HTMLElement>('#contact-new').hidden = true;
    await showResult('kept');
    await outbox.paint();
    await showNext();
    return true;
  };

  let sending = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending || !card.current) return;
    result.hidden = true;
    const found = problems();
    if (found.length > 0) {
      show(found);
      return;
    }
    sending = true;
    try {
      if (uploader.pending().length > 0) busy(m('contactLog.waiting'));
      // Also files chosen while the uploader's work was still loading (they are not pending yet).
      await uploader.settled();
      const fields = () => ({
        at: localToIso(at.value),
        mode: checks.modeValue() as ContactMode,
        participants: checks.people(),
        summary: summary.value.trim(),
        ...(tags.value.length > 0 ? { serviceItems: tags.value } : {}),
      });
      // No signal: the contact waits on the phone, its photos with it.
      if (!navigator.onLine && (await keepDraft(fields()))) return;
      const failed = uploader.firstFailed();
      if (failed) {
        const control =
          failed.item.querySelector<HTMLButtonElement>('[data-action=retry]:not([hidden])') ??
          failed.item.querySelector<HTMLButtonElement>('[data-action=remove]');
        show([{ control, text: m('contactLog.err.uploads') }]);
        return;
      }
      clearFieldErrors(form);
      checks.setModeError(undefined);
      hideSummary(summaryBox);
      busy(m('contactLog.submitting'));
      const input = { ...fields(), evidenceIds: uploader.evidenceIds(), requestId };
      const create = () => api('contacts.create', { params: { id: pairingId }, json: input, token: c.token });
      let answer = await create();
      // A concurrent contact moved the pairing's version on: nothing was written, so once more.
      if (answer.status === 409 && errorCodeOf(answer.body) === 'VERSION_CONFLICT') {
        answer = await create();
      }
      // No answer (the signal went, or the answer was lost): kept on the phone and sent again with the
      // same request id, so a contact that did arrive is not made twice.
      if (answer.status === 0 && (await keepDraft(fields()))) return;
      const { status, body: reply } = answer;
      // The answer's `warnings` are the repeated visits the form showed before saving.
      if (answer.ok && answer.body.contact) {
        resetForm();
        $<HTMLElement>('#contact-new').hidden = true;
        await showResult(answer.body.contact);
        await Promise.all([loadPairing(), loadContacts(), checkRepeat()]);
        // loadPairing shows the form again for a pairing not ended: it stays folded behind "again".
        $<HTMLElement>('#contact-new').hidden = true;
        await showNext();
        return;
      }
      if (status === 401) return;
      if (status === 400) {
        const fields = fieldsOf(reply);
        const byField: Record<string, Problem> = {
          at: {
            control: at,
            text: /future/i.test(fields.at ?? '')
              ? m('contactLog.err.future', { now: checks.nowLocal().replace('T', ' ') })
              : m('contactLog.err.at'),
          },
          mode: { control: firstMode, text: m('contactLog.err.mode') },
          participants: { control: participants, text: m('contactLog.err.participants') },
          summary: { control: summary, text: m('contactLog.err.summary') },
          evidenceIds: { control: uploader.picker, text: m('contactLog.err.uploads') },
          serviceItems: { control: tags.querySelector('input'), text: fields.serviceItems ?? '' },
        };
        const mapped = Object.keys(fields).map((key) => {
          // `evidenceIds.2`: that file's upload is gone (expired, or never arrived): it must go again.
          const [head, index] = key.split('.');
          const upload = head === 'evidenceIds' && index !== undefined ? uploader.gone(Number(index)) : undefined;
          if (upload) {
            return {
              control: upload.item.querySelector<HTMLElement>('[data-action=retry]'),
              text: m('contactLog.err.fileGone', { name: upload.fileName }),
            };
          }
          return byField[head ?? ''] ?? { text: `${key}: ${fields[key]}` };
        });
        show(mapped.length > 0 ? mapped : [{ text: m('error.VALIDATION_FAILED') }]);
        return;
      }
      if (status === 409 && errorCodeOf(reply) === 'INVALID_TRANSITION') {
        await loadPairing();
      }
      if (errorCodeOf(reply) === 'EVIDENCE_TAKEN') {
        show([{ control: uploader.picker, text: m('contactLog.err.uploads') }]);
        return;
      }
      show([], failureText(c.m, status, reply));
    } finally {
      sending = false;
      busy(undefined);
    }
  });

  // ---- start ----

  const start = async () => {
    if (!(await loadPairing())) return;
    body.hidden = false;
    checks.resetTime();
    checks.countSummary();
    await Promise.all([loadContacts(), checkRepeat()]);
    // What waits on this phone from before (this firm's or another's) goes now, if there is signal.
    await outbox.paint();
    void outbox.flush();
    // The form works without signal (a photo taken in a basement is kept with the contact): what loads
    // on first use (the photo field's uploader, the sending of a kept contact, what follows a save) is
    // loaded now while there is signal; the list's cards came with the list above.
    void uploader.preload();
    void outbox.preload();
    void afterSave().catch(() => undefined);
  };
  await start();
};

runConsolePage(run, ['liaison', 'lead', 'admin'], { revealsBody: true });
