import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The site hands each browser script only the messages it uses (`pick`, at build time). A script
 * that imports a helper from shared/i18n.ts (sign-in imports `errorKey`, the console `ERROR_CODES`)
 * must not carry the dictionaries along with it: this bundles such an import as the site's build
 * does (ES modules, tree-shaken) and looks for the strings.
 */
const bundle = async (entry: string): Promise<string> => {
  const out = await build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    minify: true,
    platform: 'browser',
    charset: 'utf8',
  });
  return out.outputFiles[0]?.text ?? '';
};

describe('a browser script that imports a helper from shared/i18n.ts', () => {
  it('ships no dictionary: not the core, the consultation or any feature strings', async () => {
    // Prepare
    const entry = `import { errorKey, ERROR_CODES } from './shared/i18n.ts'; console.log(errorKey('SLOT_FULL'), ERROR_CODES);`;

    // Act
    const code = await bundle(entry);

    // Assess
    expect(code).toContain('SLOT_FULL');
    for (const text of ['环保服务联络平台', '填写预约信息', 'Your booking details', '预约咨询跟进', 'nav.inbox']) {
      expect(code).not.toContain(text);
    }
    expect(code.length).toBeLessThan(2_000);
  });
});
