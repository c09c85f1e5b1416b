/**
 * The firm's confirmation page: the token is the address's `#` part. `GET /api/public/ledger-confirmations/{token}`
 * shows the problem and its resolution (reading changes nothing); "solved" / "not solved" posts the
 * answer once (`POST` same path, `{solved, comment?}`). A 404 means the link is used or expired, a 410
 * that it is for an earlier resolution (the problem was worked on again since).
 * Kept small: no schema library, only the shared fetch and formatting helpers.
 */
import { failureText, messagesOf, publicApi } from '../kit/public-api.ts';
import { dateTime, el, fact, langOf } from './format.ts';

interface Confirmation {
  title: string;
  detail: string;
  firmName: string;
  resolvedAt: string | null;
  resolution: string | null;
}

const root = document.querySelector<HTMLElement>('#confirm-page');

if (root) {
  const lang = langOf(root);
  const msg = messagesOf(root);
  const m = (key: string): string => msg[key] ?? msg['error.INTERNAL'] ?? key;
  const $ = <T extends HTMLElement>(selector: string): T => root.querySelector(selector) as T;
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
    const { status, body } = await publicApi('confirmations.get', { params: { token } });
    const item = (body as { item?: Confirmation } | null)?.item;
    if (status === 404) return stop(m('ledger.confirm.used'), m('ledger.confirm.usedText'));
    if (status === 410) return stop(m('ledger.confirm.superseded'), m('ledger.confirm.supersededText'));
    if (status !== 200 || !item) {
      return stop(m('ledger.confirm.failed'), failureText(m, status, body), true);
    }
    const rows = [
      fact(m('ledger.confirm.firm'), item.firmName),
      fact(m('ledger.confirm.problem'), item.title),
      fact(m('ledger.confirm.detail'), item.detail),
    ];
    if (item.resolution) rows.push(fact(m('ledger.confirm.resolution'), item.resolution));
    if (item.resolvedAt) rows.push(fact(m('ledger.confirm.resolvedAt'), dateTime(item.resolvedAt, lang, true)));
    facts.replaceChildren(...rows);
    loading.hidden = true;
    view.hidden = false;
  };

  retry.addEventListener('click', () => void load());

  let sending = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    const solved = submitter?.value !== 'false';
    const text = comment.value.trim();
    const tooLong = text.length > 500;
    commentError.textContent = tooLong ? m('ledger.confirm.errComment') : '';
    commentError.hidden = !tooLong;
    if (tooLong) {
      comment.setAttribute('aria-invalid', 'true');
      comment.setAttribute('aria-describedby', 'confirm-comment-hint confirm-comment-error');
      comment.focus();
      return;
    }
    comment.removeAttribute('aria-invalid');
    sending = true;
    error.hidden = true;
    const label = submitter?.textContent ?? '';
    for (const button of buttons) button.disabled = true;
    if (submitter) submitter.textContent = m('ledger.confirm.sending');
    const { status, body } = await publicApi('confirmations.answer', {
      params: { token },
      json: text ? { solved, comment: text } : { solved },
    });
    sending = false;
    if (submitter) submitter.textContent = label;
    if (status === 200) {
      form.hidden = true;
      done.textContent = m(solved ? 'ledger.confirm.thanksSolved' : 'ledger.confirm.thanksNotSolved');
      done.dataset.kind = 'success';
      done.hidden = false;
      done.focus();
      return;
    }
    if (status === 404) return stop(m('ledger.confirm.used'), m('ledger.confirm.usedText'));
    if (status === 410) return stop(m('ledger.confirm.superseded'), m('ledger.confirm.supersededText'));
    for (const button of buttons) button.disabled = false;
    error.replaceChildren(el('span', undefined, failureText(m, status, body)));
    error.hidden = false;
    error.focus();
  });

  window.addEventListener('hashchange', () => location.reload());
  void load();
}
