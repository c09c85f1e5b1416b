/**
 * `<roster-new-firm>` (RosterNewFirm.astro): the roster's form to add a firm. Its behaviour (the
 * enterprise form's rows and checks, roster-new.ts) loads when a manager first turns to the form
 * (lazy-section.ts): the roster is opened to find firms far more often than to add one.
 */
import type { TypedConsole } from '../console.ts';
import { loadOnFirstTurn } from '../lazy-section.ts';

export class RosterNewFirm extends HTMLElement {
  /** `status` is the page's line that says what was done; `onCreated` reloads the list. */
  init(c: TypedConsole, status: HTMLElement, onCreated: () => void): void {
    loadOnFirstTurn(
      this,
      async () => {
        const { setupNewFirm } = await import('../roster-new.ts');
        setupNewFirm(this, c, status, onCreated);
      },
      'new-firm',
    );
  }
}
