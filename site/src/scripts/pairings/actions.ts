/**
 * Pairings, the confirmations of a card's actions: reassign (to another liaison of the county), pause,
 * resume and end, each in a small form under the card that says what will happen; the list is read
 * again once done, or when someone else changed the pairing meanwhile (409, 404). Only leads and
 * admins have actions, and most visits take none: the list loads this on the first one chosen.
 */
import { api, errorCodeOf, fieldsOf } from '../../kit/api.ts';
import { failureText } from '../../kit/messages.ts';
import { setFieldError, type TypedConsole } from '../console.ts';
import { buttonEl, el } from '../format.ts';
import type { Pairing } from '../pairings-common.ts';
import { type Action, confirmSlot } from './card.ts';
import type { People } from './people.ts';

const ACTION_ROUTE = {
  reassign: 'pairings.reassign',
  pause: 'pairings.pause',
  resume: 'pairings.resume',
  end: 'pairings.end',
} as const satisfies Record<Action, string>;

/** What the confirmations need from the list they sit in. */
export interface ActionsContext {
  c: TypedConsole;
  /** The list's element: the cards and their confirmation slots are its own. */
  list: HTMLElement;
  people: People;
  firmName: (uscc: string) => string;
  /** Reads the list again. */
  reload: () => Promise<void>;
  say: (text: string, kind?: 'success' | 'error') => void;
}

export const pairingActions = ({ c, list, people, firmName, reload, say }: ActionsContext) => {
  const { m } = c;
  let openTrigger: HTMLButtonElement | undefined;

  const closeConfirm = (focusBack: boolean) => {
    // A fresh, empty form each time: the old one goes with its listeners.
    for (const form of list.querySelectorAll<HTMLFormElement>('.pairing-confirm:not([hidden])')) {
      form.replaceWith(confirmSlot(form.id));
    }
    for (const button of list.querySelectorAll<HTMLButtonElement>('[aria-expanded=true]')) {
      button.setAttribute('aria-expanded', 'false');
    }
    if (focusBack) openTrigger?.focus();
    openTrigger = undefined;
  };

  const openConfirm = (p: Pairing, action: Action, trigger: HTMLButtonElement) => {
    const wasOpen = openTrigger === trigger;
    closeConfirm(false);
    if (wasOpen) return;
    openTrigger = trigger;
    trigger.setAttribute('aria-expanded', 'true');
    const slot = list.querySelector<HTMLFormElement>(`#confirm-${CSS.escape(p.pairingId)}`);
    if (!slot) return;
    const form = confirmSlot(slot.id);
    slot.replaceWith(form);
    const firm = firmName(p.uscc);
    const title = el('h5', 'confirm-title', m(`pairings.confirm.${action}.title`, { firm }));
    title.id = `confirm-title-${p.pairingId}`;
    title.tabIndex = -1;
    form.setAttribute('aria-labelledby', title.id);
    form.dataset.action = action;
    form.classList.toggle('confirm-calm', action !== 'end');
    form.append(title, el('p', undefined, m(`pairings.confirm.${action}.text`)));
    let select: HTMLSelectElement | undefined;
    const yes = el('button', action === 'end' ? 'button-danger' : '', m(`pairings.confirm.${action}.yes`));
    yes.type = 'submit';
    if (action === 'reassign') {
      const field = el('div', 'field');
      const label = el('label', undefined, m('pairings.confirm.reassign.to'));
      select = el('select');
      select.id = `reassign-${p.pairingId}`;
      select.name = 'liaison';
      select.required = true;
      label.htmlFor = select.id;
      const choices = people.liaisonsOf(p.county).filter((u) => u.username !== p.liaison);
      select.append(new Option(m('console.field.choose'), ''));
      for (const u of choices) select.append(new Option(people.liaisonLabel(u), u.username));
      if (choices.length === 1 && choices[0]) select.value = choices[0].username;
      field.append(label, select);
      form.append(field);
      select.addEventListener('change', () => {
        if (select?.value) setFieldError(select, undefined);
      });
      if (choices.length === 0) {
        form.append(el('p', 'field-error', m('pairings.err.noOtherLiaison')));
        yes.disabled = true;
      }
    }
    const problem = el('div', 'alert');
    problem.setAttribute('role', 'alert');
    problem.tabIndex = -1;
    const no = buttonEl('button-secondary', m('pairings.confirm.no'));
    no.addEventListener('click', () => closeConfirm(true));
    const buttons = el('p', 'actions');
    buttons.append(yes, no);
    form.append(problem, buttons);
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') closeConfirm(true);
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (yes.disabled) return;
      problem.textContent = '';
      if (select) setFieldError(select, undefined);
      if (select && !select.value) {
        setFieldError(select, m('pairings.err.chooseLiaison'));
        select.focus();
        return;
      }
      const label = yes.textContent ?? '';
      yes.disabled = true;
      no.disabled = true;
      yes.textContent = m('pairings.working');
      form.setAttribute('aria-busy', 'true');
      const { status: code, body: answer } = await api(
        ACTION_ROUTE[action],
        select
          ? { params: { id: p.pairingId }, json: { liaison: select.value }, token: c.token }
          : { params: { id: p.pairingId }, method: 'POST', token: c.token },
      );
      form.removeAttribute('aria-busy');
      if (code === 200) {
        const done = m(`pairings.done.${action}`, { firm, liaison: select ? people.personOf(select.value) : '' });
        openTrigger = undefined;
        await reload();
        say(done);
        return;
      }
      yes.disabled = false;
      no.disabled = false;
      yes.textContent = label;
      if (code === 401) return;
      const error = errorCodeOf(answer);
      const fields = fieldsOf(answer);
      if (select && fields?.liaison) {
        setFieldError(select, m('pairings.err.liaison'));
        select.focus();
        return;
      }
      if (code === 409 || code === 404) {
        // Someone else changed or ended it: show the list as it is now, and say why.
        const text = failureText(c.m, code, answer);
        openTrigger = undefined;
        await reload();
        say(text, 'error');
        return;
      }
      problem.textContent = error ? failureText(c.m, code, answer) : m(code === 0 ? 'error.NETWORK' : 'error.INTERNAL');
      problem.focus();
    });
    form.hidden = false;
    title.focus();
  };

  return { openConfirm, closeConfirm };
};
