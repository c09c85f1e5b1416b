/**
 * The public "three best" cases page: reads `GET /api/public/cases?kind=&cursor=` (published cases
 * only, their public text), 20 at a time; the kind filter is the page's `?kind=` (plain links).
 */
import { CASE_KINDS, type CaseKind, type PublicCase } from '../../../shared/case-rules.ts';
import { dateText } from '../kit/dates.ts';
import { messagesOf, publicApi } from '../kit/public-api.ts';
import { buttonEl, el, fill, langOf } from './format.ts';

const root = document.querySelector<HTMLElement>('#cases');
const list = document.querySelector<HTMLElement>('#case-list');
const more = document.querySelector<HTMLButtonElement>('#cases-more');

if (root && list && more) {
  const lang = langOf(root);
  const msg = messagesOf(root);
  const m = (key: string, vars?: Record<string, string | number>) => {
    const text = msg[key] ?? key;
    return vars ? fill(text, vars) : text;
  };
  const asked = new URLSearchParams(location.search).get('kind') ?? '';
  const kind = (CASE_KINDS as readonly string[]).includes(asked) ? (asked as CaseKind) : undefined;
  for (const link of root.querySelectorAll<HTMLAnchorElement>('.kind-filter a')) {
    if ((link.dataset.kind ?? '') === (kind ?? '')) link.setAttribute('aria-current', 'page');
  }
  let cursor: string | null = null;

  const beijingDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
  const card = (c: PublicCase) => {
    const item = el('article', 'case-card card');
    item.append(
      el('p', 'case-kind', `${m(`cases.kind.${c.kind}`)} · ${c.place[lang]}`),
      el('h2', undefined, c.title),
      el('p', 'case-summary', c.summary),
    );
    if (c.firms.length > 0) item.append(el('p', 'case-firms', `${m('cases.firms')}：${c.firms.join('、')}`));
    item.append(el('p', 'case-date muted', m('cases.published', { date: dateText(beijingDate(c.publishedAt), lang) })));
    return item;
  };

  const load = async (first: boolean) => {
    if (first) list.replaceChildren(el('p', 'muted', m('cases.loading')));
    more.disabled = true;
    const query: Record<string, string> = {};
    if (kind) query.kind = kind;
    if (cursor) query.cursor = cursor;
    const result = await publicApi('publicCases.list', { query });
    more.disabled = false;
    if (!result.ok) {
      const box = el('div', 'alert');
      box.setAttribute('role', 'alert');
      const retry = buttonEl('button-secondary button-small', m('cases.retry'));
      retry.addEventListener('click', () => void load(first));
      box.append(el('p', undefined, m('cases.failed')), retry);
      if (first) list.replaceChildren(box);
      else list.append(box);
      return;
    }
    const page = result.body;
    if (first) list.replaceChildren();
    for (const alert of list.querySelectorAll('.alert')) alert.remove();
    list.append(...page.cases.map(card));
    if (first && page.cases.length === 0) list.append(el('p', 'muted', m('cases.empty')));
    cursor = page.nextCursor;
    more.hidden = cursor === null;
  };
  more.addEventListener('click', () => void load(false));
  void load(true);
}
