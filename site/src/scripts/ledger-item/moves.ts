/**
 * The moves of a ledger item the signed-in role may make: each a form with a note (closing adds the
 * override reason, handing over the department and unit) and files uploaded as soon as they are
 * chosen, sent as `POST …/transitions` with the version shown. A stale version shows the conflict box.
 */
import type { LedgerItemFull as Item } from '../../../../shared/ledger.ts';
import { type LedgerState, movesFrom } from '../../../../shared/ledger-rules.ts';
import { api, errorCodeOf, fieldsOf } from '../../kit/api.ts';
import { lazy, warmOn } from '../../kit/lazy.ts';
import type { MessageKey } from '../../kit/messages.ts';
import { setFieldError, type TypedConsole } from '../console.ts';
import { fieldEl } from '../form-fields.ts';
import { el } from '../format.ts';
import { addJurisdictionPicker } from '../pickers/jurisdiction.ts';
import { LEDGER_UPLOAD_KEYS } from '../upload-keys.ts';
import { evidenceField, type Uploader } from '../uploads.ts';

// The API's own schema (zod, 9 KB gzip) loads when a move form is first used, not with the item.
const schema = lazy(() => import('../../../../shared/ledger.ts').then((module) => module.transitionInput));

/** Files one move may carry (as `transitionInput` allows). */
const MOVE_FILES = 10;

/** What this part of the page needs from the rest of it. */
export interface MovesContext {
  c: TypedConsole;
  maxBytes: number;
  types: Record<string, string>;
  show: (item: Item) => void;
}

/**
 * The stale-version box, with its reload button (ledger-item.ts): it says the move is no longer allowed,
 * or (the markup's own words) that someone else changed the item.
 */
export const conflictBox = (c: TypedConsole) => {
  const box = c.$<HTMLElement>('#conflict-message');
  const text = c.$<HTMLElement>('#conflict-text');
  const changedElsewhere = text.textContent ?? '';
  return {
    show: (moveRefused: boolean) => {
      text.textContent = moveRefused ? c.m('ledger.err.invalidMove') : changedElsewhere;
      box.hidden = false;
      box.focus();
      box.scrollIntoView({ block: 'center' });
    },
    hide: () => {
      box.hidden = true;
    },
  };
};

export const ledgerMoves = ({ c, maxBytes, types, show }: MovesContext) => {
  const { m, $ } = c;
  const stateName = (state: LedgerState) => m(`ledger.state.${state}`);
  const problem = $<HTMLElement>('#item-problem');
  const status = $<HTMLElement>('#item-status');
  const moves = $<HTMLElement>('#moves-list');
  const conflict = conflictBox(c);
  // No move leads back to `collected`; were one allowed, it would be labelled by the state's name.
  const moveLabel = (item: Item, to: LedgerState) =>
    m(
      to === 'collected'
        ? 'ledger.state.collected'
        : to === 'in_progress' && item.state === 'resolved'
          ? 'ledger.move.in_progress.back'
          : `ledger.move.${to}`,
    );

  // The files chosen in the move forms on show; the forms are made again after each move.
  let uploaders: Uploader[] = [];
  let sending = false;
  // Photos chosen but not sent with a move would be lost on leaving: the browser asks first.
  window.addEventListener('beforeunload', (event) => {
    if (!sending && uploaders.some((u) => u.all().length > 0)) event.preventDefault();
  });

  /** The photo and file pickers of one move form, with the list of its uploads. */
  const addEvidenceField = (form: HTMLElement, base: string): Uploader => {
    const { field, uploader } = evidenceField({
      c,
      legend: m('ledgerEvidence.field'),
      hint: m('ledgerEvidence.hint'),
      cameraLabel: m('contactLog.takePhoto'),
      filesLabel: m('contactLog.chooseFiles'),
      ids: {
        field: `${base}-evidence`,
        hint: `${base}-evidence-hint`,
        error: `${base}-evidence-error`,
        list: `${base}-evidence-list`,
        camera: `${base}-camera`,
        files: `${base}-files`,
      },
      types,
      maxBytes,
      maxFiles: MOVE_FILES,
      keys: LEDGER_UPLOAD_KEYS,
      idPrefix: `${base}-upload`,
    });
    form.append(field);
    return uploader;
  };

  const showMoves = (item: Item) => {
    moves.replaceChildren();
    for (const uploader of uploaders) uploader.clear();
    uploaders = [];
    const allowed = movesFrom(item.state, c.me.role as Parameters<typeof movesFrom>[1]);
    if (allowed.length === 0) {
      moves.append(
        el(
          'p',
          'muted',
          m(item.state === 'closed' || item.state === 'cancelled' ? 'ledger.moves.done' : 'ledger.moves.none'),
        ),
      );
      return;
    }
    for (const to of allowed) {
      const label = moveLabel(item, to);
      const box = el(
        'details',
        `card ledger-move${to === 'cancelled' || to === 'closed' ? ' ledger-move-danger' : ''}`,
      );
      box.dataset.to = to;
      box.append(el('summary', undefined, label));
      const form = el('form', 'ledger-move-form');
      form.noValidate = true;
      warmOn(box, schema);
      const base = `move-${to}`;
      if (to === 'resolved') form.append(el('p', 'hint', m('ledger.move.resolvedHint')));
      if (to === 'closed') form.append(el('p', 'hint', m('ledger.move.closedHint')));
      const note = el('textarea');
      note.name = 'note';
      note.rows = 3;
      note.maxLength = 1000;
      note.required = true;
      form.append(fieldEl(`${base}-note`, m('ledger.move.note'), note, m('ledger.move.noteHint')));
      let reason: HTMLInputElement | undefined;
      let department: HTMLInputElement | undefined;
      let jurisdiction: HTMLInputElement | undefined;
      if (to === 'closed') {
        reason = el('input');
        reason.name = 'reason';
        reason.maxLength = 500;
        reason.required = true;
        form.append(fieldEl(`${base}-reason`, m('ledger.move.reason'), reason, m('ledger.move.reasonHint')));
      }
      if (to === 'handed_over') {
        department = el('input');
        department.name = 'toDepartment';
        department.maxLength = 60;
        department.required = true;
        form.append(fieldEl(`${base}-department`, m('ledger.move.department'), department));
        jurisdiction = el('input');
        jurisdiction.name = 'toJurisdiction';
        jurisdiction.autocomplete = 'off';
        form.append(
          fieldEl(
            `${base}-jurisdiction`,
            m('ledger.move.jurisdiction'),
            jurisdiction,
            m('ledger.move.jurisdictionHint'),
          ),
        );
        // The county may be typed by name; the field keeps its code.
        addJurisdictionPicker(jurisdiction, c.lang);
      }
      const uploader = addEvidenceField(form, base);
      uploaders.push(uploader);
      const submit = el(
        'button',
        to === 'cancelled' || to === 'closed' ? 'button-danger' : undefined,
        m('ledger.move.submit', { move: label }),
      );
      submit.type = 'submit';
      form.append(submit);
      box.append(form);
      moves.append(box);

      const controlOf: Record<string, HTMLElement | undefined> = {
        note,
        override: reason,
        toDepartment: department,
        toJurisdiction: jurisdiction,
      };
      const messageOf: Record<string, MessageKey> = {
        note: 'ledger.err.note',
        override: 'ledger.err.reason',
        toDepartment: 'ledger.err.department',
        toJurisdiction: 'ledger.err.jurisdiction',
      };
      const mark = (keys: string[]) => {
        let first: HTMLElement | undefined;
        for (const [key, control] of Object.entries(controlOf)) {
          if (!control) continue;
          const bad = keys.includes(key);
          setFieldError(control, bad ? m(messageOf[key] ?? 'error.VALIDATION_FAILED') : undefined);
          if (bad && !first) first = control;
        }
        first?.focus();
        return first;
      };

      /** The first file that did not upload, marked on the file field; its retry button takes focus. */
      const markUploads = (text: string) => {
        const failed = uploader.firstFailed();
        uploader.setErrors([text]);
        const control =
          failed?.item.querySelector<HTMLButtonElement>('[data-action=retry]:not([hidden])') ??
          failed?.item.querySelector<HTMLButtonElement>('[data-action=remove]');
        control?.focus();
      };

      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        if (sending) return;
        const data = {
          to,
          note: note.value.trim(),
          version: item.version,
          ...(reason ? { override: { reason: reason.value.trim() } } : {}),
          ...(department ? { toDepartment: department.value.trim() } : {}),
          ...(jurisdiction?.value.trim() ? { toJurisdiction: jurisdiction.value.trim() } : {}),
        };
        sending = true; // a second press while the schema loads sends nothing twice
        // Not loaded (offline): the API answers 400 with the same rules, which the form then shows.
        const parsed = (await schema().catch(() => undefined))?.safeParse(data);
        sending = false;
        const bad = new Set<string>();
        if (parsed && !parsed.success) for (const issue of parsed.error.issues) bad.add(String(issue.path[0]));
        if (department && !data.toDepartment) bad.add('toDepartment');
        if (mark([...bad])) return;
        sending = true;
        submit.disabled = true;
        const submitLabel = submit.textContent ?? '';
        const done = () => {
          sending = false;
          submit.disabled = false;
          submit.textContent = submitLabel;
        };
        if (uploader.pending().length > 0) {
          submit.textContent = m('contactLog.waiting');
          await uploader.settled();
        }
        if (uploader.firstFailed()) {
          done();
          markUploads(m('contactLog.err.uploads'));
          return;
        }
        uploader.setErrors([]);
        submit.textContent = m('ledger.move.working');
        const result = await api('ledger.transition', {
          params: { id: item.itemId },
          json: { ...data, ...(uploader.all().length > 0 ? { evidenceIds: uploader.evidenceIds() } : {}) },
          token: c.token,
        });
        done();
        if (result.ok) {
          // On a resolve: whether the firm was messaged now, already today (nothing sent), or cannot be.
          const { item: moved, confirmation: firm } = result.body;
          conflict.hide();
          problem.hidden = true;
          show(moved);
          status.textContent = [
            m('ledger.move.success', { state: stateName(moved.state) }),
            ...(firm ? [m(`ledger.move.firm.${firm}`)] : []),
          ].join(' ');
          status.dataset.kind = 'success';
          status.hidden = false;
          status.focus();
          return;
        }
        const { status: code, body: answer } = result;
        if (code === 401) return;
        const error = errorCodeOf(answer);
        if (code === 409) {
          conflict.show(error === 'INVALID_TRANSITION');
          return;
        }
        if (code === 400) {
          const keys = Object.keys(fieldsOf(answer));
          // `evidenceIds.2`: that file's upload is gone (expired, or never arrived): it must go again.
          const gone = keys
            .filter((key) => key.startsWith('evidenceIds.'))
            .map((key) => uploader.gone(Number(key.split('.')[1])))
            .filter((u) => u !== undefined);
          const fields = keys.map((key) => key.split('.')[0] ?? key).filter((key) => key !== 'evidenceIds');
          if (mark(fields)) return;
          if (gone.length > 0 || keys.includes('evidenceIds')) {
            uploader.setErrors(
              gone.length > 0
                ? gone.map((u) => m('contactLog.err.fileGone', { name: u.fileName }))
                : [m('contactLog.err.uploads')],
            );
            const retry = gone[0]?.item.querySelector<HTMLButtonElement>('[data-action=retry]');
            (retry ?? uploader.all()[0]?.item.querySelector<HTMLButtonElement>('[data-action=remove]'))?.focus();
            return;
          }
        }
        status.hidden = true;
        problem.textContent = m(code === 0 ? 'error.NETWORK' : `error.${error ?? 'INTERNAL'}`);
        problem.hidden = false;
        problem.focus();
      });
    }
  };

  return { showMoves, conflict };
};
