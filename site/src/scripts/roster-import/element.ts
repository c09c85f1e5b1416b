/**
 * `<roster-import>` (RosterImport.astro): the import section of the roster. Its behaviour (the upload
 * with progress, the row report, the import's column rules: roster-import.ts) loads when a manager
 * first turns to the section (lazy-section.ts): most visits never import.
 *
 * The page hands over its console context with `init` (it signs in once, for every section):
 * `onImported` reloads the list; `pairThese` hands a committed import's firms to the bulk pairing.
 */
import type { TypedConsole } from '../console.ts';
import { LazySection } from '../lazy-section.ts';

type PairThese = (firms: { uscc: string; name: string }[]) => void;

export class RosterImport extends LazySection<[c: TypedConsole, onImported: () => void, pairThese?: PairThese]> {
  protected readonly anchor = 'import';

  protected async wire(c: TypedConsole, onImported: () => void, pairThese?: PairThese): Promise<void> {
    const { setupImport } = await import('../roster-import.ts');
    setupImport(this, c, onImported, pairThese);
  }
}
