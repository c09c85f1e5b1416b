/**
 * Staff console, the contact form of one pairing (`?id=<pairingId>`), for a phone in the field.
 * The firm's card shows its address (directions), contact person (tap to call) and the last contact
 * in short. As soon as the page opens, and again when the time changes, the firm's contacts of the
 * 7 days before that time are read (`GET …/recent-contacts`) and the repeated-visit warning shows
 * before anything is saved. Each chosen file is checked (type, 20 MB) and uploaded at once
 * (`uploads.ts`: SHA-256 in the browser, `POST /api/staff/evidence` → a presigned PUT, sent with XHR
 * for its progress). Saving sends `POST /api/staff/pairings/{id}/contacts` with the evidence ids.
 * The pairing's contacts (`GET …/contacts`) are listed below with their evidence.
 *
 * Without signal (the browser offline, or the save's answer never came) the contact is kept on the
 * phone with its photos (contact/outbox.ts) and sent when the network is back; every form carries a
 * request id made here, so the server makes one contact however often it is sent.
 */

import type { ContactMode } from '../../../shared/pairing.ts';
import type { RecentContact } from '../../../shared/pairing-views.ts';
import { shanghaiMonth } from '../../../shared/time.ts';
import { api, errorCodeOf, fieldsOf } from '../kit/api.ts';
import { type ContactDraft, draftsAvailable, saveDraft } from '../kit/drafts.ts';
import { firmReach } from '../kit/firm-reach.ts';
import { failureText } from '../kit/messages.ts';
import { stillToContact } from '../kit/todo.ts';
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
import { contactList } from './contact/contacts.ts';
import { contactFields } from './contact/fields.ts';
import { contactOutbox } from './contact/outbox.ts';
import { dateTime, dayLabel, el } from './format.ts';
import {
  type Contact,
  firmOf,
  keepQueryOnLangSwitch,
  type Pairing,
  personLabel,
  type StaffUser,
  staffUsers,
} from './pairings-common.ts';
import { createUploader } from './uploads.ts';

const MAX_FILES = 20;

const run = async (root: HTMLElement, c: TypedConsole) => {
  const { lang, m } = c;
  const $ = <T extends HTMLElement>(selector: string): T => root.querySelector(selector) as T;
  const problemBox = $<HTMLElement>('#contact-problem');
  const body = $<HTMLElement>('#console-body');
  const pairingId = new URLSearchParams(location.search).get('id') ?? '';
  keepQueryOnLangSwitch();

  const fail = (text: string, retry?: () => void) => {
    problemBox.replaceChildren(el('p', undefined, text));
    if (retry) {
      const button = el('button', 'button-secondary button-small', m('console.retry'));
      button.type = 'button';
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

  let pairing: Pairing | undefined;
  /** Every pairing the caller may see, as the last read answered (the month's list is made of them). */
  let pairings: Pairing[] = [];
  let users: StaffUser[] = [];
  const maxBytes = Number(root.dataset.maxBytes ?? 20 * 1024 * 1024);
  const types = JSON.parse(root.dataset.types ?? '{}') as Record<string, string>;
  const qualifying = (root.dataset.qualifying ?? 'visit video').split(' ');
  const personOf = (username: string) =>
    username === c.me.username
      ? personLabel({ username, displayName: c.me.displayName ?? '' }, username, lang)
      : personLabel(
          users.find((u) => u.username === username),
          username,
          lang,
        );
  const when = (iso: string | null) => (iso ? dateTime(iso, lang, true) : m('pairings.never'));
  /** Just the person's name, for the short "logged by" line. */
  const nameOf = (username: string) =>
    (username === c.me.username ? c.me.displayName : users.find((u) => u.username === username)?.displayName) ||
    username;

  const showPairing = async (p: Pairing) => {
    const firm = await firmOf(c.token, p.uscc);
    const link = el('a', undefined, firm?.name ?? p.uscc);
    link.id = 'pairing-firm-link';
    link.href = `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(p.uscc)}`;
    $<HTMLElement>('#pairing-firm-name').replaceChildren(link);
    $<HTMLElement>('#pairing-uscc').textContent = p.uscc;
    const facts = $<HTMLElement>('#pairing-facts');
    facts.replaceChildren();
    const fact = (label: string, value: string | Node, name: string) => {
      const row = el('div');
      row.dataset.fact = name;
      const dd = el('dd');
      dd.append(value);
      row.append(el('dt', undefined, label), dd);
      facts.append(row);
    };
    const badge = el('span', 'badge', m(`pairings.status.${p.status}`));
    badge.dataset.status = p.status === 'active' ? 'confirmed' : p.status === 'paused' ? 'waitlisted' : 'cancelled';
    fact(m('pairings.col.status'), badge, 'status');
    fact(m('pairings.col.liaison'), personOf(p.liaison), 'liaison');
    fact(m('pairings.col.year'), m('pairings.yearValue', { year: p.serviceYear }), 'year');
    fact(m('pairings.col.lastQualifying'), when(p.lastQualifyingContactAt), 'lastQualifying');
    fact(m('pairings.col.lastContact'), when(p.lastContactAt), 'lastContact');
    if (p.endedOn) fact(m('pairings.col.endedOn'), dayLabel(p.endedOn, lang), 'endedOn');
    $<HTMLElement>('#pairing-reach').replaceChildren(
      firmReach(
        m,
        firm ?? { name: p.uscc },
        p.lastContact,
        (iso) => dateTime(iso, lang, true),
        (mode) => m(`contactLog.mode.${mode}`),
      ),
    );
    const ended = p.status === 'ended';
    $<HTMLElement>('#contact-ended').hidden = !ended;
    $<HTMLElement>('#contact-new').hidden = ended;
    document.title = `${firm?.name ?? p.uscc} · ${document.title.split(' · ').slice(-2).join(' · ')}`;
  };

  /** The pairing from the list the caller may see (there is no single-pairing read). */
  const loadPairing = async (): Promise<boolean> => {
    const { status, body: answer } = await api('pairings.list', { token: c.token });
    if (status === 401) return false;
    const found = (answer as { pairings?: Pairing[] } | null)?.pairings;
    if (status !== 200 || !Array.isArray(found)) {
      fail(`${m('contactLog.failed')} ${failureText(c.m, status, answer)}`, () => void start());
      return false;
    }
    pairings = found;
    const p = found.find((x) => x.pairingId === pairingId);
    if (!p) {
      fail(m('error.NOT_FOUND'));
      return false;
    }
    pairing = p;
    await showPairing(p);
    return true;
  };

  const { loadContacts } = contactList({ c, root, pairingId, types, qualifying, nameOf });

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
  const evidenceSet = $<HTMLFieldSetElement>('#evidence');
  const evidenceError = $<HTMLElement>('#evidence-error');
  const camera = $<HTMLInputElement>('#evidence-camera');
  const files = $<HTMLInputElement>('#evidence-files');
  const uploadList = $<HTMLUListElement>('#evidence-list');
  const live = $<HTMLElement>('#evidence-live');
  const submit = $<HTMLButtonElement>('#contact-form button[type=submit]');
  const submitLabel = submit.textContent ?? '';
  const result = $<HTMLElement>('#contact-result');
  const modeInputs = [...form.querySelectorAll<HTMLInputElement>('input[name=mode]')];
  const firstMode = modeInputs[0] as HTMLInputElement;

  const checks = contactFields({ m, at, modeSet, modeError, modeInputs, participants, summary, counter });

  // ---- the repeated-visit warning, before saving ----

  const repeatBox = $<HTMLElement>('#contact-repeat');
  let repeatAsked = 0;
  /** The firm's contacts in the 7 days before the form's time: what saving at that time would repeat. */
  const checkRepeat = async () => {
    const asked = ++repeatAsked;
    const iso = localToIso(at.value);
    const query = iso && !Number.isNaN(new Date(iso).getTime()) ? { at: iso } : undefined;
    const { status, body: answer } = await api('contacts.recent', {
      params: { id: pairingId },
      ...(query ? { query } : {}),
      token: c.token,
    });
    // An older answer arriving after a newer one must not overwrite it.
    if (asked !== repeatAsked) return;
    const recent = (answer as { contacts?: RecentContact[] } | null)?.contacts;
    // Without an answer (no signal) the form still saves; the warning is advice, not a gate.
    if (status !== 200 || !Array.isArray(recent)) return;
    const ul = repeatBox.querySelector('ul') as HTMLUListElement;
    ul.replaceChildren(
      ...recent.map((r) => {
        const vars = { at: dateTime(r.at, lang, true), mode: m(`contactLog.mode.${r.mode}`) };
        const li = el('li', undefined, m(r.mine ? 'field.repeat.mine' : 'field.repeat.other', vars));
        li.dataset.contactId = r.contactId;
        li.dataset.mine = String(r.mine);
        return li;
      }),
    );
    repeatBox.hidden = recent.length === 0;
  };
  at.addEventListener('change', () => void checkRepeat());

  // ---- evidence uploads ----

  const uploader = createUploader({
    c,
    field: evidenceSet,
    error: evidenceError,
    hintId: 'evidence-hint',
    list: uploadList,
    live,
    types,
    maxBytes,
    maxFiles: MAX_FILES,
    idPrefix: 'upload',
    fallbackFocus: () => camera,
  });
  uploader.watch(camera, files);

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

  const monthLabel = (iso: string) => {
    const [y, mo] = shanghaiMonth(new Date(iso)).split('-').map(Number);
    return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone: 'UTC',
      year: 'numeric',
      month: 'long',
    }).format(new Date(Date.UTC(y ?? 2000, (mo ?? 1) - 1, 15)));
  };

  /**
   * After saving, the next firm of the liaison's month list (the one unvisited longest), and how many
   * are left: the liaison goes on to it, not to a blank form for the firm just visited (issue 20).
   */
  const showNext = async () => {
    const box = $<HTMLElement>('#contact-next');
    const left = stillToContact(
      pairings.filter((p) => p.liaison === (pairing?.liaison ?? c.me.username) && p.pairingId !== pairingId),
      shanghaiMonth(new Date()),
    );
    const next = left[0];
    const home = el('a', next ? 'button button-secondary' : 'button', m('field.toList'));
    home.href = c.path('/staff/');
    if (!next) {
      box.replaceChildren(el('p', 'next-left', m('field.allDone')), home);
      return;
    }
    const firm = await firmOf(c.token, next.uscc);
    const go = el('a', 'button', m('field.next', { firm: firm?.name ?? next.uscc }));
    go.id = 'contact-next-link';
    go.href = `${c.path('/staff/pairings/contact/')}?id=${encodeURIComponent(next.pairingId)}`;
    const count = el('p', 'next-left', m('field.left', { n: left.length }));
    count.dataset.left = String(left.length);
    box.replaceChildren(count, go, home);
  };

  $<HTMLButtonElement>('#contact-again').addEventListener('click', () => {
    result.hidden = true;
    $<HTMLElement>('#contact-new').hidden = false;
    at.focus();
  });

  /** The saved contact's result; `quiet`: sent in the background (focus and scroll stay where they are). */
  const showResult = (contact: Contact, quiet = false) => {
    $<HTMLElement>('#contact-result-title').textContent = m('contactLog.saved');
    const mode = m(`contactLog.mode.${contact.mode}`);
    $<HTMLElement>('#contact-result-counts').textContent = qualifying.includes(contact.mode)
      ? m('contactLog.counts', { mode, month: monthLabel(contact.at) })
      : m('contactLog.notCounts', { mode });
    result.dataset.kind = 'success';
    // A problem found on this visit goes to the ledger from here, linked to the contact (issue 20).
    const raise = result.querySelector<HTMLElement & { link?: (ref: string | undefined) => void }>('ledger-raise');
    if (raise) {
      raise.hidden = false;
      raise.dataset.uscc = contact.uscc;
      raise.link?.(`${contact.pairingId}/${contact.contactId}`);
    }
    result.hidden = false;
    if (quiet) return;
    result.focus();
    result.scrollIntoView({ block: 'start' });
  };

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
  const outbox = contactOutbox(c, root, async (contact, draft) => {
    const folded = $<HTMLElement>('#contact-new').hidden;
    await Promise.all([loadPairing(), loadContacts()]);
    $<HTMLElement>('#contact-new').hidden = folded;
    // The contact the page said was kept is sent now: the page says so, and a ledger item may link to it.
    if (draft.requestId === keptShown && !result.hidden) {
      keptShown = undefined;
      showResult(contact, true);
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
      firmName: $<HTMLElement>('#pairing-firm-name').textContent?.trim() || (pairing?.uscc ?? ''),
      savedAt: new Date().toISOString(),
      input,
      files: uploader
        .all()
        .filter((u) => u.file && u.file.size <= maxBytes)
        .map((u) => ({
          blob: u.file as File,
          fileName: u.fileName,
          contentType: u.contentType,
          ...(u.state === 'done' && u.evidenceId ? { evidenceId: u.evidenceId } : {}),
        })),
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
    $<HTMLElement>('#contact-result-title').textContent = m('field.offline.saved');
    $<HTMLElement>('#contact-result-counts').textContent = m('field.offline.savedText');
    result.dataset.kind = 'kept';
    // A ledger item links to a saved contact: this one is not saved yet.
    const raise = result.querySelector<HTMLElement>('ledger-raise');
    if (raise) raise.hidden = true;
    result.hidden = false;
    result.focus();
    await outbox.paint();
    await showNext();
    return true;
  };

  let sending = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending || !pairing) return;
    result.hidden = true;
    const found = problems();
    if (found.length > 0) {
      show(found);
      return;
    }
    sending = true;
    try {
      if (uploader.pending().length > 0) {
        busy(m('contactLog.waiting'));
        await uploader.settled();
      }
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
      const saved = reply as { contact?: Contact } | null;
      if ((status === 201 || status === 200) && saved?.contact) {
        resetForm();
        $<HTMLElement>('#contact-new').hidden = true;
        showResult(saved.contact);
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
          evidenceIds: { control: camera, text: m('contactLog.err.uploads') },
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
        show([{ control: camera, text: m('contactLog.err.uploads') }]);
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
    if (c.me.role !== 'liaison') users = (await staffUsers(c)) ?? [];
    if (!(await loadPairing())) return;
    body.hidden = false;
    checks.resetTime();
    checks.countSummary();
    await Promise.all([loadContacts(), checkRepeat()]);
    // What waits on this phone from before (this firm's or another's) goes now, if there is signal.
    await outbox.paint();
    void outbox.flush();
  };
  await start();
};

runConsolePage(run, ['liaison', 'lead', 'admin']);
