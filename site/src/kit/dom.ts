/**
 * The element a page's markup holds for `selector` (ids are unique in a page, so the document is the
 * root). A page's script ships with its own markup, so a lookup that finds nothing is a build mistake
 * the page's e2e test catches, not a state each caller handles. One helper for the public and firm
 * pages, which each defined their own `$` (issue 18); console pages get theirs, scoped to the console's
 * root, from `TypedConsole`.
 */
export const $ = <T extends HTMLElement>(selector: string): T => document.querySelector(selector) as T;
