/**
 * What the check-up pages share: the API's shapes (`GET /api/staff/checkups/{id}` → `{checkup,
 * template}`), the band badge (colour and words, never colour alone), the pages' addresses, and photo
 * thumbnails from `GET /api/staff/evidence/{id}` (a presigned URL valid five minutes: asked for a few at
 * a time, kept four minutes, asked again when an older link is opened).
 */

import type { Answers } from '../../../shared/answers.ts';
import type { Checkup, CheckupAnswer } from '../../../shared/checkups.ts';
import type { Answer, Band, Category } from '../../../shared/checkups-rules.ts';
import type { EvidenceRef } from '../../../shared/pairing-views.ts';
import { api } from '../kit/api.ts';
import { failureText, type Say } from '../kit/messages.ts';
import type { TypedConsole } from './console.ts';
import { el } from './format.ts';

export type { Checkup, CheckupAnswer };

export type Loaded = Answers['checkups.get'];

/** The mark beside each answer, on the form and in the report. */
export const MARKS: Record<Answer, string> = { pass: '✓', fail: '✗', na: '–' };

const ZH_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** "一、管理制度" / "1. Management": the heading of the `n`-th category in use (0-based). */
export const categoryHeading = (c: Pick<TypedConsole, 'lang' | 'm'>, n: number, category: Category) =>
  c.m('checkup.category.heading', {
    n: c.lang === 'zh' ? (ZH_NUMERALS[n] ?? String(n + 1)) : n + 1,
    name: c.m(`checkup.category.${category}`),
  });

export const CHECKUP_ID = /^[a-f0-9-]{36}$/;
const THUMBNAIL_TYPES = ['image/jpeg', 'image/png'];
const FRESH_MS = 4 * 60_000;

/** `/staff/checkups/form/?id=…` (or the report) in the page's language. */
export const checkupHref = (c: Pick<TypedConsole, 'path'>, page: 'form' | 'report', id: string) =>
  `${c.path(`/staff/checkups/${page}/`)}?id=${encodeURIComponent(id)}`;

/** A band as a badge: a coloured dot and the band's words (`绿色 · 92 分`), `data-band` for the colour. */
export const bandBadge = (
  m: Say,
  band: Band | null | undefined,
  score?: number | null,
  long = false,
): HTMLSpanElement => {
  if (!band) {
    const none = el('span', 'band', m('checkup.health.unchecked'));
    none.dataset.band = 'none';
    return none;
  }
  const name = m(long ? `checkup.band.${band}` : `checkup.bandName.${band}`);
  const badge = el(
    'span',
    'band',
    score === undefined || score === null ? name : m('checkup.bandScore', { band: name, score }),
  );
  badge.dataset.band = band;
  return badge;
};

/** Reads one check-up; answers the HTTP status and, when found, the check-up and its template. */
export const loadCheckup = async (
  c: TypedConsole,
  id: string,
): Promise<{ status: number; body: unknown } & Partial<Loaded>> => {
  const read = await api('checkups.get', { params: { id }, token: c.token });
  const { status, body } = read;
  if (read.ok && read.body.checkup && Array.isArray(read.body.template?.items)) {
    return { status, body, checkup: read.body.checkup, template: read.body.template };
  }
  return { status: read.ok ? 500 : status, body };
};

/**
 * How a check-up page (the form, the report) opens: the id from the address, then `read` (the form's
 * also keeps a copy for working offline). Answers the id, the check-up and its template, or undefined
 * once `problem` says why the page cannot show (a 401 is on its way to sign-in already).
 */
export const openCheckup = async (
  c: TypedConsole,
  problem: HTMLElement,
  read: typeof loadCheckup,
): Promise<(Loaded & { id: string }) | undefined> => {
  const { m } = c;
  const id = new URLSearchParams(location.search).get('id') ?? '';
  const fail = (text: string) => {
    problem.textContent = text;
    problem.hidden = false;
    problem.focus();
    return undefined;
  };
  if (!CHECKUP_ID.test(id)) return fail(m('checkup.missing'));
  const loaded = await read(c, id);
  if (loaded.status === 401) return undefined;
  if (!loaded.checkup || !loaded.template) {
    return fail(
      loaded.status === 404
        ? m('checkup.notFound')
        : `${m('checkup.failed')} ${failureText(m, loaded.status, loaded.body)}`,
    );
  }
  return { id, checkup: loaded.checkup, template: loaded.template };
};

/** The refs of an answer's files: `evidence` when the API gave it, else the bare ids. */
export const refsOf = (answer: CheckupAnswer | undefined): EvidenceRef[] =>
  answer?.evidence ??
  (answer?.evidenceIds ?? []).map((evidenceId) => ({ evidenceId, fileName: evidenceId, contentType: '' }));

/** Presigned download links, a few requests at a time, each kept four minutes. */
export const evidenceLinks = (token: string) => {
  const cache = new Map<string, { url: string; fileName: string; contentType: string; at: number }>();
  let running = 0;
  const waiting: (() => void)[] = [];
  const get = async (id: string, fresh = false) => {
    const hit = cache.get(id);
    if (!fresh && hit && Date.now() - hit.at < FRESH_MS) return hit;
    if (running >= 4) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      const answer = await api('evidence.get', { params: { id }, token });
      const found = answer.ok ? answer.body : undefined;
      if (typeof found?.download?.url !== 'string') return undefined;
      const entry = {
        url: found.download.url,
        fileName: String(found.fileName ?? id),
        contentType: String(found.contentType ?? ''),
        at: Date.now(),
      };
      cache.set(id, entry);
      return entry;
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
  return { get };
};

/**
 * A thumbnail link of one stored photo (a file badge for other types), filled once its link arrives;
 * a link older than four minutes is asked for again when opened.
 */
export const photoThumb = (m: Say, links: ReturnType<typeof evidenceLinks>, ref: EvidenceRef): HTMLElement => {
  const box = el('span', 'photo-thumb');
  box.append(el('span', 'photo-wait muted small', m('checkup.photo.loading')));
  void links.get(ref.evidenceId).then((found) => {
    if (!found) {
      box.replaceChildren(el('span', 'muted small', m('checkup.photo.unavailable', { name: ref.fileName })));
      return;
    }
    const name = found.fileName || ref.fileName;
    const link = el('a', 'photo-link');
    link.href = found.url;
    link.target = '_blank';
    link.rel = 'noopener';
    link.setAttribute('aria-label', m('checkup.photo.open', { name }));
    if (THUMBNAIL_TYPES.includes(found.contentType || ref.contentType)) {
      const img = el('img');
      img.alt = '';
      img.width = 160;
      img.height = 120;
      img.decoding = 'async';
      img.src = found.url;
      img.addEventListener('error', () => img.replaceWith(fileBadge(found.contentType)));
      link.append(img);
    } else {
      link.append(fileBadge(found.contentType));
    }
    link.append(el('span', 'photo-name', name));
    let fetchedAt = found.at;
    link.addEventListener('click', async (event) => {
      if (Date.now() - fetchedAt < FRESH_MS) return;
      event.preventDefault();
      const latest = await links.get(ref.evidenceId, true);
      if (latest) {
        fetchedAt = latest.at;
        link.href = latest.url;
        window.open(latest.url, '_blank', 'noopener');
      }
    });
    box.replaceChildren(link);
  });
  return box;
};

export const fileBadge = (contentType: string): HTMLElement => {
  const ext = (contentType.split('/')[1] ?? 'file').replace('jpeg', 'jpg').toUpperCase();
  const badge = el('span', 'file-badge', ext);
  badge.setAttribute('aria-hidden', 'true');
  return badge;
};
