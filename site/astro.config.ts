import { defineConfig } from 'astro/config';

// Static site: Chinese at `/` (default), English under `/en/`. `npm run build:site` → site/dist.
export default defineConfig({
  output: 'static',
  outDir: './dist',
  i18n: {
    defaultLocale: 'zh',
    locales: ['zh', 'en'],
    routing: { prefixDefaultLocale: false },
  },
  build: { inlineStylesheets: 'never' },
  vite: {
    build: {
      // Scripts as files, never inline, so a strict `script-src 'self'` CSP works.
      assetsInlineLimit: 0,
      // A shared module defines its zod schemas at top level beside plain constants and helpers. The
      // bundler cannot tell `z.object(…)` has no side effects, so a page importing only a constant kept
      // every schema of that module and zod with them (9 KB gzip; the console home carried it for the
      // month helpers). Marked pure, unused schemas drop out, and zod ships only to pages that
      // validate with it. Nothing in shared/ or the site calls z for its side effects (no z.config).
      rolldownOptions: { treeshake: { manualPureFunctions: ['z'] } },
    },
    // `npm run dev:site` next to the local runtime (`npm start`, port 3000): same-origin /api.
    server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  },
});
