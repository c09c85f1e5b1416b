/**
 * `<eco-stats-result>` (StatsResult.astro): where a statistics page shows what it read. A note while
 * the first answer comes (later ones keep the figures shown, marked busy), why an answer could not be
 * read with a retry, or the sections with what they show said in the body's `data-*`.
 */
import { answerFailureBox } from '../../kit/failure.ts';
import type { MessageKey } from '../../kit/messages.ts';
import { el } from '../format.ts';
import { partOf } from '../parts.ts';
import { StatsSection } from './section.ts';

export class StatsResult extends StatsSection {
  static readonly tag = 'eco-stats-result';

  get #problem() {
    return partOf(this, '.result-problem');
  }

  get #body() {
    return partOf(this, '.result-body');
  }

  loading() {
    const body = this.#body;
    body.setAttribute('aria-busy', 'true');
    this.#problem.replaceChildren(...(body.hidden ? [el('p', 'muted', this.c.m('monthly.loading'))] : []));
  }

  /**
   * Says why the figures could not be read, with a retry; nothing for a 401 (the console signs in
   * again). True when the unit itself was refused (403, 404), for the page to mark its picker.
   */
  failed(answer: { status: number; body: unknown }, title: MessageKey, retry: () => void): boolean {
    this.#body.removeAttribute('aria-busy');
    if (answer.status === 401) return false;
    this.#body.hidden = true;
    this.#problem.replaceChildren(answerFailureBox(this.c.m, title, answer, retry, 'monthly.retry'));
    return answer.status === 403 || answer.status === 404;
  }

  /** Shows the sections (before they draw: a chart measures the width it has), and what they show. */
  shown(data: Record<string, string>) {
    const body = this.#body;
    body.removeAttribute('aria-busy');
    this.#problem.replaceChildren();
    Object.assign(body.dataset, data);
    body.hidden = false;
  }
}
