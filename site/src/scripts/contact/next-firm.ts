/**
 * After saving, the next firm of the liaison's month list (the one unvisited longest), and how many
 * are left: the liaison goes on to it, not to a blank form for the firm just visited (issue 20).
 */
import { shanghaiMonth } from '../../../../shared/time.ts';
import { stillToContact } from '../../kit/todo.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import { firmOf, type Pairing } from '../pairings-common.ts';

/** Fills `box` with the next firm to visit among `pairings` (the liaison's, this one left out). */
export const showNextFirm = async (
  c: TypedConsole,
  box: HTMLElement,
  pairings: Pairing[],
  liaison: string,
  pairingId: string,
) => {
  const { m } = c;
  const left = stillToContact(
    pairings.filter((p) => p.liaison === liaison && p.pairingId !== pairingId),
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
