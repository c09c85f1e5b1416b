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
