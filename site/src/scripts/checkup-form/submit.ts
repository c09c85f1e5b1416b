/**
 * Submitting the check-up: every item answered (else the first gap is shown), every photo uploaded,
 * every answer saved, then a summary to confirm (issue 20: nothing can change afterwards, so the
 * expert and the firm's representative read the counts and the failed items first) where the
 * representative signs on the screen and the signer's name is typed; the drawing is uploaded as a
 * PNG (the evidence upload), then `POST …/{id}/submit` {version, signature}; the report follows. A
 * stale version reloads first. A drawing uploaded once is not uploaded again for a retry.
 */

import { api, errorCodeOf, fieldsOf } from '../../kit/api.ts';
import { announceEvidence, putEvidence } from '../../kit/evidence-upload.ts';
import { failureText } from '../../kit/messages.ts';
import { checkupHref } from '../checkup-common.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import type { CheckupItem } from './item-panel.ts';
import { signaturePad } from './signature-pad.ts';

/** What submitting needs from the form: its items and its saving. */
export interface SubmitContext {
  c: TypedConsole;
  id: string;
  /** The `<checkup-submit>` whose button, problem and confirm dialog this step works (submit-section.ts). */
  section: HTMLElement;
  /** Says over the form what stops the submit (the items not answered), until another item is shown. */
  say: (text: string) => void;
  all: () => CheckupItem[];
  show: (index: number, focus: boolean, keepNotice?: boolean) => void;
  flush: () => Promise<void>;
  sendable: () => string[];
  reload: (conflict: boolean) => Promise<unknown>;
  /** How many answers wait on the device to be sent (none may, to submit). */
  waiting: () => number;
}

/** The form's state, read when needed: it changes while a submit waits. */
export interface FormState {
  isStopped: () => boolean;
  markStopped: () => void;
  lastError: () => string | undefined;
  running: () => Promise<void> | undefined;
  version: () => number;
}

export const submitCheckup = (
  { c, id, section, say, all, show, flush, sendable, reload, waiting }: SubmitContext,
  { isStopped, markStopped, lastError, running, version }: FormState,
) => {
  const $ = <T extends HTMLElement>(selector: string) => section.querySelector(selector) as T;
  const submitButton = $<HTMLButtonElement>('#submit-button');
  const submitProblem = $<HTMLElement>('#submit-problem');
  const { lang, m, token } = c;
  const errorText = (status: number, answer: unknown) => failureText(m, status, answer);
  let submitting = false;
  const submitLabel = submitButton.textContent ?? '';

  const showMissing = (itemIds: string[]) => {
    const firstMissing = all().find((l) => itemIds.includes(l.item.itemId));
    if (!firstMissing) return;
    show(firstMissing.index, true, true);
    say(m('checkup.submit.missing', { n: itemIds.length, items: itemIds.join(lang === 'zh' ? '、' : ', ') }));
  };

  const dialog = $<HTMLDialogElement>('#submit-confirm');
  const pad = signaturePad($<HTMLCanvasElement>('#signature-pad'), $<HTMLButtonElement>('#signature-clear'));
  const signerName = $<HTMLInputElement>('#signer-name');
  const signatureProblem = $<HTMLElement>('#signature-problem');
  /** The drawing last uploaded (by its pad's change count) and its evidence id. */
  let uploaded: { changes: number; evidenceId: string } | undefined;

  const refuseConfirm = (text: string, focus: HTMLElement) => {
    signatureProblem.textContent = text;
    signatureProblem.hidden = false;
    focus.focus();
  };
  signerName.addEventListener('input', () => {
    signatureProblem.hidden = true;
    signerName.removeAttribute('aria-invalid');
  });
  // Confirming needs the signature and the signer's name; the dialog stays open until both are there.
  $<HTMLButtonElement>('#confirm-submit').addEventListener('click', (event) => {
    signatureProblem.hidden = true;
    signerName.removeAttribute('aria-invalid');
    if (!pad.isDrawn()) {
      event.preventDefault();
      refuseConfirm(m('checkup.signature.needDrawing'), $<HTMLCanvasElement>('#signature-pad'));
      return;
    }
    if (!signerName.value.trim()) {
      event.preventDefault();
      signerName.setAttribute('aria-invalid', 'true');
      refuseConfirm(m('checkup.signature.needName'), signerName);
    }
  });

  /** The drawing's evidence id: uploaded now, or the one uploaded before if it did not change. */
  const uploadSignature = async (): Promise<string | { error: string }> => {
    const changes = pad.changes();
    if (uploaded?.changes === changes) return uploaded.evidenceId;
    const png = await pad.png();
    if (!png) return { error: m('error.INTERNAL') };
    const announced = await announceEvidence(png, 'signature.png', 'image/png', token);
    if (!('evidenceId' in announced)) return { error: errorText(announced.status, announced.body) };
    if (!(await putEvidence(png, announced))) return { error: errorText(0, null) };
    uploaded = { changes, evidenceId: announced.evidenceId };
    return announced.evidenceId;
  };

  /** The answers in short, to confirm before the check-up is closed for good; whether it was confirmed. */
  const confirmSubmit = (): Promise<boolean> => {
    const items = all();
    const count = (result: string) => items.filter((l) => l.result === result).length;
    $<HTMLElement>('#confirm-counts').textContent = m('checkup.confirm.counts', {
      total: items.length,
      pass: count('pass'),
      fail: count('fail'),
      na: count('na'),
    });
    const photos = items.reduce((n, l) => n + l.photos.all().length, 0);
    $<HTMLElement>('#confirm-photos').textContent = m('checkup.confirm.photos', { n: photos });
    const failed = items.filter((l) => l.result === 'fail');
    $<HTMLElement>('#confirm-failed').replaceChildren(
      ...(failed.length === 0
        ? [el('li', 'muted', m('checkup.confirm.noFailed'))]
        : failed.map((l) => {
            const li = el('li');
            li.dataset.itemId = l.item.itemId;
            li.append(el('strong', undefined, `${l.item.itemId} ${l.item.text[lang]}`));
            if (l.note.trim()) li.append(el('span', 'confirm-note', l.note.trim()));
            return li;
          })),
    );
    dialog.returnValue = '';
    signatureProblem.hidden = true;
    dialog.showModal();
    // The safe choice has the focus: submitting takes a deliberate tap.
    $<HTMLButtonElement>('#confirm-back').focus();
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'submit'), { once: true });
    });
  };

  const submitFailed = (text: string) => {
    submitProblem.textContent = text;
    submitProblem.hidden = false;
    submitProblem.focus();
  };

  /** What the submit button does (the form loads this step on first use: see checkup-form.ts). */
  return async () => {
    if (submitting || isStopped()) return;
    submitProblem.hidden = true;
    // Answers kept on the device are not on the server yet: the check-up would close without them.
    if (waiting() > 0) {
      submitFailed(m('checkup.offline.submitWaiting', { n: waiting() }));
      return;
    }
    const missing = all().filter((l) => !l.result);
    if (missing.length > 0) {
      showMissing(missing.map((l) => l.item.itemId));
      return;
    }
    submitting = true;
    submitButton.disabled = true;
    submitButton.textContent = m('checkup.submit.waiting');
    submitButton.setAttribute('aria-busy', 'true');
    try {
      await Promise.all(all().map((l) => l.photos.settled()));
      const broken = all().find((l) => l.photos.all().some((p) => p.state === 'failed'));
      if (broken) {
        show(broken.index, false);
        submitFailed(m('checkup.submit.uploads'));
        return;
      }
      for (let i = 0; i < 10; i++) {
        await flush();
        if (lastError() || isStopped() || (!running() && sendable().length === 0)) break;
      }
      if (isStopped()) return;
      if (sendable().length > 0 || running()) {
        submitFailed(m('checkup.submit.failed', { error: lastError() ?? m('error.INTERNAL') }));
        return;
      }
      submitButton.textContent = submitLabel;
      if (!(await confirmSubmit())) {
        submitButton.focus();
        return;
      }
      if (isStopped()) return;
      submitButton.textContent = m('checkup.signature.uploading');
      const evidenceId = await uploadSignature();
      if (typeof evidenceId !== 'string') {
        submitFailed(m('checkup.signature.failed', { error: evidenceId.error }));
        return;
      }
      submitButton.textContent = m('checkup.submit.working');
      const submitted = await api('checkups.submit', {
        params: { id },
        json: { version: version(), signature: { evidenceId, signerName: signerName.value.trim() } },
        token,
      });
      const { status, body: answer } = submitted;
      if (submitted.ok && submitted.body.checkup) {
        markStopped();
        location.assign(checkupHref(c, 'report', id));
        return;
      }
      if (status === 401) return;
      const code = errorCodeOf(answer);
      if (status === 400) {
        const fields = Object.keys(fieldsOf(answer));
        if (fields.some((f) => f.startsWith('signature'))) {
          // The file was refused (its upload expired, say): the next confirm uploads the drawing again.
          uploaded = undefined;
          submitFailed(m('checkup.signature.failed', { error: errorText(status, answer) }));
          return;
        }
        const ids = fields.filter((f) => f.startsWith('answers.')).map((f) => f.split('.')[1] ?? '');
        if (ids.length > 0) {
          // The server knows of answers this page does not: it is reloaded, then the first gap shown.
          await reload(false);
          showMissing(ids);
          return;
        }
      }
      if (status === 409 && code === 'VERSION_CONFLICT') {
        await reload(true);
        return;
      }
      if (status === 409 && code === 'INVALID_TRANSITION') {
        markStopped();
        location.assign(checkupHref(c, 'report', id));
        return;
      }
      submitFailed(m('checkup.submit.failed', { error: errorText(status, answer) }));
    } finally {
      submitting = false;
      submitButton.disabled = isStopped();
      submitButton.textContent = submitLabel;
      submitButton.removeAttribute('aria-busy');
    }
  };
};
