import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';
import { describe, expect, it } from 'vitest';
import config from '../../site/astro.config.ts';

/**
 * Shared modules hold zod schemas beside plain helpers. The site's bundler is told that `z` calls are
 * pure (site/astro.config.ts), so a page that imports only a helper ships no zod (9 KB gzip), and a page
 * that validates keeps it. This bundles both kinds of import with the site's own tree-shaking options,
 * through the bundler the site builds with.
 */
const treeshake = config.vite?.build?.rolldownOptions?.treeshake;

const bundle = async (entry: string): Promise<string> => {
  const out = await build({
    input: 'entry',
    cwd: process.cwd(),
    write: false,
    treeshake,
    output: { minify: true },
    plugins: [
      { name: 'entry', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? entry : null) },
    ],
  });
  return out.output[0].code;
};

// Strings only zod's runtime carries (its error class and default messages).
const zodRuntime = /ZodError|Invalid input/;

describe("the site's bundler over a shared module with schemas", () => {
  it('drops the schemas and zod for a page that imports only a helper', async () => {
    // Prepare
    const entry = "import { monthBefore } from './shared/monthly.ts'; console.log(monthBefore('2026-01'));";

    // Act
    const code = await bundle(entry);

    // Assess
    expect(code).not.toMatch(zodRuntime);
    expect(code.length).toBeLessThan(1_000);
  });

  it('keeps zod for a page that validates with a schema', async () => {
    // Prepare
    const entry = "import { dayInput } from './shared/consultation.ts'; console.log(dayInput.safeParse({}));";

    // Act
    const code = await bundle(entry);

    // Assess: the schema still refuses what the server refuses
    expect(code).toMatch(zodRuntime);
  });
});

/**
 * A module is one chunk: a page that imports a constant from a module with schemas, and loads the
 * schemas on first use (site/src/kit/lazy.ts), still ships them with the constant. So each shared module
 * the pages read keeps its zod-free half in a `*-rules.ts` module (re-exported by the module with the
 * schemas, so the server imports either). Each of those, imported whole, carries no zod.
 */
describe('the zod-free halves of the shared modules', () => {
  const rules = readdirSync(join(process.cwd(), 'shared')).filter((name) => name.endsWith('-rules.ts'));

  it.each(rules)('%s reaches no zod, whatever a page takes from it', async (name) => {
    // Prepare: every export kept alive
    const entry = `import * as all from './shared/${name}'; console.log(all);`;

    // Act
    const code = await bundle(entry);

    // Assess
    expect(code).not.toMatch(zodRuntime);
  });

  it('are where the pages take those names from', () => {
    // Prepare: the names each rules module exports, and every import of the site from shared/
    const exported = new Map(
      rules.map((name) => {
        const text = readFileSync(join(process.cwd(), 'shared', name), 'utf8');
        return [
          name,
          new Set([...text.matchAll(/^export (?:const|type|interface|function) (\w+)/gm)].map((m) => m[1])),
        ];
      }),
    );
    const rulesOf = (module: string) => exported.get(module === 'cases' ? 'case-rules.ts' : `${module}-rules.ts`);
    const sources = readdirSync(join(process.cwd(), 'site/src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.(ts|astro)$/.test(file))
      .map((file) => [file, readFileSync(join(process.cwd(), 'site/src', file), 'utf8')] as const);

    // Act: a value taken from the module with the schemas that its rules module has
    const stray = sources.flatMap(([file, text]) =>
      [...text.matchAll(/import \{([^}]*)\} from '(?:\.\.\/)+shared\/([a-z-]+)\.ts'/g)].flatMap(([, names, module]) => {
        const own = rulesOf(module ?? '');
        if (!own) return [];
        return (names ?? '')
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name && !name.startsWith('type ') && own.has(name.split(' as ')[0] ?? ''))
          .map((name) => `${file}: ${name} from shared/${module}.ts`);
      }),
    );

    // Assess
    expect(stray).toEqual([]);
  });
});
