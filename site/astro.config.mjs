// @ts-check
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
    // Scripts as files, never inline, so a strict `script-src 'self'` CSP works.
    build: { assetsInlineLimit: 0 },
    // `npm run dev:site` next to the local runtime (`npm start`, port 3000): same-origin /api.
    server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  },
});
