/**
 * A firm's service record: `GET /api/staff/enterprises/{uscc}/timeline?cursor=` (newest first, "load
 * older" while `nextCursor`). A contact shows its mode, liaison, participants, summary and evidence:
 * JPEG and PNG as thumbnails, other files as links, each from `GET /api/staff/evidence/{id}` (a presigned
 * URL valid a few minutes, so a link older than that is asked for again when it is opened). A booking
 * shows its code, topic, status and outcome.
 */

import type { LedgerState, Severity } from '../../../shared/ledger-rules.ts';
import { MANAGERS } from '../../../shared/roles.ts';
import { api } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { checkupHref } from './checkup-common.ts';
import type { TypedConsole } from './console.ts';
import { buttonEl, dateTime, el, fact } from './format.ts';
import { wireLoadMore } from './load-more.ts';

interface Evidence {
  evidenceId: string;
  fileName: string;
  contentType: string;
}

interface ContactItem {
  kind: 'contact';
  at: string;
  pairingId: string;
  liaison: string;
  /** The liaison by name, as the server answers it (issue 18). */
  liaisonName: string;
  mode: 'visit' | 'video' | 'phone' | 'meeting';
  summary: string;
  participants: string[];
  evidence?: Evidence[];
}

interface BookingItem {
  kind: 'booking';
  at: string;
  code: string;
  dayId: string;
  slotId: string;
  status: 'confirmed' | 'waitlisted' | 'cancelled' | 'attended' | 'no_show';
  topic: string;
  outcome?: string;
}

interface CheckupItem {
  kind: 'checkup';
  at: string;
  checkupId: string;
  state: 'draft' | 'submitted';
  score: number | null;
  band: 'green' | 'yellow' | 'red' | null;
}

interface LedgerEntry {
  kind: 'ledger';
  at: string;
  itemId: string;
  title: string;
  state: LedgerState;
  severity: Severity;
  dueOn: string;
}

type Item = ContactItem | BookingItem | CheckupItem | LedgerEntry;

const THUMBNAIL_TYPES = ['image/jpeg', 'image/png'];
/** Presigned URLs live five minutes; one older than this is fetched again before it is opened. */
const FRESH_MS = 4 * 60_000;

export const setupTimeline = (c: TypedConsole, uscc: string) => {
  const { lang, m, token, $ } = c;
  const list = $<HTMLOListElement>('#timeline');
  const empty = $<HTMLElement>('#timeline-empty');
  const problem = $<HTMLElement>('#timeline-problem');
  const more = $<HTMLButtonElement>('#timeline-more');
  const manager = (MANAGERS as readonly string[]).includes(c.me.role);
  let cursor: string | null = null;

  // ---- evidence ----

  const presigned = async (id: string): Promise<string | undefined> => {
    const { status, body } = await api('evidence.get', { params: { id }, token });
    const url = (body as { download?: { url?: unknown } } | null)?.download?.url;
    return status === 200 && typeof url === 'string' ? url : undefined;
  };

  const evidenceItem = (evidence: Evidence): HTMLLIElement => {
    const item = el('li');
    item.dataset.evidenceId = evidence.evidenceId;
    const image = THUMBNAIL_TYPES.includes(evidence.contentType);
    item.className = image ? 'evidence-thumb' : 'evidence-file';
    const link = el('a');
    link.target = '_blank';
    link.rel = 'noopener';
    const name = el('span', 'file-name', evidence.fileName);
    const loading = el('span', 'muted small', m('firm.evidence.loading'));
    let img: HTMLImageElement | undefined;
    if (image) {
      img = el('img');
      img.alt = '';
      img.width = 160;
      img.height = 120;
      img.decoding = 'async';
      img.loading = 'lazy';
      // A picture that cannot be shown still leaves the named link to open it.
      img.addEventListener('error', () => {
        if (img) img.hidden = true;
        item.classList.add('thumb-failed');
      });
      link.append(img);
    }
    link.append(name);
    link.setAttribute('aria-label', m('firm.evidence.open', { name: evidence.fileName }));
    item.append(loading);
    let fetchedAt = 0;
    const failed = () => {
      item.replaceChildren(el('span', 'muted small', m('firm.evidence.failed', { name: evidence.fileName })));
    };
    void presigned(evidence.evidenceId).then((url) => {
      if (!url) return failed();
      fetchedAt = Date.now();
      link.href = url;
      if (img) {
        img.src = url;
        img.dataset.loaded = 'true';
      }
      item.replaceChildren(link);
    });
    link.addEventListener('click', async (event) => {
      if (Date.now() - fetchedAt < FRESH_MS) return;
      event.preventDefault();
      const url = await presigned(evidence.evidenceId);
      if (!url) return failed();
      fetchedAt = Date.now();
      link.href = url;
      window.open(url, '_blank', 'noopener');
    });
    return item;
  };

  // ---- items ----

  const itemOf = (entry: Item): HTMLLIElement => {
    const item = el('li', 'timeline-item card');
    item.dataset.kind = entry.kind;
    const head = el('div', 'timeline-head');
    const time = el('time', 'timeline-time', dateTime(entry.at, lang, true));
    time.dateTime = entry.at;
    const facts = el('dl', 'facts compact');
    if (entry.kind === 'contact') {
      item.dataset.pairingId = entry.pairingId;
      head.append(el('h3', undefined, `${m('firm.kind.contact')} · ${m(`firm.mode.${entry.mode}`)}`), time);
      item.append(head, el('p', 'timeline-summary', entry.summary));
      facts.append(fact(m('firm.contact.liaison'), entry.liaisonName));
      if (entry.participants?.length) {
        facts.append(fact(m('firm.contact.participants'), entry.participants.join(lang === 'zh' ? '、' : ', ')));
      }
      item.append(facts);
      if (entry.evidence?.length) {
        const box = el('div', 'evidence');
        const title = el('h4', undefined, m('firm.contact.evidence'));
        const ul = el('ul', 'evidence-list');
        for (const evidence of entry.evidence) ul.append(evidenceItem(evidence));
        box.append(title, ul);
        item.append(box);
      }
    } else if (entry.kind === 'checkup') {
      head.append(el('h3', undefined, m('firm.kind.checkup')), time);
      const result =
        entry.state === 'submitted' && entry.band
          ? m('firm.checkup.result', { score: entry.score ?? 0, band: m(`firm.band.${entry.band}`) })
          : m('firm.checkup.draft');
      const badge = el('span', 'badge', result);
      if (entry.band) badge.dataset.band = entry.band;
      item.dataset.checkupId = entry.checkupId;
      // A submitted check-up opens its report; a draft, its form to carry on.
      const submitted = entry.state === 'submitted';
      const link = el('a', undefined, m(submitted ? 'checkup.timeline.report' : 'checkup.timeline.continue'));
      link.href = checkupHref(c, submitted ? 'report' : 'form', entry.checkupId);
      const p = el('p', 'timeline-link');
      p.append(link);
      item.append(head, badge, p);
    } else if (entry.kind === 'ledger') {
      item.dataset.itemId = entry.itemId;
      head.append(el('h3', undefined, `${m('firm.kind.ledger')} · ${entry.title}`), time);
      facts.append(
        fact(m(`ledger.state.${entry.state}`), `${m(`ledger.severity.${entry.severity}`)} · ${entry.dueOn}`),
      );
      const link = el('a', undefined, m('firm.ledger.open'));
      link.href = `${c.path('/staff/ledger/item/')}?id=${encodeURIComponent(entry.itemId)}`;
      const p = el('p', 'timeline-link');
      p.append(link);
      item.append(head, facts, p);
    } else {
      item.dataset.code = entry.code;
      head.append(el('h3', undefined, m('firm.kind.booking')), time);
      const badge = el('span', 'badge', m(`booking.status.${entry.status}`));
      badge.dataset.status = entry.status;
      facts.append(
        fact(m('firm.booking.topic'), entry.topic),
        fact(m('firm.booking.code'), el('span', 'mono', entry.code)),
        fact(m('firm.booking.status'), badge),
      );
      if (entry.outcome) facts.append(fact(m('firm.booking.outcome'), entry.outcome));
      item.append(head, facts);
      if (manager) {
        const link = el('a', undefined, m('firm.booking.day'));
        link.href = `${c.path('/staff/consultation-days/day/')}?id=${encodeURIComponent(entry.dayId)}`;
        const p = el('p', 'timeline-link');
        p.append(link);
        item.append(p);
      }
    }
    return item;
  };

  const load = async (): Promise<number | undefined> => {
    problem.hidden = true;
    list.setAttribute('aria-busy', 'true');
    const { status, body } = await api('enterprises.timeline', {
      params: { uscc },
      query: { cursor: cursor || undefined },
      token,
    });
    list.removeAttribute('aria-busy');
    const page = body as { items?: Item[]; nextCursor?: string | null } | null;
    if (status !== 200 || !Array.isArray(page?.items)) {
      const text = failureText(m, status, body);
      problem.replaceChildren(el('p', undefined, `${m('firm.timeline.failed')} ${text}`));
      const retry = buttonEl('button-secondary button-small', m('console.retry'));
      retry.addEventListener('click', () => void load());
      problem.append(retry);
      problem.hidden = false;
      return undefined;
    }
    for (const entry of page.items) {
      if (['contact', 'booking', 'checkup', 'ledger'].includes(entry.kind)) list.append(itemOf(entry));
    }
    cursor = page.nextCursor ?? null;
    more.hidden = !cursor;
    empty.hidden = list.children.length > 0;
    return page.items.length;
  };

  wireLoadMore(more, $<HTMLElement>('#timeline-status'), list, {
    loading: m('firm.timeline.loadingMore'),
    loaded: (n) => m('firm.timeline.loaded', { n }),
    load,
    focus: (row) => {
      const next = row?.querySelector<HTMLElement>('h3');
      if (next) {
        next.tabIndex = -1;
        next.focus();
      }
    },
  });

  return load();
};
