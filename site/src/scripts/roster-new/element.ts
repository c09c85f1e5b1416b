/**
 * `<roster-new-firm>` (RosterNewFirm.astro): the roster's form to add a firm. Its behaviour (the
 * enterprise form's rows and checks, roster-new.ts) loads when a manager first turns to the form
 * (lazy-section.ts): the roster is opened to find firms far more often than to add one.
 *
 * `init` takes the page's line that says what was done (`status`) and `onCreated`, which reloads the list.
 */
import type { TypedConsole } from '../console.ts';
import { LazySection } from '../lazy-section.ts';

export class RosterNewFirm extends LazySection<[c: TypedConsole, status: HTMLElement, onCreated: () => void]> {
  protected readonly anchor = 'new-firm';

  protected async wire(c: TypedConsole, status: HTMLElement, onCreated: () => void): Promise<void> {
    const { setupNewFirm } = await import('../roster-new.ts');
    setupNewFirm(this, c, status, onCreated);
  }
}
