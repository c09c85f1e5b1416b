/**
 * `<hook-form>` (HookForm.astro): sets or replaces the shown unit's robot with
 * `PUT /api/staff/webhooks/{code}`, at the version read when replacing: a 409 says someone else changed
 * it (the page reloads what is set, what was typed stays); a 400's `error.fields` land on the inputs.
 * Checked first with the API's own schema (`webhookInput`, shared/webhooks.ts), loaded when the user
 * turns to the form: zod would be most of the page's weight, and most visits only look or test.
 *
 * The page hands over its console and what the form needs of it with `init`, tells it what is set
 * (`showRobot`) and when the unit changes (`clear`); a save is told with `hook-saved` (the robot set).
 */
import type { WebhookView as Hook } from '../../../../shared/answers.ts';
import { api, errorCodeOf, fieldsOf } from '../../kit/api.ts';
import { lazy, warmOn } from '../../kit/lazy.ts';
import { failureText } from '../../kit/messages.ts';
import type { FormProblems, Problem, TypedConsole } from '../console.ts';
import { formProblems, onSubmit, problemsOfFields, setFieldError } from '../console.ts';
import { showStatus } from '../format.ts';
import { partOf } from '../parts.ts';

type WebhookKind = Hook['kind'];

const hookSchema = lazy(() => import('../../../../shared/webhooks.ts').then((module) => module.webhookInput));

/** What the form needs of the page: the unit shown, its robot as read, and reading it again. */
export interface HookFormPage {
  unit: () => string;
  hook: () => Hook | null | undefined;
  reload: () => Promise<boolean>;
}

export class HookForm extends HTMLElement {
  #c: TypedConsole | undefined;
  #errors: FormProblems | undefined;

  /** Whether the unit shown has a robot: the heading says "set" or "replace". */
  showRobot(set: boolean): void {
    const heading = partOf(this, '#hook-form-heading');
    if (this.#c) heading.textContent = this.#c.m(set ? 'webhooks.form.replace' : 'webhooks.form.new');
    partOf(this, '#hook-replace-note').hidden = !set;
  }

  /** Takes the kind of the robot set (when the page first loads it). */
  pickKind(kind: WebhookKind): void {
    for (const k of this.#kinds()) k.checked = k.value === kind;
    this.#showSecret();
  }

  /** Another unit: nothing said about the last one stays. */
  clear(): void {
    partOf(this, '#hook-status').hidden = true;
    partOf(this, '#hook-conflict').hidden = true;
    this.#errors?.clear();
  }

  #kinds(): HTMLInputElement[] {
    return [...this.querySelectorAll<HTMLInputElement>('input[name=kind]')];
  }

  #kind(): WebhookKind {
    return this.#kinds().find((k) => k.checked)?.value === 'dingtalk' ? 'dingtalk' : 'wecom';
  }

  /** The signing secret is DingTalk's only. */
  #showSecret(): void {
    const secret = partOf<HTMLInputElement>(this, '#hook-secret');
    const field = secret.closest('.field') as HTMLElement;
    field.hidden = this.#kind() !== 'dingtalk';
    if (field.hidden) setFieldError(secret, undefined);
  }

  init(c: TypedConsole, page: HookFormPage): void {
    const { m } = c;
    this.#c = c;
    const form = partOf<HTMLFormElement>(this, '#hook-form');
    const status = partOf(this, '#hook-status');
    const conflict = partOf(this, '#hook-conflict');
    const url = partOf<HTMLInputElement>(this, '#hook-url');
    const secret = partOf<HTMLInputElement>(this, '#hook-secret');
    const kinds = this.#kinds();
    const errors = formProblems(form, partOf(this, '#hook-errors'), m);
    this.#errors = errors;
    for (const k of kinds) k.addEventListener('change', () => this.#showSecret());
    this.#showSecret();

    /** Each field's problem, on its control; a stale version is said as the conflict it is. */
    const known: Record<string, Problem> = {
      url: { control: url, text: m('webhooks.err.url') },
      secret: { control: secret, text: m('webhooks.err.secret') },
      kind: { control: kinds[0] ?? null, text: m('webhooks.err.kind') },
      version: { text: m('error.VERSION_CONFLICT') },
    };

    const values = () => {
      const data: Record<string, unknown> = { kind: this.#kind(), url: url.value.trim() };
      if (this.#kind() === 'dingtalk' && secret.value.trim()) data.secret = secret.value.trim();
      const hook = page.hook();
      if (hook) data.version = hook.version;
      return data;
    };

    /** The problems of the form, by field, as the API's own schema sees them (none until it has loaded). */
    const problems = (): Map<string, Problem> => {
      const found = new Map<string, Problem>();
      const result = hookSchema.now?.safeParse(values());
      if (result?.success === false) {
        for (const issue of result.error.issues) {
          const field = String(issue.path[0] ?? '');
          if (!found.has(field)) found.set(field, known[field] ?? { text: m('error.VALIDATION_FAILED') });
        }
      }
      return found;
    };

    errors.watch([url, secret], () => problems().values());
    warmOn(form, hookSchema);

    onSubmit(form, partOf(this, '#hook-form button[type=submit]'), m('webhooks.form.saving'), async (busy) => {
      status.hidden = true;
      conflict.hidden = true;
      // Not loaded (offline, a new deployment): the API checks the same rules and answers 400.
      await busy(() => hookSchema().catch(() => undefined));
      if (!errors.passes(problems().values())) return;
      const put = await busy(() =>
        api('webhooks.put', { params: { jurisdiction: page.unit() }, method: 'PUT', json: values(), token: c.token }),
      );
      const { status: code, body: answer } = put;
      if (put.ok) {
        url.value = '';
        secret.value = '';
        this.dispatchEvent(new CustomEvent<Hook>('hook-saved', { detail: put.body.webhook }));
        showStatus(status, 'success', m('webhooks.form.saved'));
        return;
      }
      const error = errorCodeOf(answer);
      if (code === 401) return;
      if (code === 409 || error === 'VERSION_CONFLICT') {
        // Someone else changed the robot: say so, load what is set now, keep what was typed.
        await page.reload();
        conflict.hidden = false;
        conflict.focus();
        return;
      }
      if (code === 400 || error === 'VALIDATION_FAILED') {
        errors.show(problemsOfFields(fieldsOf(answer), known, m));
        return;
      }
      errors.fail(failureText(m, code, answer));
    });
  }
}

if (!customElements.get('hook-form')) customElements.define('hook-form', HookForm);

declare global {
  interface HTMLElementTagNameMap {
    'hook-form': HookForm;
  }
}
