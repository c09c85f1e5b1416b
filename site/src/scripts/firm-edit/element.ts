/**
 * `<firm-edit>` (FirmEdit.astro): the firm page's edit section. A manager opens the form with its
 * button or the page's "edit" link (#edit-firm); only then does its behaviour load (firm-edit.ts, the
 * enterprise form with its checks) and fill the form: most visits read the firm and never edit it.
 *
 * The page hands over its console context and the firm with `init` (it signs in once).
 */
import type { Enterprise } from '../../../../shared/enterprise.ts';
import { lazy, warmOn } from '../../kit/lazy.ts';
import type { TypedConsole } from '../console.ts';
import type { FirmEditPage } from '../firm-edit.ts';

const behaviour = lazy(() => import('../firm-edit.ts'));

export class FirmEdit extends HTMLElement {
  init(c: TypedConsole, firm: Enterprise, page: FirmEditPage): void {
    const section = this.querySelector('#edit-firm') as HTMLElement;
    const open = this.querySelector('#edit-open') as HTMLButtonElement;
    const failed = this.querySelector('#edit-open-failed') as HTMLElement;
    const body = this.querySelector('.edit-body') as HTMLElement;
    section.hidden = false;
    warmOn(open, behaviour);
    let opened = false;
    const show = async () => {
      if (opened) return;
      open.disabled = true;
      const loaded = await behaviour().catch(() => undefined);
      open.disabled = false;
      failed.hidden = Boolean(loaded);
      if (!loaded || opened) return;
      opened = true;
      loaded.setupEdit(this, c, firm, page);
      open.parentElement?.remove();
      body.hidden = false;
      body.querySelector<HTMLElement>('input:not([readonly]):not([type=hidden]), select')?.focus();
    };
    open.addEventListener('click', () => void show());
    const asked = () => location.hash === '#edit-firm' && void show();
    addEventListener('hashchange', asked);
    asked();
  }
}
