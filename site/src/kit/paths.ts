/**
 * The API's paths by route id, for the browser. A copy of the route table's `id → path`, checked by the
 * typecheck against `shared/routes.ts` (the mapped types below want every id with exactly its path), so a
 * renamed or moved route fails `tsc` here instead of answering 404 in a page. Not derived at run time:
 * importing the route table would bring its roles, functions and import limits into every public page.
 * Two maps in two modules (`public-api.ts`, `api.ts`), so a public page carries only the public paths:
 * one map of every route adds about 0.9 KB gzip to each public page.
 */
import type { Answers } from '../../../shared/answers.ts';
import type { RouteId, routes } from '../../../shared/routes.ts';

type Route = (typeof routes)[number];
export type PathOf<K extends RouteId> = Extract<Route, { id: K }>['path'];
export type PublicRouteId = Extract<Route, { auth: 'public' }>['id'];
/** Routes for signed-in firms (a firm token): pages call them with the firm's session, never the staff one. */
export type FirmRouteId = Extract<Route, { auth: 'firm' }>['id'];
export type StaffRouteId = Exclude<RouteId, PublicRouteId | FirmRouteId>;

/**
 * The routes a page may call for their answer: those the contract types (`Answers` of
 * shared/answers.ts). A file, a link or a tool (`NotReadAsJson`) is reached by its path instead, so
 * `api`, `publicApi` and `firmApi` on one of those, or on a route without an entry, fail the typecheck.
 */
export type Answered<K extends RouteId> = K & keyof Answers;

/** The `{name}`s of a path template, as a union of names. */
type ParamsIn<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamsIn<Rest> : never;

/** The path parameters a route wants, by name. */
export type ParamsOf<K extends RouteId> = Record<ParamsIn<PathOf<K>>, string>;

export type Query = URLSearchParams | string | Record<string, string | number | undefined>;

/**
 * A path template with its `{params}` filled (each encoded as one segment) and the query added when it
 * has anything (undefined values are left out).
 */
export const fill = (
  template: string,
  params: Record<string, string> | undefined,
  query: Query | undefined,
): string => {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params?.[name] ?? ''));
  const given = typeof query === 'string' || query instanceof URLSearchParams;
  const search = new URLSearchParams(given ? query : undefined);
  if (!given)
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(key, String(value));
  return search.size ? `${path}?${search}` : path;
};

/** Whether a same-origin path is the API's (what a page must never cache or serve from a copy). */
export const isApiPath = (pathname: string): boolean => pathname.startsWith('/api/');
