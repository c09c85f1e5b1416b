/**
 * The firm's confirmation page: the token is the address's `#` part. `GET /api/public/ledger-confirmations/{token}`
 * shows the matter (a check-up item as what the check-up found), its resolution and the photos of the
 * fix (reading changes nothing). "Solved" posts the answer once (`POST` same path, `{solved, comment?}`)
 * and then offers the rating (`<rating-form>`, posted to `…/{token}/rating`); "not solved" first asks
 * for the reason and a confirmation, since it reopens the item. A 404 means the link is used or
 * expired, a 410 that it is for an earlier resolution (the problem was worked on again since).
 * Kept small: no schema library, only the shared fetch and formatting helpers.
 */
import { failureText, messagesOf, publicApi } from '../kit/public-api.ts';
import { $, dateTime, el, fact, langOf, showStatus } from './format.ts';

/** What `<rating-form>` (RatingForm.astro) takes from the page. */
type RatingElement = HTMLElement & {
  send?: (rating: { stars: number; comment?: string }) => Promise<{ status: number; body: unknown }>;
};

const root = document.querySelector<HTMLElement>('#confirm-page');

if (root) {
  const lang = langOf(root);
  const msg = messagesOf(root);
  const m = (key: string): string => msg[key] ?? msg['error.INTERNAL'] ?? key;
  const loading = $<HTMLElement>('#confirm-loading');
  const gone = $<HTMLElement>('#confirm-gone');
  const goneTitle = $<HTMLElement>('#confirm-gone-title');
  const goneText = $<HTMLElement>('#confirm-gone-text');
  const retry = $<HTMLButtonElement>('#confirm-retry');
  const view = $<HTMLElement>('#confirm-view');
  const facts = $<HTMLElement>('#confirm-facts');
  const form = $<HTMLFormElement>('#confirm-form');
  const comment = $<HTMLTextAreaElement>('#confirm-comment');
  const commentError = $<HTMLElement>('#confirm-comment-error');
  const error = $<HTMLElement>('#confirm-error');
  const done = $<HTMLElement>('#confirm-done');
  const buttons = [$<HTMLButtonElement>('#confirm-yes'), $<HTMLButtonElement>('#confirm-no')];
  const token = location.hash.slice(1);

  /** A used, expired, incomplete or unreachable link: a clear message instead of the form. */
  const stop = (title: string, text: string, canRetry = false) => {
    loading.hidden = true;
    view.hidden = true;
    goneTitle.textContent = title;
    goneText.textContent = text;
    retry.hidden = !canRetry;
    gone.hidden = false;
    gone.focus();
  };

  const load = async () => {
    gone.hidden = true;
    loading.hidden = false;
    if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return stop(m('ledger.confirm.used'), m('ledger.confirm.missing'));
    const answer = await publicApi('confirmations.get', { params: { token } });
    const { status } = answer;
    if (status === 404) return stop(m('ledger.confirm.used'), m('ledger.confirm.usedText'));
    if (status === 410) return stop(m('ledger.confirm.superseded'), m('ledger.confirm.supersededText'));
    if (!answer.ok) return stop(m('ledger.confirm.failed'), failureText(m, status, answer.body), true);
    const { item } = answer.body;
    const rows = [fact(m('ledger.confirm.firm'), item.firmName)];
    if (item.finding) {
      // A check-up item: what the check-up found, never the standard's wording as if the firm had raised it.
      rows.push(fact(m('ledger.confirm.finding'), item.finding.note ?? m('ledger.confirm.findingNone')));
      if (item.finding.checkedOn) rows.push(fact(m('ledger.confirm.checkedOn'), item.finding.checkedOn));
      if (item.finding.category)
        rows.push(fact(m('ledger.confirm.category'), m(`checkup.category.${item.finding.category}`)));
    } else {
      if (item.title) rows.push(fact(m('ledger.confirm.problem'), item.title));
      if (item.detail) rows.push(fact(m('ledger.confirm.detail'), item.detail));
    }
    if (item.resolution) rows.push(fact(m('ledger.confirm.resolution'), item.resolution));
    if (item.resolvedAt) rows.push(fact(m('ledger.confirm.resolvedAt'), dateTime(item.resolvedAt, lang, true)));
    const { photos } = item;
    if (photos.length > 0) {
      const list = el('ul', 'confirm-photos');
      photos.forEach((photo, i) => {
        const img = el('img');
        img.src = photo.url;
        img.alt = m('ledger.confirm.photo')
          .replace('{n}', String(i + 1))
          .replace('{name}', photo.fileName);
        img.loading = 'lazy';
        const link = el('a');
        link.href = photo.url;
        link.target = '_blank';
        link.rel = 'noopener';
        link.append(img);
        const entry = el('li');
        entry.append(link);
        list.append(entry);
      });
      rows.push(fact(m('ledger.confirm.photos'), list));
    }
    facts.replaceChildren(...rows);
    loading.hidden = true;
    view.hidden = false;
  };

  retry.addEventListener('click', () => void load());

  const notSolved = $<HTMLFormElement>('#confirm-not-solved');
  const notSolvedHeading = $<HTMLElement>('#confirm-not-solved-heading');
  const reason = $<HTMLTextAreaElement>('#confirm-reason');
  const reasonError = $<HTMLElement>('#confirm-reason-error');
  const noButton = $<HTMLButtonElement>('#confirm-no');
  const noSubmit = $<HTMLButtonElement>('#confirm-no-submit');
  const noError = $<HTMLElement>('#confirm-no-error');
  const rating = $<RatingElement>('#confirm-rating');
  rating.send = (answer) => publicApi('confirmations.rate', { params: { token }, json: answer });

  // "Not solved": the reason first (the comment typed so far carries over), then a second, explicit tap.
  noButton.addEventListener('click', () => {
    if (!reason.value.trim()) reason.value = comment.value.trim();
    form.hidden = true;
    notSolved.hidden = false;
    noButton.setAttribute('aria-expanded', 'true');
    notSolvedHeading.focus();
  });
  $<HTMLButtonElement>('#confirm-back').addEventListener('click', () => {
    notSolved.hidden = true;
    form.hidden = false;
    noButton.setAttribute('aria-expanded', 'false');
    noButton.focus();
  });

  /**
   * A text box's check: its error line said and the box marked and focused, or the mark taken off.
   * Whether the text may be sent.
   */
  const checked = (box: HTMLTextAreaElement, errorLine: HTMLElement, wrong: string | undefined): boolean => {
    errorLine.textContent = wrong ?? '';
    errorLine.hidden = !wrong;
    if (!wrong) {
      box.removeAttribute('aria-invalid');
      return true;
    }
    box.setAttribute('aria-invalid', 'true');
    box.setAttribute('aria-describedby', `${box.id}-hint ${errorLine.id}`);
    box.focus();
    return false;
  };

  let sending = false;
  /**
   * Sends the firm's answer, one at a time, with the form's `buttons` off and the one `pressed` saying
   * so. Whether it was taken: a used or superseded link ends the page, any other refusal is said in
   * `failed` under the form, which can be sent again.
   */
  const answer = async (
    json: { solved: boolean; comment?: string },
    buttons: HTMLButtonElement[],
    pressed: HTMLButtonElement | null,
    failed: HTMLElement,
  ): Promise<boolean> => {
    sending = true;
    failed.hidden = true;
    const label = pressed?.textContent ?? '';
    for (const button of buttons) button.disabled = true;
    if (pressed) pressed.textContent = m('ledger.confirm.sending');
    const { status, body } = await publicApi('confirmations.answer', { params: { token }, json });
    sending = false;
    if (pressed) pressed.textContent = label;
    for (const button of buttons) button.disabled = false;
    if (status === 200) return true;
    if (status === 404) stop(m('ledger.confirm.used'), m('ledger.confirm.usedText'));
    else if (status === 410) stop(m('ledger.confirm.superseded'), m('ledger.confirm.supersededText'));
    else {
      failed.replaceChildren(el('span', undefined, failureText(m, status, body)));
      failed.hidden = false;
      failed.focus();
    }
    return false;
  };

  notSolved.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    const text = reason.value.trim();
    const bad = text.length === 0 || text.length > 500;
    if (!checked(reason, reasonError, bad ? m('ledger.confirm.errReason') : undefined)) return;
    if (!(await answer({ solved: false, comment: text }, [noSubmit], noSubmit, noError))) return;
    notSolved.hidden = true;
    showStatus(done, 'success', m('ledger.confirm.thanksNotSolved'));
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    const text = comment.value.trim();
    if (!checked(comment, commentError, text.length > 500 ? m('ledger.confirm.errComment') : undefined)) return;
    if (!(await answer(text ? { solved: true, comment: text } : { solved: true }, buttons, submitter, error))) return;
    form.hidden = true;
    // Solved and closed: now the rating (好差评), under the same link.
    rating.hidden = false;
    showStatus(done, 'success', m('ledger.confirm.thanksSolved'));
  });

  window.addEventListener('hashchange', () => location.reload());
  void load();
}
