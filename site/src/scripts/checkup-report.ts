/**
 * Staff console, one check-up's report (`?id=<checkupId>`): `GET /api/staff/checkups/{id}` → the firm,
 * date, inspectors, score and band, and a table per category (result, note, photos from
 * `GET /api/staff/evidence/{id}`); the ledger items raised from failures (`ledgerItemIds`) are read one
 * by one (`GET /api/staff/ledger-items/{id}`) for their title, state and due date, each linked to its
 * page. A draft shows what is answered so far and a link back to the form. "Print" is the browser's.
 */

import { CATEGORIES, type CheckupTemplate } from '../../../shared/checkups-rules.ts';
import { names } from '../../../shared/jurisdictions.ts';
import { api } from '../kit/api.ts';
import {
  bandBadge,
  type Checkup,
  categoryHeading,
  checkupHref,
  evidenceLinks,
  loadCheckup,
  MARKS,
  openCheckup,
  photoThumb,
  refsOf,
} from './checkup-common.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { dateTime, dayLabel, el, fact } from './format.ts';
import { keepQueryOnLangSwitch } from './lang-switch.ts';

const run = async (c: TypedConsole) => {
  const { lang, m, token, $ } = c;
  const body = $<HTMLElement>('#console-body');
  const title = document.title;
  keepQueryOnLangSwitch();
  const opened = await openCheckup(c, $<HTMLElement>('#report-problem'), loadCheckup);
  if (!opened) return;
  const { id } = opened;
  const k: Checkup = opened.checkup;
  const template: CheckupTemplate = opened.template;
  const submitted = k.state === 'submitted';
  const sep = lang === 'zh' ? '、' : ', ';
  const firmHref = `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(k.uscc)}`;
  document.title = `${k.firmName} · ${title}`;
  $<HTMLAnchorElement>('#report-back').href = firmHref;

  // ---- the head ----

  const firm = el('a', undefined, k.firmName);
  firm.href = firmHref;
  $<HTMLElement>('#report-firm').replaceChildren(firm);
  const state = el('span', 'badge', m(`checkup.state.${k.state}`));
  state.dataset.status = submitted ? 'confirmed' : 'waitlisted';
  const county = names[k.county]?.[lang];
  $<HTMLElement>('#report-facts').replaceChildren(
    fact(m('checkup.firm'), k.firmName),
    fact(m('checkup.uscc'), el('span', 'mono', k.uscc)),
    fact(m('checkup.county'), county ? `${county} (${k.county})` : k.county),
    fact(m('checkup.at'), dateTime(k.at, lang, true)),
    fact(m('checkup.inspectors'), k.inspectors.join(sep)),
    fact(m('checkup.template'), m('checkup.templateVersion', { v: k.templateVersion })),
    fact(m('checkup.state'), state),
  );

  const print = $<HTMLButtonElement>('#report-print');
  print.hidden = false;
  print.addEventListener('click', () => window.print());
  if (!submitted) {
    const more = $<HTMLAnchorElement>('#report-continue');
    more.href = checkupHref(c, 'form', id);
    more.hidden = false;
    $<HTMLElement>('#report-draft').hidden = false;
  }

  // ---- score and band ----

  const counts = { pass: 0, fail: 0, na: 0 };
  for (const item of template.items) {
    const result = k.answers[item.itemId]?.result;
    if (result) counts[result]++;
  }
  if (submitted && k.band) {
    $<HTMLElement>('#report-score').textContent = m('checkup.scoreValue', { score: k.score ?? 0 });
    $<HTMLElement>('#report-band').replaceChildren(bandBadge(m, k.band, null, true));
    $<HTMLElement>('#report-counts').textContent = m('checkup.counts', counts);
    $<HTMLElement>('#report-rule').textContent = m('checkup.band.rule', {
      green: template.thresholds.green,
      yellow: template.thresholds.yellow,
      below: template.thresholds.green - 1,
    });
    $<HTMLElement>('#report-result').hidden = false;
  }

  // ---- the items, a table per category ----

  const links = evidenceLinks(token);
  const used = CATEGORIES.filter((cat) => template.items.some((item) => item.category === cat));
  const sections = used.map((cat, n) => {
    const section = el('section', 'report-category section-gap');
    section.dataset.category = cat;
    const h2 = el('h2', undefined, categoryHeading(c, n, cat));
    h2.id = `category-${cat}`;
    section.setAttribute('aria-labelledby', h2.id);
    const table = el('table', 'data-table report-items');
    const head = el('thead');
    const headRow = el('tr');
    for (const [key, className] of [
      ['checkup.col.no', 'col-no'],
      ['checkup.col.item', 'col-item'],
      ['checkup.col.result', 'col-result'],
      ['checkup.col.note', 'col-note'],
    ] as const) {
      const th = el('th', className, m(key));
      th.scope = 'col';
      headRow.append(th);
    }
    head.append(headRow);
    const tbody = el('tbody');
    for (const item of template.items.filter((i) => i.category === cat)) {
      const answer = k.answers[item.itemId];
      const tr = el('tr');
      tr.dataset.itemId = item.itemId;
      tr.dataset.result = answer?.result ?? 'none';
      const no = el('th', 'col-no', item.itemId);
      no.scope = 'row';
      const cell = (label: string, className: string, ...content: (string | Node)[]) => {
        const td = el('td', className);
        td.dataset.label = label;
        td.append(...content);
        return td;
      };
      const result = el('span', 'result-badge');
      result.dataset.result = answer?.result ?? 'none';
      const mark = el('span', 'result-mark', answer ? MARKS[answer.result] : '?');
      mark.setAttribute('aria-hidden', 'true');
      result.append(mark, m(answer ? `checkup.result.${answer.result}` : 'checkup.result.none'));
      const notes: Node[] = [];
      notes.push(el('p', answer?.note ? 'report-note' : 'report-note muted', answer?.note || m('checkup.noNote')));
      const refs = refsOf(answer);
      if (refs.length > 0) {
        const list = el('ul', 'report-photos');
        for (const ref of refs) {
          const li = el('li');
          li.dataset.evidenceId = ref.evidenceId;
          li.append(photoThumb(m, links, ref));
          list.append(li);
        }
        notes.push(list);
      }
      tr.append(
        no,
        cell(m('checkup.col.item'), 'col-item', item.text[lang]),
        cell(m('checkup.col.result'), 'col-result', result),
        cell(m('checkup.col.note'), 'col-note', ...notes),
      );
      tbody.append(tr);
    }
    table.append(head, tbody);
    section.append(h2, table);
    return section;
  });
  $<HTMLElement>('#report-categories').replaceChildren(...sections);

  // ---- the firm representative's signature (issue 20) ----

  if (k.state !== 'draft') {
    const box = $<HTMLElement>('#signature-body');
    const signature = k.signature;
    if (!signature) box.replaceChildren(el('p', 'muted', m('checkup.signature.none')));
    else {
      const by = el(
        'p',
        'report-signer',
        m('checkup.signature.by', { name: signature.signerName, time: dateTime(signature.signedAt, lang, true) }),
      );
      const image = el('img', 'report-signature-image');
      image.alt = m('checkup.signature.image', { name: signature.signerName });
      image.width = 360;
      image.height = 130;
      box.replaceChildren(by, image);
      void links.get(signature.evidenceId).then((found) => {
        if (found) image.src = found.url;
        else image.replaceWith(el('p', 'muted', m('checkup.photo.unavailable', { name: 'signature.png' })));
      });
    }
    $<HTMLElement>('#report-signature').hidden = false;
  }

  body.hidden = false;

  // ---- the ledger items raised ----

  if (!submitted) return;
  const findings = $<HTMLElement>('#report-findings');
  const list = $<HTMLElement>('#findings-list');
  findings.hidden = false;
  if (k.ledgerItemIds.length === 0) {
    list.replaceWith(el('p', 'report-no-findings', m('checkup.findings.none')));
    return;
  }
  list.replaceChildren(el('li', 'muted', m('checkup.findings.loading')));
  const items = await Promise.all(
    k.ledgerItemIds.map(async (itemId) => {
      const answer = await api('ledger.get', { params: { id: itemId }, token });
      return { itemId, item: answer.ok ? answer.body.item : undefined };
    }),
  );
  list.replaceChildren(
    ...items.map(({ itemId, item }) => {
      const li = el('li', 'report-finding card');
      li.dataset.itemId = itemId;
      const link = el('a', 'report-finding-link');
      link.href = `${c.path('/staff/ledger/item/')}?id=${encodeURIComponent(itemId)}`;
      if (!item) {
        link.textContent = m('checkup.findings.open');
        li.append(el('p', 'muted', m('checkup.findings.failed', { id: itemId })), link);
        return li;
      }
      const source = item.sourceRef?.split(':').at(-1);
      const head = el('p', 'report-finding-title');
      if (source) head.append(el('span', 'checkup-item-id', source), ' ');
      link.textContent = item.title;
      head.append(link);
      const stateBadge = el('span', 'ledger-state', m(`ledger.state.${item.state}`));
      stateBadge.dataset.state = item.state;
      const facts = el('p', 'report-finding-facts');
      facts.append(
        stateBadge,
        ` · ${m(`ledger.severity.${item.severity}`)} · ${m('checkup.findings.due', { date: dayLabel(item.dueOn, lang) })}`,
      );
      if (item.overdue) facts.append(' · ', el('strong', 'overdue', m('ledger.overdue')));
      li.append(head, facts);
      return li;
    }),
  );
};

runConsolePage(run, ['liaison', 'lead', 'admin'], { revealsBody: true });
