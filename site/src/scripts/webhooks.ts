/**
 * Staff console, the group-chat robot of a unit (leads, admins): `GET /api/staff/webhooks/{code}`
 * (address with the token masked), `PUT` to set or replace it (with the version read when replacing:
 * a 409 says someone else changed it and reloads; a 400's `error.fields` land on the inputs), and
 * `POST …/test`, which says the robot's HTTP status or numeric errcode when it fails (502 `WEBHOOK_FAILED`;
 * never the robot's own words). The server also holds the address to the platforms' hosts and paths.
 * The form is checked with the API's own schema (`webhookInput`, shared/webhooks.ts) before it is sent,
 * loaded when the user turns to the form (zod would be most of the page's weight, and most visits only
 * look or test).
 */

import type { WebhookView as Hook } from '../../../shared/answers.ts';
import { contains, JURISDICTION_CODE, levelOf } from '../../../shared/jurisdictions.ts';
import { api, errorCodeOf, fieldsOf } from '../kit/api.ts';
import { answerFailureBox } from '../kit/failure.ts';
import { lazy, warmOn } from '../kit/lazy.ts';
import { failureText } from '../kit/messages.ts';
import { keepQueryOnLangSwitch, placeName } from './compliance-months.ts';
import { formProblems, onSubmit, type Problem, runConsolePage, setFieldError, type TypedConsole } from './console.ts';
import { el, fact, showStatus } from './format.ts';
// The page's element (HookTest.astro), defined here: its module rides in the page's bundle.
import './webhooks/hook-test.ts';
import type { HookTest } from './webhooks/hook-test.ts';

type WebhookKind = Hook['kind'];

const hookSchema = lazy(() => import('../../../shared/webhooks.ts').then((module) => module.webhookInput));

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, $ } = c;
  const unitForm = $<HTMLFormElement>('#unit-form');
  const unitCode = $<HTMLInputElement>('#unit-code');
  const currentHeading = $<HTMLElement>('#hook-current-heading');
  const currentBody = $<HTMLElement>('#hook-current-body');
  const formHeading = $<HTMLElement>('#hook-form-heading');
  const status = $<HTMLElement>('#hook-status');
  const conflict = $<HTMLElement>('#hook-conflict');
  const summary = $<HTMLElement>('#hook-errors');
  const form = $<HTMLFormElement>('#hook-form');
  const formErrors = formProblems(form, summary, m);
  const replaceNote = $<HTMLElement>('#hook-replace-note');
  const url = $<HTMLInputElement>('#hook-url');
  const secret = $<HTMLInputElement>('#hook-secret');
  const secretField = secret.closest('.field') as HTMLElement;
  const kinds = [...root.querySelectorAll<HTMLInputElement>('input[name=kind]')];
  const submit = $<HTMLButtonElement>('#hook-form button[type=submit]');
  const tester = $<HookTest>('hook-test');
  tester.init(c);

  const scope = c.me.jurisdiction.code;
  let unit = scope;
  let hook: Hook | null | undefined;

  // ---- the unit (a city or province lead may pick one below) ----

  const canPick = levelOf(scope) !== 'county';
  unitForm.hidden = !canPick;
  // The unit may be typed by name: the picker offers the places of one's own subtree.
  $<HTMLElement>('jurisdiction-picker').dataset.scope = scope;
  const requested = new URLSearchParams(location.search).get('jurisdiction');
  if (canPick && requested && JURISDICTION_CODE.test(requested) && contains(scope, requested)) unit = requested;
  unitCode.value = unit;

  // ---- showing what is set ----

  const kindOf = (): WebhookKind => (kinds.find((k) => k.checked)?.value === 'dingtalk' ? 'dingtalk' : 'wecom');
  const showSecret = () => {
    secretField.hidden = kindOf() !== 'dingtalk';
    if (secretField.hidden) setFieldError(secret, undefined);
  };
  for (const k of kinds) k.addEventListener('change', showSecret);

  const showHook = () => {
    const place = placeName(unit, lang);
    const labelled = place === unit ? unit : lang === 'zh' ? `${place}（${unit}）` : `${place} (${unit})`;
    currentHeading.textContent = m('webhooks.current.heading', { place: labelled });
    tester.showRobot(unit, Boolean(hook));
    if (!hook) {
      const none = el('p', 'hook-none', m('webhooks.current.none', { place }));
      currentBody.replaceChildren(none);
      formHeading.textContent = m('webhooks.form.new');
      replaceNote.hidden = true;
      return;
    }
    const facts = el('dl', 'facts hook-facts');
    const address = el('code', 'address', hook.url);
    facts.append(
      fact(m('webhooks.current.kind'), m(`webhooks.kind.${hook.kind}`)),
      fact(m('webhooks.current.url'), address),
      fact(m('webhooks.current.signed'), m(hook.signed ? 'webhooks.current.signedYes' : 'webhooks.current.signedNo')),
    );
    currentBody.replaceChildren(facts);
    formHeading.textContent = m('webhooks.form.replace');
    replaceNote.hidden = false;
  };

  const load = async (): Promise<boolean> => {
    currentBody.setAttribute('aria-busy', 'true');
    const found = await api('webhooks.get', { params: { jurisdiction: unit }, token: c.token });
    const { status: code } = found;
    currentBody.removeAttribute('aria-busy');
    if (code === 401) return false;
    if (!found.ok || found.body.webhook === undefined) {
      if (code === 404 && canPick) {
        setFieldError(unitCode, m('webhooks.unit.err'));
        unitCode.focus();
      }
      hook = undefined;
      tester.disable();
      currentBody.replaceChildren(answerFailureBox(m, 'monthly.failed', found, () => void load(), 'monthly.retry'));
      return false;
    }
    hook = found.body.webhook;
    showHook();
    return true;
  };

  unitForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = unitCode.value.trim();
    if (!JURISDICTION_CODE.test(code) || !contains(scope, code)) {
      setFieldError(unitCode, m('webhooks.unit.err'));
      unitCode.focus();
      return;
    }
    setFieldError(unitCode, undefined);
    unit = code;
    history.replaceState(null, '', `${location.pathname}?jurisdiction=${code}`);
    keepQueryOnLangSwitch();
    status.hidden = true;
    conflict.hidden = true;
    formErrors.clear();
    tester.clear();
    if (await load()) currentHeading.focus();
  });

  // ---- the form ----

  const controlOf = (field: string): HTMLElement | undefined =>
    field === 'url' ? url : field === 'secret' ? secret : field === 'kind' ? kinds[0] : undefined;
  const messageOf = (field: string): string =>
    field === 'url'
      ? m('webhooks.err.url')
      : field === 'secret'
        ? m('webhooks.err.secret')
        : field === 'kind'
          ? m('webhooks.err.kind')
          : m('error.VALIDATION_FAILED');

  const values = () => {
    const data: Record<string, unknown> = { kind: kindOf(), url: url.value.trim() };
    if (kindOf() === 'dingtalk' && secret.value.trim()) data.secret = secret.value.trim();
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
        if (!found.has(field)) found.set(field, { control: controlOf(field) ?? null, text: messageOf(field) });
      }
    }
    return found;
  };

  const show = (found: Map<string, Problem>) => formErrors.show(found.values());

  formErrors.watch([url, secret], () => problems().values());
  warmOn(form, hookSchema);

  onSubmit(form, submit, m('webhooks.form.saving'), async (busy) => {
    status.hidden = true;
    conflict.hidden = true;
    // Not loaded (offline, a new deployment): the API checks the same rules and answers 400.
    await busy(() => hookSchema().catch(() => undefined));
    if (!formErrors.passes(problems().values())) return;
    const put = await busy(() =>
      api('webhooks.put', { params: { jurisdiction: unit }, method: 'PUT', json: values(), token: c.token }),
    );
    const { status: code, body: answer } = put;
    if (put.ok) {
      hook = put.body.webhook;
      showHook();
      url.value = '';
      secret.value = '';
      tester.clear();
      showStatus(status, 'success', m('webhooks.form.saved'));
      return;
    }
    const error = errorCodeOf(answer);
    if (code === 401) return;
    if (code === 409 || error === 'VERSION_CONFLICT') {
      // Someone else changed the robot: say so, load what is set now, keep what was typed.
      await load();
      conflict.hidden = false;
      conflict.focus();
      return;
    }
    if (code === 400 || error === 'VALIDATION_FAILED') {
      const fields = fieldsOf(answer);
      const mapped = new Map<string, Problem>();
      for (const key of Object.keys(fields)) {
        const field = key.split('.')[0] ?? key;
        if (field === 'version') {
          mapped.set(field, { text: m('error.VERSION_CONFLICT') });
          continue;
        }
        mapped.set(field, { control: controlOf(field) ?? null, text: messageOf(field) });
      }
      if (mapped.size === 0) mapped.set('', { text: m('error.VALIDATION_FAILED') });
      show(mapped);
      return;
    }
    formErrors.fail(failureText(m, code, answer));
  });

  showSecret();
  await load();
  if (hook) {
    for (const k of kinds) k.checked = k.value === hook.kind;
    showSecret();
  }
};

runConsolePage(run);
