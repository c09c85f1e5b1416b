/**
 * The firm's record page: `firmMe.get` with this tab's firm token (kit/firm-session.ts). A 401 (the
 * token ended, or the contact left the roster) drops the token and goes to the sign-in. The
 * difficulties card is firm-record/request-card.ts; a report is read on demand (`firmCheckups.report`).
 * A closed item the firm has not rated carries the rating form (好差评, RatingForm.astro's
 * `<rating-form>`, cloned from the page's template), posted to `firmRatings.create`;
 * a rated one shows the rating given.
 */

import type { FirmLedgerItem as Item, FirmRecord as Me } from '../../../shared/firm-record.ts';
import type { Rating } from '../../../shared/ratings.ts';
import { type ApiResult, errorCodeOf, firmApi } from '../kit/firm-api.ts';
import { clearSession, readSession } from '../kit/firm-session.ts';
import { firmMessages } from './firm-forms.ts';
import { requestCard } from './firm-record/request-card.ts';
import { $, buttonEl, dateTime, dayLabel, el, fact, langOf } from './format.ts';

/** What `<rating-form>` (RatingForm.astro) takes from the page. */
interface RatingElement {
  send?: (rating: { stars: number; comment?: string }) => Promise<{ status: number; body: unknown }>;
}

const root = document.querySelector<HTMLElement>('#firm-record');
const OPEN = ['collected', 'handed_over', 'in_progress', 'resolved'];

if (root) {
  const lang = langOf(root);
  const { msg, m } = firmMessages(root);
  const signIn = root.dataset.signIn ?? '/firm/sign-in/';
  const error = $<HTMLElement>('#firm-error');
  const session = readSession();

  const leave = () => {
    clearSession();
    location.replace(signIn);
  };
  if (!session) leave();
  const token = session?.token ?? '';

  const failure = (answer: ApiResult) =>
    answer.status === 0 ? m('error.NETWORK') : (msg[`error.${errorCodeOf(answer.body)}`] ?? m('error.INTERNAL'));

  /** The rating the firm gave (stars, and its comment when it left one). */
  const ratingGiven = (rating: Rating) => {
    const p = el('p', 'firm-rating-given', m('rating.done', { stars: rating.stars }));
    if (rating.comment) p.append(el('br'), `“${rating.comment}”`);
    return p;
  };

  /**
   * A rating form for one closed item: the page's one `<rating-form>` cloned, its ids made the item's
   * (the element finds its parts by id, and a page may hold several), posting to the firm's route.
   */
  const source = root.querySelector<HTMLElement>('#firm-rating-source rating-form');
  const ratingForm = (item: Item, box: HTMLDetailsElement): Node => {
    const form = source?.cloneNode(true) as (HTMLElement & RatingElement) | undefined;
    if (!form) return document.createTextNode('');
    const prefix = form.id;
    const own = `rate-${item.itemId}`;
    for (const node of [form, ...form.querySelectorAll<HTMLElement>('[id], [for], [aria-describedby]')])
      for (const name of ['id', 'for', 'aria-describedby']) {
        const value = node.getAttribute(name);
        if (value?.startsWith(prefix)) node.setAttribute(name, value.replaceAll(prefix, own));
      }
    form.dataset.itemId = item.itemId;
    form.send = async (rating) => {
      const answer = await firmApi('firmRatings.create', {
        params: { id: item.itemId },
        token,
        json: rating,
      });
      if (answer.status === 401) leave();
      return answer;
    };
    // Rated: the item says so in its summary too, as it will after a reload.
    form.addEventListener('rated', () => {
      box.dataset.rated = 'true';
    });
    return form;
  };

  const itemView = (item: Item) => {
    const box = el('details');
    box.dataset.itemId = item.itemId;
    box.dataset.state = item.state;
    if (item.rating) box.dataset.rated = 'true';
    const summary = el('summary', undefined, item.title);
    const meta = el('span', 'firm-item-meta');
    meta.append(el('span', 'firm-state', m(`ledger.state.${item.state}`)));
    if (OPEN.includes(item.state)) {
      if (item.state === 'collected' && item.takeUpBy)
        meta.append(el('span', undefined, m('firm.record.takeUpBy', { date: item.takeUpBy })));
      meta.append(el('span', undefined, m('firm.record.dueOn', { date: item.dueOn })));
    }
    summary.append(meta);
    const moves = el('ol', 'firm-history');
    for (const move of item.history) {
      const li = el('li');
      li.append(
        el('strong', undefined, `${m(`ledger.state.${move.to}`)} · ${dateTime(move.at, lang, true)}`),
        el('br'),
        move.note,
      );
      moves.append(li);
    }
    box.append(summary, el('p', undefined, item.detail), el('h4', undefined, m('firm.record.history')), moves);
    if (item.state === 'closed') box.append(item.rating ? ratingGiven(item.rating) : ratingForm(item, box));
    return box;
  };

  const listOr = (target: HTMLElement, nodes: Node[], empty: string) =>
    target.replaceChildren(...(nodes.length ? nodes : [el('p', 'muted', empty)]));

  const showReport = async (button: HTMLButtonElement, checkupId: string) => {
    button.disabled = true;
    const answer = await firmApi('firmCheckups.report', { params: { id: checkupId }, token });
    button.disabled = false;
    if (answer.status === 401) return leave();
    if (!answer.ok) {
      error.textContent = failure(answer);
      return;
    }
    const { checkup, template } = answer.body;
    const list = el('ul', 'firm-report');
    for (const t of template.items) {
      const a = checkup.answers[t.itemId];
      if (!a) continue;
      const li = el(
        'li',
        undefined,
        `${t.text[lang]}：${m(`firm.record.${a.result}`)}${a.note ? `（${a.note}）` : ''}`,
      );
      li.dataset.result = a.result;
      list.append(li);
    }
    // The representative's signature (issue 20): who signed, and the image on a short-lived link.
    const signature = checkup.signature;
    if (!signature) {
      button.replaceWith(list);
      return;
    }
    const signed = el('div', 'firm-report-signature');
    signed.append(el('p', undefined, m('firm.record.signedBy', { name: signature.signerName })));
    if (signature.imageUrl) {
      const image = el('img');
      image.src = signature.imageUrl;
      image.alt = m('firm.record.signature', { name: signature.signerName });
      image.width = 240;
      image.height = 87;
      signed.append(image);
    }
    button.replaceWith(list, signed);
  };

  const render = (me: Me) => {
    $<HTMLElement>('#firm-name').textContent = me.firm.name;
    $<HTMLElement>('#firm-facts').replaceChildren(
      fact(m('firm.record.name'), me.firm.name),
      fact(m('firm.record.uscc'), me.firm.uscc),
      fact(m('firm.record.county'), me.firm.county.name[lang]),
      fact(m('firm.record.address'), me.firm.address),
      fact(m('firm.record.industry'), me.firm.industry),
    );
    listOr(
      $<HTMLElement>('#firm-liaisons'),
      me.liaisons.map((l) => {
        const row = el('div', 'firm-liaison');
        const who = el('div');
        who.append(
          el('div', 'firm-liaison-name', l.displayName),
          el('div', 'muted', m('firm.record.since', { date: l.since })),
        );
        row.append(who);
        if (l.mobile) {
          const tel = el('a', 'button', m('firm.record.call', { mobile: l.mobile }));
          tel.href = `tel:${l.mobile}`;
          row.append(tel);
        }
        return row;
      }),
      m('firm.record.noLiaison'),
    );
    const open = me.ledger.items.filter((i) => OPEN.includes(i.state));
    const closed = me.ledger.items.filter((i) => !OPEN.includes(i.state));
    listOr($<HTMLElement>('#firm-open'), open.map(itemView), m('firm.record.none'));
    listOr($<HTMLElement>('#firm-closed'), closed.map(itemView), m('firm.record.none'));
    if (me.ledger.more) $<HTMLElement>('#firm-closed').append(el('p', 'hint', m('firm.record.more')));

    const bookingBase = root.dataset.booking ?? '/consultation-days/booking/';
    listOr(
      $<HTMLElement>('#firm-bookings'),
      me.bookings.items.map((b) => {
        const li = el('li');
        li.dataset.code = b.code;
        li.dataset.status = b.status;
        const link = el('a', undefined, m('firm.record.bookingLink'));
        link.href = `${bookingBase}?code=${encodeURIComponent(b.code)}`;
        li.append(
          el(
            'strong',
            undefined,
            `${dayLabel(b.startsAt.slice(0, 10), lang)} ${dateTime(b.startsAt, lang).split(' ').at(-1) ?? ''}`,
          ),
          el('div', undefined, `${b.topic} · ${m(`booking.status.${b.status}`)}`),
          link,
        );
        return li;
      }),
      m('firm.record.noBookings'),
    );
    const bookings = $<HTMLElement>('#firm-bookings');
    if (me.bookings.items.length) {
      const ul = el('ul', 'firm-list');
      ul.append(...bookings.children);
      bookings.replaceChildren(ul);
    }

    const checkups = me.checkups.items.map((c) => {
      const li = el('li');
      const button = buttonEl('button-secondary button-small', m('firm.record.report'));
      button.addEventListener('click', () => void showReport(button, c.checkupId));
      li.append(
        el('strong', undefined, dayLabel(c.at.slice(0, 10), lang)),
        el(
          'div',
          undefined,
          `${c.band ? m(`checkup.band.${c.band}`) : ''} · ${m('firm.record.score', { score: c.score ?? '—' })}`,
        ),
        button,
      );
      return li;
    });
    if (checkups.length) {
      const ul = el('ul', 'firm-list');
      ul.append(...checkups);
      $<HTMLElement>('#firm-checkups').replaceChildren(ul);
    } else listOr($<HTMLElement>('#firm-checkups'), [], m('firm.record.noCheckups'));
  };

  const load = async () => {
    const answer = await firmApi('firmMe.get', { token });
    if (answer.status === 401) return leave();
    $<HTMLElement>('#firm-loading').hidden = true;
    if (!answer.ok) {
      error.textContent = failure(answer);
      return;
    }
    render(answer.body);
    $<HTMLElement>('#firm-view').hidden = false;
  };

  $<HTMLButtonElement>('#firm-sign-out').addEventListener('click', leave);

  // ---- the difficulties card ----

  requestCard({ root, m, token, leave, failure, reload: load });

  if (session) void load();
}
