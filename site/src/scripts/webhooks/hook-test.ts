/**
 * `<hook-test>` (HookTest.astro): "send a test message" to the shown unit's robot
 * (`POST /api/staff/webhooks/{code}/test`), which says the robot's HTTP status or numeric errcode when
 * it fails (502 `WEBHOOK_FAILED`; never the robot's own words). The page hands over its console with
 * `init`, says which unit is shown and whether it has a robot (`showRobot`), that none can be tested
 * (`disable`: the unit did not load), and when the last test's answer no longer applies (`clear`).
 */
import { api, errorCodeOf } from '../../kit/api.ts';
import { failureText } from '../../kit/messages.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import { partOf } from '../parts.ts';

/** The error envelope's message (the robot's status or errcode, said by the server), checked as read. */
const robotWords = (body: unknown): string => {
  const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined;
  return typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string'
    ? error.message
    : '';
};

export class HookTest extends HTMLElement {
  #c: TypedConsole | undefined;
  /** The unit shown, when it has a robot to test. */
  #unit: string | undefined;

  get #button(): HTMLButtonElement {
    return partOf(this, '#hook-test');
  }

  get #result(): HTMLElement {
    return partOf(this, '#hook-test-result');
  }

  init(c: TypedConsole): void {
    this.#c = c;
    const label = this.#button.textContent ?? '';
    this.#button.addEventListener('click', () => void this.#send(label));
  }

  /** The unit shown and whether it has a robot; without one, the line says there is nothing to test. */
  showRobot(unit: string, set: boolean): void {
    this.#unit = set ? unit : undefined;
    this.#button.disabled = !set;
    const result = this.#result;
    if (!set) {
      result.hidden = false;
      result.dataset.kind = 'info';
      result.textContent = this.#c?.m('webhooks.test.noRobot') ?? '';
    } else if (result.dataset.kind === 'info') this.clear();
  }

  /** Nothing to test: the unit's robot could not be read. */
  disable(): void {
    this.#unit = undefined;
    this.#button.disabled = true;
  }

  /** The last answer no longer applies (another unit, a new address). */
  clear(): void {
    this.#result.hidden = true;
    delete this.#result.dataset.kind;
  }

  async #send(label: string): Promise<void> {
    const c = this.#c;
    const unit = this.#unit;
    if (!c || !unit) return;
    const { m } = c;
    const button = this.#button;
    const result = this.#result;
    button.disabled = true;
    button.textContent = m('webhooks.test.sending');
    result.hidden = true;
    const tried = await api('webhooks.test', {
      params: { jurisdiction: unit },
      method: 'POST',
      token: c.token,
      timeoutMs: 20_000,
    });
    button.disabled = false;
    button.textContent = label;
    if (tried.status === 401) return;
    result.replaceChildren();
    if (tried.ok && tried.body.sent) {
      result.dataset.kind = 'success';
      result.textContent = m('webhooks.test.sent');
    } else if (errorCodeOf(tried.body) === 'WEBHOOK_FAILED') {
      result.dataset.kind = 'error';
      const [before = '', after = ''] = m('webhooks.test.failed', { message: '\u0000' }).split('\u0000');
      result.append(before, el('code', 'robot-answer', robotWords(tried.body)), after);
    } else {
      result.dataset.kind = 'error';
      result.textContent = failureText(m, tried.status, tried.body);
    }
    result.hidden = false;
    result.focus();
  }
}

if (!customElements.get('hook-test')) customElements.define('hook-test', HookTest);

declare global {
  interface HTMLElementTagNameMap {
    'hook-test': HookTest;
  }
}
