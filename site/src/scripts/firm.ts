/**
 * Staff console, one firm (`?uscc=`): `GET /api/staff/enterprises/{uscc}` for the details; leads and
 * admins edit it in `<firm-edit>` (firm-edit.ts, loaded when they open the form); the firm's pairings come from `GET /api/staff/pairings?county=` (there is no firm filter, so
 * the county's list is narrowed here); the service record is `GET …/{uscc}/timeline` a page at a time
 * (firm-timeline.ts).
 */

import type { Enterprise } from '../../../shared/enterprise.ts';
import type { PairingView as Pairing } from '../../../shared/pairing-views.ts';
import { MANAGERS } from '../../../shared/roles.ts';
import { api } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { setupHealth } from './checkup-health.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import type { FirmEdit } from './firm-edit/element.ts';
import { setupTimeline } from './firm-timeline.ts';
import { buttonEl, dateTime, dayLabel, el, fact } from './format.ts';
import { countyLabel } from './roster-form/view.ts';

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, token, $ } = c;
  const manager = (MANAGERS as readonly string[]).includes(c.me.role);
  const params = new URLSearchParams(location.search);
  const uscc = (params.get('uscc') ?? '').trim().toUpperCase();
  const problemBox = $<HTMLElement>('#firm-problem');
  const body = $<HTMLElement>('#console-body');
  const heading = $<HTMLElement>('#firm-heading');
  const usccLine = $<HTMLElement>('#firm-uscc');
  const facts = $<HTMLElement>('#firm-facts');
  const pairingsBox = $<HTMLElement>('#firm-pairings');
  const firmTitle = document.title;

  const errorText = (code: number, answer: unknown) => failureText(m, code, answer);
  const fail = (text: string) => {
    problemBox.textContent = text;
    problemBox.hidden = false;
    problemBox.focus();
  };

  if (!/^[0-9A-Z]{18}$/.test(uscc)) {
    fail(m('firm.missing'));
    return;
  }

  // ---- details ----

  const renderFacts = (e: Enterprise) => {
    heading.textContent = e.name;
    document.title = firmTitle.replace(m('firm.title'), `${e.name} · ${m('firm.title')}`);
    usccLine.textContent = e.uscc;
    usccLine.hidden = false;
    const badge = el('span', 'badge', m(`roster.status.${e.status}`));
    badge.dataset.status = e.status;
    const contacts: Node = (() => {
      if (!e.contacts || e.contacts.length === 0) return document.createTextNode(m('firm.noContacts'));
      const list = el('ul', 'firm-contacts');
      for (const contact of e.contacts) {
        const item = el('li');
        item.append(el('strong', undefined, contact.name));
        if (contact.role) item.append(` · ${contact.role}`);
        const tel = el('a', 'nowrap', contact.mobile);
        tel.href = `tel:${contact.mobile}`;
        item.append(' · ', tel);
        if (contact.email) {
          const mail = el('a', 'url', contact.email);
          mail.href = `mailto:${contact.email}`;
          item.append(' · ', mail);
        }
        list.append(item);
      }
      return list;
    })();
    const permitExpiry = e.permitExpiresOn ? dayLabel(e.permitExpiresOn, lang) : m('firm.none');
    facts.replaceChildren(
      fact(m('roster.field.name'), e.name),
      fact(m('roster.field.uscc'), el('span', 'mono', e.uscc)),
      fact(m('roster.field.status'), badge),
      fact(m('roster.field.county'), countyLabel(e.county, lang)),
      fact(m('roster.field.address'), e.address),
      fact(m('roster.field.industry'), e.industry),
      fact(m('roster.field.size'), m(`roster.size.${e.size}`)),
      fact(m('roster.field.tier'), m(`roster.tier.${e.tier}`)),
      fact(m('roster.field.permitNo').replace(/（.*）|\s*\(.*\)/, ''), e.permitNo ?? m('firm.none')),
      fact(m('roster.field.permitExpiresOn').replace(/（.*）|\s*\(.*\)/, ''), permitExpiry),
      fact(m('firm.contacts'), contacts),
      fact(m('firm.updatedAt'), dateTime(e.updatedAt, lang, true)),
    );
    for (const row of facts.children) {
      const dd = row.querySelector('dd');
      if (dd?.textContent === m('firm.none')) dd.classList.add('muted');
    }
  };

  const loadFirm = async (): Promise<Enterprise | undefined> => {
    const result = await api('enterprises.get', { params: { uscc }, token });
    if (result.status === 401) return undefined;
    if (!result.ok) {
      fail(`${m('firm.failed')} ${errorText(result.status, result.body)}`);
      return undefined;
    }
    return result.body.enterprise;
  };

  // ---- pairings ----

  const pairingCard = (p: Pairing): HTMLElement => {
    const card = el('li', 'card pairing-card');
    card.dataset.pairingId = p.pairingId;
    const head = el('div', 'pairing-head');
    head.append(el('h3', undefined, m('firm.pairing.heading', { year: p.serviceYear })));
    const badge = el('span', 'badge', m(`firm.pairing.status.${p.status}`));
    badge.dataset.status = p.status;
    head.append(badge);
    const list = el('dl', 'facts compact');
    list.append(
      fact(m('firm.pairing.liaison'), p.liaisonName),
      fact(m('firm.pairing.startsOn'), dayLabel(p.startsOn, lang)),
    );
    if (p.endedOn) list.append(fact(m('firm.pairing.endedOn'), dayLabel(p.endedOn, lang)));
    list.append(
      fact(
        m('firm.pairing.lastContact'),
        p.lastQualifyingContactAt ? dateTime(p.lastQualifyingContactAt, lang, true) : m('firm.pairing.never'),
      ),
    );
    if (p.mentorUscc) {
      const link = el('a', 'mono', p.mentorUscc);
      link.href = `?uscc=${encodeURIComponent(p.mentorUscc)}`;
      list.append(fact(m('firm.pairing.mentor'), link));
    }
    card.append(head, list);
    return card;
  };

  const loadPairings = async (county: string) => {
    pairingsBox.replaceChildren(el('p', 'muted', m('console.loading')));
    // People come by name in the answers (issue 18): no staff list to read first.
    const result = await api('pairings.list', { query: { county }, token });
    if (!result.ok) {
      const box = el('div', 'alert');
      box.append(el('p', undefined, `${m('firm.pairings.failed')} ${errorText(result.status, result.body)}`));
      const retry = buttonEl('button-secondary button-small', m('console.retry'));
      retry.addEventListener('click', () => void loadPairings(county));
      box.append(retry);
      pairingsBox.replaceChildren(box);
      return;
    }
    const mine = result.body.pairings
      .filter((p) => p.uscc === uscc)
      .sort((a, b) => b.serviceYear - a.serviceYear || b.createdAt.localeCompare(a.createdAt));
    if (mine.length === 0) {
      pairingsBox.replaceChildren(el('p', 'muted', m(manager ? 'firm.pairings.empty' : 'firm.pairings.emptyLiaison')));
      return;
    }
    const list = el('ul', 'pairing-list');
    for (const p of mine) list.append(pairingCard(p));
    pairingsBox.replaceChildren(list);
  };

  // ---- first load ----

  const firm = await loadFirm();
  if (!firm) return;
  renderFacts(firm);
  // A ledger item for this firm without retyping its code (issue 20).
  root.querySelector<HTMLElement>('ledger-raise')?.setAttribute('data-uscc', firm.uscc);
  body.hidden = false;
  void loadPairings(firm.county);
  void setupHealth(c, uscc);
  setupTimeline(c, uscc);

  // ---- editing (leads and admins): the form loads when asked for (firm-edit/element.ts) ----

  if (!manager) return;
  for (const item of root.querySelectorAll<HTMLElement>('[data-manager]')) item.hidden = false;
  await customElements.whenDefined('firm-edit');
  root.querySelector<FirmEdit>('firm-edit')?.init(c, firm, {
    reload: loadFirm,
    saved: (updated, countyChanged) => {
      renderFacts(updated);
      if (countyChanged) void loadPairings(updated.county);
    },
  });
};

runConsolePage(run, ['liaison', 'lead', 'admin'], { revealsBody: true });
