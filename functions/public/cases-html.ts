import { CASE_KIND_NAMES, CASE_KINDS, type CaseKind, type PublicCase } from '../../shared/case-rules.ts';
import { escapeHtml } from '../lib/formats/html.ts';

/**
 * The published cases as plain HTML, for reading without JavaScript (the static page links here
 * from its <noscript>). No scripts; inline styles only; every value escaped.
 */
const words = {
  zh: {
    title: '“三个最佳”案例',
    none: '暂无已发布的案例。',
    all: '全部',
    firms: '服务企业',
    published: '发布日期',
    more: '更多案例',
    back: '返回案例页面（需要 JavaScript）',
    page: '/cases/',
  },
  en: {
    title: '"Three best" cases',
    none: 'No case has been published yet.',
    all: 'All',
    firms: 'Firms served',
    published: 'Published',
    more: 'More cases',
    back: 'Back to the cases page (needs JavaScript)',
    page: '/en/cases/',
  },
};

const listHref = (lang: 'zh' | 'en', kind?: CaseKind, cursor?: string) => {
  const query = new URLSearchParams({ lang });
  if (kind) query.set('kind', kind);
  if (cursor) query.set('cursor', cursor);
  return `/api/public/cases?${query.toString()}`;
};

/** The Beijing date of an ISO time. */
const beijingDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

export const casesHtml = (
  cases: readonly PublicCase[],
  lang: 'zh' | 'en',
  page: { kind?: CaseKind | undefined; nextCursor: string | null },
): string => {
  const w = words[lang];
  const filters = [
    `<a href="${escapeHtml(listHref(lang))}"${page.kind ? '' : ' aria-current="page"'}>${w.all}</a>`,
    ...CASE_KINDS.map(
      (k) =>
        `<a href="${escapeHtml(listHref(lang, k))}"${page.kind === k ? ' aria-current="page"' : ''}>${CASE_KIND_NAMES[k][lang]}</a>`,
    ),
  ].join(' · ');
  const items = cases
    .map(
      (c) =>
        `<li class="case"><p class="kind">${CASE_KIND_NAMES[c.kind][lang]} · ${escapeHtml(c.place[lang])}</p><h2>${escapeHtml(c.title)}</h2><p>${escapeHtml(c.summary)}</p>${
          c.firms.length ? `<p>${w.firms}: ${c.firms.map(escapeHtml).join('、')}</p>` : ''
        }<p class="date">${w.published}: ${beijingDate(c.publishedAt)}</p></li>`,
    )
    .join('');
  const more = page.nextCursor
    ? `<p><a href="${escapeHtml(listHref(lang, page.kind, page.nextCursor))}">${w.more}</a></p>`
    : '';
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${w.title}</title><style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:44rem;padding:1rem;line-height:1.6;color:#1a2b23}h1{color:#0f6e4f}ul.cases{list-style:none;padding:0}li.case{border:1px solid #cfd8d3;border-radius:8px;padding:.75rem 1rem;margin:.75rem 0}h2{font-size:1.1rem;margin:.2rem 0}.kind,.date{color:#4a5a52;font-size:.9rem;margin:0}a{color:#0f6e4f}</style></head><body><h1>${w.title}</h1><nav>${filters}</nav>${
    cases.length ? `<ul class="cases">${items}</ul>` : `<p>${w.none}</p>`
  }${more}<p><a href="${w.page}">${w.back}</a></p></body></html>`;
};
