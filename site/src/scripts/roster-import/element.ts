/**
 * `<roster-import>` (RosterImport.astro): the import section of the roster. Its behaviour (the upload
 * with progress, the row report, the import's column rules: roster-import.ts) loads when a manager
 * first turns to the section (lazy-section.ts): most visits never import.
 *
 * The page hands over its console context with `init` (it signs in once, for every section).
 */
import type { TypedConsole } from '../console.ts';
import { loadOnFirstTurn } from '../lazy-section.ts';

type PairThese = (firms: { uscc: string; name: string }[]) => void;

export class RosterImport extends HTMLElement {
  /** `onImported` reloads the list; `pairThese` hands a committed import's firms to the bulk pairing. */
  init(c: TypedConsole, onImported: () => void, pairThese?: PairThese): void {
    loadOnFirstTurn(
      this,
      async () => {
        const { setupImport } = await import('../roster-import.ts');
        setupImport(this, c, onImported, pairThese);
      },
      'import',
    );
  }
}
