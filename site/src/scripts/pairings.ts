/**
 * Staff console, pairings: the page's sections are elements of their own (`<pairing-list>`,
 * `<new-pairing>`, `<pairing-roll-over>`, defined here: a module entry each would cost every page its
 * imports and preload lists). The page signs in once, reads the people they name, hands each the
 * console, and reads the list again when another section changed the pairings.
 */

import { runConsolePage, type TypedConsole } from './console.ts';
import './pairings/new-pairing.ts';
import type { NewPairing } from './pairings/new-pairing.ts';
import './pairings/pairing-list.ts';
import type { PairingList } from './pairings/pairing-list.ts';
import { peopleOf } from './pairings/people.ts';
import './pairings/roll-over.ts';
import type { RollOver } from './pairings/roll-over.ts';

const run = async (c: TypedConsole, root: HTMLElement) => {
  const managers = c.me.role === 'lead' || c.me.role === 'admin';
  for (const item of root.querySelectorAll<HTMLElement>('[data-managers]')) item.hidden = !managers;
  const people = peopleOf(c);
  const list = c.$<PairingList>('pairing-list');
  list.init(c, people);
  if (managers) {
    const form = c.$<NewPairing>('new-pairing');
    const rollOver = c.$<RollOver>('pairing-roll-over');
    form.init(c, people);
    rollOver.init(c, people);
    form.addEventListener('pairing-made', async ({ detail }) => {
      await list.load();
      list.made(detail.pairingId, detail.text);
    });
    rollOver.addEventListener('rolled-over', () => void list.load());
    await people.load();
    list.peopleKnown();
    form.peopleKnown();
  }
  await list.load();
};

runConsolePage(run, ['liaison', 'lead', 'admin']);
