/**
 * Staff console, compliance (leads, admins): `GET /api/staff/compliance?month=&jurisdiction=` drawn as
 * the totals, bars of contacted vs missed per unit one level down (SVG made here, attributes set by
 * script; each row also says its numbers in text, and a table repeats them), the 12-month rate trend,
 * and the missed pairings with escalations marked. The month and the unit live in the URL
 * (`?month=2026-10&jurisdiction=320506`), so drilling into a unit, back and forward all work.
 */

import { contains, JURISDICTION_CODE, levelOf, names, parentOf } from '../../../shared/jurisdictions.ts';
import { MONTH } from '../../../shared/monthly.ts';
import { api, messagesOf } from '../kit/api.ts';
import { failureBox } from '../kit/failure.ts';
import { failureText } from '../kit/messages.ts';
import {
  instantDay,
  keepQueryOnLangSwitch,
  monthBefore,
  monthLabel,
  monthShort,
  placeName,
  rateText,
  svg,
  thisMonth,
} from './compliance-months.ts';
import { setFieldError, startConsole, type TypedConsole } from './console.ts';
import { el, type PageLang } from './format.ts';

interface Counts {
  judged: number;
  contacted: number;
  missed: number;
  rate: number | null;
}

interface Child extends Counts {
  code: string;
  name?: { zh?: string; en?: string };
  level?: string;
}

interface Missed {
  nudgeId: string;
  pairingId: string;
  uscc: string;
  firmName?: string;
  county: string;
  liaison: string;
  kind: 'missed' | 'escalation';
  lastQualifyingContactAt: string | null;
}

interface Report {
  month: string;
  jurisdiction: { code: string; name?: { zh?: string; en?: string } };
  totals: Counts;
  children: Child[];
  missed: Missed[];
  trend: ({ month: string } & Counts)[];
}

interface StaffUser {
  username: string;
  displayName?: string;
}

const root = document.querySelector<HTMLElement>('#console');

/** `吴中区（320506）` / `Wuzhong District (320506)`. */
const placeWithCode = (code: string, lang: PageLang, name?: { zh?: string; en?: string }) => {
  const place = placeName(code, lang, name);
  if (place === code) return code;
  return lang === 'zh' ? `${place}（${code}）` : `${place} (${code})`;
};

/** Not yet judged either way: judged pairings neither contacted nor (yet) missed. */
const openOf = (counts: Counts) => Math.max(0, counts.judged - counts.contacted - counts.missed);

const run = async (root: HTMLElement, c: TypedConsole) => {
  const { lang, m } = c;
  const $ = <T extends HTMLElement>(selector: string): T => root.querySelector(selector) as T;
  const body = $<HTMLElement>('#console-body');
  const form = $<HTMLFormElement>('#compliance-filters');
  const monthSelect = $<HTMLSelectElement>('#compliance-month');
  const placeSelect = $<HTMLSelectElement>('#compliance-jurisdiction');
  const prev = $<HTMLButtonElement>('#compliance-prev');
  const next = $<HTMLButtonElement>('#compliance-next');
  const crumbs = $<HTMLElement>('#compliance-path');
  const problem = $<HTMLElement>('#compliance-problem');
  const result = $<HTMLElement>('#compliance-result');
  const title = $<HTMLElement>('#compliance-title');
  const running = $<HTMLElement>('#compliance-running');
  const totals = $<HTMLElement>('#compliance-totals');
  const bars = $<HTMLElement>('#children-bars');
  const childrenCaption = $<HTMLElement>('#children-caption');
  const childrenHint = $<HTMLElement>('#children-hint');
  const childrenHintText = childrenHint.textContent ?? '';
  const childrenTable = $<HTMLElement>('#children-table');
  const childrenDetails = $<HTMLElement>('#children-details');
  const trendBars = $<HTMLElement>('#trend-bars');
  const trendCaption = $<HTMLElement>('#trend-caption');
  const trendTable = $<HTMLElement>('#trend-table');
  const missedHeading = $<HTMLElement>('#missed-heading');
  const missedList = $<HTMLElement>('#missed-list');
  body.hidden = false;

  const scope = c.me.jurisdiction.code;
  const current = thisMonth();

  // ---- the pickers ----

  for (let back = 0; back < 24; back++) {
    const month = monthBefore(current, back);
    monthSelect.append(new Option(monthLabel(month, lang), month));
  }
  const ensureMonth = (month: string) => {
    if (![...monthSelect.options].some((o) => o.value === month)) {
      monthSelect.append(new Option(monthLabel(month, lang), month));
    }
  };
  const depth = (code: string) => {
    let n = 0;
    for (let at: string | undefined = code; at && at !== scope; at = parentOf(at)) n++;
    return n;
  };
  const ensurePlace = (code: string, name?: { zh?: string; en?: string }) => {
    if ([...placeSelect.options].some((o) => o.value === code)) return;
    const option = new Option(`${'\u3000'.repeat(depth(code))}${placeWithCode(code, lang, name)}`, code);
    const after = [...placeSelect.options].find((o) => o.value > code);
    placeSelect.add(option, after ?? null);
  };
  ensurePlace(scope, c.me.jurisdiction.name);
  for (const code of Object.keys(names).sort()) if (contains(scope, code)) ensurePlace(code);

  const valid = (month: string | null, code: string | null) => ({
    month: month && MONTH.test(month) && month <= current ? month : current,
    code: code && JURISDICTION_CODE.test(code) && contains(scope, code) ? code : scope,
  });
  const fromUrl = () => {
    const query = new URLSearchParams(location.search);
    return valid(query.get('month'), query.get('jurisdiction'));
  };
  const urlOf = (month: string, code: string) => {
    const query = new URLSearchParams({ month, jurisdiction: code });
    return `${location.pathname}?${query}`;
  };

  // Staff names for the missed list (leads and admins see the accounts in scope); usernames otherwise.
  let people: Map<string, StaffUser> | undefined;
  const staffNames = async () => {
    if (people) return people;
    const { status, body: answer } = await api('users.list', { token: c.token });
    const users = (answer as { users?: StaffUser[] } | null)?.users;
    people = new Map(status === 200 && Array.isArray(users) ? users.map((u) => [u.username, u]) : []);
    return people;
  };
  const personLabel = (username: string) => {
    const user = people?.get(username);
    if (!user?.displayName || user.displayName === username) return username;
    return lang === 'zh' ? `${user.displayName}（${username}）` : `${user.displayName} (${username})`;
  };

  // ---- drawing ----

  const showCrumbs = (code: string, name?: { zh?: string; en?: string }) => {
    const chain: string[] = [];
    for (let at: string | undefined = code; at; at = parentOf(at)) {
      chain.unshift(at);
      if (at === scope) break;
    }
    const list = crumbs.querySelector('ol') as HTMLOListElement;
    list.replaceChildren(
      ...chain.map((at) => {
        const item = el('li');
        const label = placeName(at, lang, at === code ? name : undefined);
        if (at === code) {
          const here = el('span', undefined, label);
          here.setAttribute('aria-current', 'page');
          item.append(here);
        } else {
          const link = el('a', undefined, label);
          link.href = urlOf(monthSelect.value, at);
          link.dataset.code = at;
          item.append(link);
        }
        return item;
      }),
    );
    crumbs.hidden = chain.length < 2;
  };

  const tile = (label: string, value: string, kind: string) => {
    const row = el('div', `tile tile-${kind}`);
    row.append(el('dt', undefined, label), el('dd', undefined, value));
    return row;
  };

  const drawTotals = (report: Report, isRunning: boolean) => {
    const t = report.totals;
    totals.replaceChildren(
      tile(m('compliance.judged'), String(t.judged), 'judged'),
      tile(m('compliance.contacted'), String(t.contacted), 'contacted'),
      isRunning
        ? tile(m('compliance.open'), String(openOf(t)), 'open')
        : tile(m('compliance.missed'), String(t.missed), 'missed'),
      tile(m('compliance.rate'), rateText(m, t.rate), 'rate'),
    );
  };

  /** A horizontal bar: contacted (green), missed (red), still open (grey), on a track of `max`. */
  const barSvg = (counts: Counts, max: number) => {
    const chart = svg('svg', {
      class: 'bar',
      viewBox: '0 0 100 10',
      preserveAspectRatio: 'none',
      'aria-hidden': 'true',
      focusable: 'false',
    });
    chart.append(svg('rect', { class: 'seg-track', x: 0, y: 0, width: 100, height: 10 }));
    let x = 0;
    const open = openOf(counts);
    for (const [value, kind] of [
      [counts.contacted, 'contacted'],
      [counts.missed, 'missed'],
      [open, 'open'],
    ] as const) {
      if (value <= 0 || max <= 0) continue;
      const width = (value / max) * 100;
      chart.append(svg('rect', { class: `seg-${kind}`, x: x.toFixed(3), y: 0, width: width.toFixed(3), height: 10 }));
      x += width;
    }
    return chart;
  };

  const rowText = (counts: Counts, isRunning: boolean) =>
    isRunning
      ? m('compliance.chart.rowOpen', { contacted: counts.contacted, open: openOf(counts) })
      : m('compliance.chart.row', { contacted: counts.contacted, missed: counts.missed });

  const numberTable = (
    caption: string,
    head: string,
    rows: { label: string | Node; counts: Counts; key: string }[],
    isRunning: boolean,
  ) => {
    const table = el('table', 'data-table chart-data');
    table.append(el('caption', undefined, caption));
    const thead = el('thead');
    const headRow = el('tr');
    const columns = [
      m('compliance.judged'),
      m('compliance.contacted'),
      isRunning ? m('compliance.open') : m('compliance.missed'),
      m('compliance.rate'),
    ];
    const th = (text: string, numeric = false) => {
      const cell = el('th', numeric ? 'num' : undefined, text);
      cell.scope = 'col';
      return cell;
    };
    headRow.append(th(head), ...columns.map((text) => th(text, true)));
    thead.append(headRow);
    const tbody = el('tbody');
    for (const row of rows) {
      const tr = el('tr');
      tr.dataset.key = row.key;
      const name = el('th');
      name.scope = 'row';
      name.append(row.label);
      const values = [row.counts.judged, row.counts.contacted, isRunning ? openOf(row.counts) : row.counts.missed].map(
        String,
      );
      tr.append(name, ...values.map((v) => el('td', 'num', v)), el('td', 'num', rateText(m, row.counts.rate)));
      tbody.append(tr);
    }
    table.append(thead, tbody);
    return table;
  };

  const drawChildren = (report: Report, isRunning: boolean) => {
    const place = placeName(report.jurisdiction.code, lang, report.jurisdiction.name);
    const monthText = monthLabel(report.month, lang);
    childrenCaption.textContent = m('compliance.chart.label', { place, month: monthText });
    const county = levelOf(report.jurisdiction.code) === 'county';
    if (report.children.length === 0) {
      bars.replaceChildren();
      childrenHint.textContent = m(county ? 'compliance.children.county' : 'compliance.children.none');
      childrenDetails.hidden = true;
      $<HTMLElement>('#children-chart').hidden = true;
      for (const legend of root.querySelectorAll<HTMLElement>('#children-section .legend')) legend.hidden = true;
      return;
    }
    childrenHint.textContent = childrenHintText;
    childrenDetails.hidden = false;
    $<HTMLElement>('#children-chart').hidden = false;
    for (const legend of root.querySelectorAll<HTMLElement>('#children-section .legend')) legend.hidden = false;
    for (const item of root.querySelectorAll<HTMLElement>('#children-section [data-legend=open]'))
      item.hidden = !isRunning;
    const max = Math.max(1, ...report.children.map((child) => Math.max(child.judged, child.contacted + child.missed)));
    bars.replaceChildren(
      ...report.children.map((child) => {
        const item = el('li', 'bar-row');
        item.dataset.code = child.code;
        const label = el('p', 'bar-label');
        const link = el('a', 'bar-name', placeName(child.code, lang, child.name));
        link.href = urlOf(report.month, child.code);
        link.dataset.code = child.code;
        link.title = m('compliance.chart.drill', { place: placeName(child.code, lang, child.name) });
        const rate = el('span', 'bar-rate', rateText(m, child.rate));
        label.append(link, rate);
        const numbers = el('p', 'bar-numbers', rowText(child, isRunning));
        item.append(label, barSvg(child, max), numbers);
        return item;
      }),
    );
    childrenTable.replaceChildren(
      numberTable(
        m('compliance.table.caption', { month: monthText }),
        m('compliance.table.unit'),
        report.children.map((child) => ({
          label: placeWithCode(child.code, lang, child.name),
          counts: child,
          key: child.code,
        })),
        isRunning,
      ),
    );
  };

  const drawTrend = (report: Report) => {
    const place = placeName(report.jurisdiction.code, lang, report.jurisdiction.name);
    trendCaption.textContent = m('compliance.trend.label', { place });
    trendBars.replaceChildren(
      ...report.trend.map((point, i) => {
        const isRunning = point.month >= current;
        const item = el('li', 'trend-bar');
        item.dataset.month = point.month;
        if (point.month === report.month) item.classList.add('trend-chosen');
        const rate = el('span', 'trend-rate', point.judged > 0 ? String(Math.round((point.rate ?? 0) * 100)) : '–');
        rate.setAttribute('aria-hidden', 'true');
        const chart = svg('svg', {
          class: 'trend-column',
          viewBox: '0 0 10 100',
          preserveAspectRatio: 'none',
          'aria-hidden': 'true',
          focusable: 'false',
        });
        if (point.judged > 0) {
          let top = 100;
          for (const [value, kind] of [
            [point.contacted, 'contacted'],
            [point.missed, 'missed'],
            [openOf(point), 'open'],
          ] as const) {
            if (value <= 0) continue;
            const height = Math.min(top, (value / point.judged) * 100);
            top -= height;
            chart.append(
              svg('rect', { class: `seg-${kind}`, x: 0, y: top.toFixed(3), width: 10, height: height.toFixed(3) }),
            );
          }
        }
        // The month as a word on a desk, as a number on a phone; the year under the first and under January.
        const label = el('span', 'trend-month');
        label.append(
          el('span', 'trend-month-long', monthShort(point.month, lang)),
          el('span', 'trend-month-num', String(Number(point.month.slice(5)))),
        );
        label.setAttribute('aria-hidden', 'true');
        const year = el('span', 'trend-year', i === 0 || point.month.endsWith('-01') ? point.month.slice(0, 4) : '');
        year.setAttribute('aria-hidden', 'true');
        const spoken = el(
          'span',
          'visually-hidden',
          `${monthLabel(point.month, lang)}: ${
            point.judged > 0
              ? `${m('compliance.rate')} ${rateText(m, point.rate)}, ${rowText(point, isRunning)}`
              : m('compliance.trend.noData')
          }`,
        );
        item.append(rate, chart, label, year, spoken);
        return item;
      }),
    );
    const anyRunning = report.trend.some((point) => point.month >= current);
    trendTable.replaceChildren(
      numberTable(
        m('compliance.trend.caption', { place }),
        m('compliance.trend.month'),
        report.trend.map((point) => ({ label: monthLabel(point.month, lang), counts: point, key: point.month })),
        false,
      ),
    );
    for (const item of root.querySelectorAll<HTMLElement>('#trend-section [data-legend=open]'))
      item.hidden = !anyRunning;
  };

  const drawMissed = (report: Report, isRunning: boolean) => {
    // One row per pairing: an escalation marks the row of its missed nudge.
    const byPairing = new Map<string, Missed & { escalated: boolean }>();
    for (const item of report.missed) {
      const seen = byPairing.get(item.pairingId);
      if (seen) seen.escalated ||= item.kind === 'escalation';
      else byPairing.set(item.pairingId, { ...item, escalated: item.kind === 'escalation' });
    }
    const rows = [...byPairing.values()].sort(
      (a, b) =>
        Number(b.escalated) - Number(a.escalated) ||
        a.county.localeCompare(b.county) ||
        (a.firmName ?? a.uscc).localeCompare(b.firmName ?? b.uscc, lang === 'zh' ? 'zh-CN' : 'en'),
    );
    missedHeading.textContent = m('compliance.missed.heading', { n: rows.length });
    const monthText = monthLabel(report.month, lang);
    if (rows.length === 0) {
      missedList.replaceChildren(
        el(
          'p',
          'empty',
          m(isRunning ? 'compliance.missed.runningEmpty' : 'compliance.missed.empty', { month: monthText }),
        ),
      );
      return;
    }
    const table = el('table', 'data-table missed-table');
    const headers = [
      m('compliance.missed.firm'),
      m('compliance.missed.county'),
      m('compliance.missed.liaison'),
      m('compliance.missed.kind'),
      m('compliance.missed.last'),
    ];
    const thead = el('thead');
    const headRow = el('tr');
    for (const text of headers) {
      const th = el('th', undefined, text);
      th.scope = 'col';
      headRow.append(th);
    }
    thead.append(headRow);
    const tbody = el('tbody');
    for (const row of rows) {
      const tr = el('tr');
      tr.dataset.pairingId = row.pairingId;
      tr.dataset.kind = row.escalated ? 'escalation' : 'missed';
      const firm = el('th', 'missed-firm');
      firm.scope = 'row';
      firm.dataset.label = headers[0] as string;
      const link = el('a', undefined, row.firmName || row.uscc);
      link.href = `${c.path('/staff/pairings/contact/')}?id=${encodeURIComponent(row.pairingId)}`;
      link.title = m('compliance.missed.open');
      firm.append(link, el('span', 'uscc-small', row.uscc));
      const cell = (label: string, content: string | Node, className?: string) => {
        const td = el('td', className);
        td.dataset.label = label;
        td.append(content);
        return td;
      };
      const kind = el('span', `badge badge-kind`, m(row.escalated ? 'monthly.kind.escalation' : 'monthly.kind.missed'));
      kind.dataset.kind = row.escalated ? 'escalation' : 'missed';
      tr.append(
        firm,
        cell(headers[1] as string, placeName(row.county, lang)),
        cell(headers[2] as string, personLabel(row.liaison), 'missed-liaison'),
        cell(headers[3] as string, kind),
        cell(headers[4] as string, instantDay(row.lastQualifyingContactAt, lang) || m('monthly.never')),
      );
      tbody.append(tr);
    }
    table.append(thead, tbody);
    missedList.replaceChildren(table);
  };

  // ---- loading ----

  let loading = 0;
  const load = async (month: string, code: string, focus: boolean) => {
    const ticket = ++loading;
    ensureMonth(month);
    ensurePlace(code);
    monthSelect.value = month;
    placeSelect.value = code;
    setFieldError(placeSelect, undefined);
    prev.disabled = false;
    next.disabled = month >= current;
    problem.replaceChildren();
    result.setAttribute('aria-busy', 'true');
    if (result.hidden) problem.replaceChildren(el('p', 'muted', m('monthly.loading')));
    const query = new URLSearchParams({ month, jurisdiction: code });
    const [{ status, body: answer }] = await Promise.all([
      api('compliance.get', { query, token: c.token }),
      staffNames(),
    ]);
    if (ticket !== loading) return;
    result.removeAttribute('aria-busy');
    const report = answer as Report | null;
    if (status !== 200 || !report?.totals || !Array.isArray(report.trend)) {
      if (status === 401) return;
      if (status === 404 || status === 403) setFieldError(placeSelect, m('compliance.err.jurisdiction'));
      result.hidden = true;
      const box = failureBox(
        m,
        m('monthly.failed'),
        failureText(m, status, answer),
        () => void load(month, code, true),
        'monthly.retry',
      );
      problem.replaceChildren(box);
      return;
    }
    problem.replaceChildren();
    const isRunning = report.month >= current;
    ensurePlace(report.jurisdiction.code, report.jurisdiction.name);
    showCrumbs(report.jurisdiction.code, report.jurisdiction.name);
    const place = placeName(report.jurisdiction.code, lang, report.jurisdiction.name);
    title.textContent = m('compliance.resultHeading', { place, month: monthLabel(report.month, lang) });
    running.hidden = !isRunning;
    running.textContent = isRunning ? m('compliance.running', { month: monthLabel(report.month, lang) }) : '';
    drawTotals(report, isRunning);
    drawChildren(report, isRunning);
    drawTrend(report);
    drawMissed(report, isRunning);
    result.hidden = false;
    result.dataset.month = report.month;
    result.dataset.jurisdiction = report.jurisdiction.code;
    keepQueryOnLangSwitch();
    if (focus) title.focus();
  };

  const go = (month: string, code: string) => {
    const target = valid(month, code);
    history.pushState(null, '', urlOf(target.month, target.code));
    void load(target.month, target.code, true);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go(monthSelect.value, placeSelect.value);
  });
  prev.addEventListener('click', () => go(monthBefore(monthSelect.value), placeSelect.value));
  next.addEventListener('click', () => go(monthBefore(monthSelect.value, -1), placeSelect.value));
  // A unit in the chart or the path above: drill in without reloading the page.
  root.addEventListener('click', (event) => {
    const link = (event.target as HTMLElement).closest<HTMLAnchorElement>('a[data-code]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    go(monthSelect.value, link.dataset.code as string);
  });
  window.addEventListener('popstate', () => {
    const { month, code } = fromUrl();
    void load(month, code, true);
  });

  const start = fromUrl();
  history.replaceState(null, '', urlOf(start.month, start.code));
  await load(start.month, start.code, false);
};

if (root) {
  // This page's own words for a role it is not for (the bar's default speaks of consultation days).
  const notice = root.querySelector<HTMLElement>('#console-no-access p');
  const text = messagesOf(root)['monthly.noAccess'];
  if (notice && text) notice.textContent = text;
  void startConsole(root).then((c) => (c ? run(root, c) : undefined));
}
