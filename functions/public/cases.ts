import { publicCaseQuery } from '../../shared/cases.ts';
import { keys } from '../../shared/keys.ts';
import { listPublished } from '../lib/cases/cases.ts';
import { decodeCursor, encodeCursor } from '../lib/http/cursor.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import type { Identity } from '../lib/http/identity.ts';
import { casesHtml } from './cases-html.ts';
import { prefersHtml } from './days-html.ts';

/**
 * The sealed cursors bind a page to its caller; the public list has none, so every reader is this
 * one anonymous caller (a cursor still opens only for this route, kind and partition).
 */
const PUBLIC_READER: Identity = { sub: '', username: '(public)', email: undefined, role: 'liaison', jurisdiction: '' };

/** How long a browser (or a CDN honouring it) may keep a page of published cases. */
const CACHE = { 'cache-control': 'public, max-age=60' };

export const PUBLIC_CASES_PAGE = 20;

/**
 * GET /api/public/cases?kind=&cursor=: the published "three best" cases, newest first, 20 a page
 * (`nextCursor`); only their public text (shared/cases.ts's PublicCase). HTML for a plain link, so
 * the page reads without JavaScript as the consultation days' list does.
 */
export const listPublicCases = defineRoute({
  query: publicCaseQuery,
  handler: async ({ event, query }) => {
    const cursorScope = {
      route: 'publicCases.list',
      caller: PUBLIC_READER,
      query: { kind: query.kind },
      partition: { parentPk: keys.casesPublished().parentPk },
    };
    const page = await listPublished(query.kind, {
      limit: PUBLIC_CASES_PAGE,
      start: await decodeCursor(query.cursor, cursorScope),
    });
    const nextCursor = await encodeCursor(page.lastKey, cursorScope);
    if (prefersHtml(event.headers.accept)) {
      const html = casesHtml(page.cases, query.lang ?? 'zh', { kind: query.kind, nextCursor });
      return reply(200, html, { 'content-type': 'text/html; charset=utf-8', ...CACHE });
    }
    return reply(200, { cases: page.cases, nextCursor }, CACHE);
  },
});
