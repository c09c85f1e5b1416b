/**
 * Staff console, the group-chat robot of a unit (leads, admins): `GET /api/staff/webhooks/{code}`
 * (address with the token masked), shown here; the form that sets or replaces it (`<hook-form>`) and
 * the test message (`<hook-test>`) are the page's elements, told which unit is shown and what is set.
 * A city or province lead picks a unit below it. The server also holds the address to the platforms'
 * hosts and paths.
 */

import type { WebhookView as Hook } from '../../../shared/answers.ts';
import { contains, JURISDICTION_CODE, levelOf } from '../../../shared/jurisdictions.ts';
import { api } from '../kit/api.ts';
import { answerFailureBox } from '../kit/failure.ts';
import { keepQueryOnLangSwitch, placeName } from './compliance-months.ts';
import { runConsolePage, setFieldError, type TypedConsole } from './console.ts';
import { el, fact } from './format.ts';
// The page's elements (HookForm.astro, HookTest.astro), defined here: their modules ride in the page's bundle.
import './webhooks/hook-form.ts';
import type { HookForm } from './webhooks/hook-form.ts';
import './webhooks/hook-test.ts';
import type { HookTest } from './webhooks/hook-test.ts';

const run = async (c: TypedConsole) => {
  const { lang, m, $ } = c;
  const unitForm = $<HTMLFormElement>('#unit-form');
  const unitCode = $<HTMLInputElement>('#unit-code');
  const currentHeading = $<HTMLElement>('#hook-current-heading');
  const currentBody = $<HTMLElement>('#hook-current-body');
  const scope = c.me.jurisdiction.code;
  let unit = scope;
  let hook: Hook | null | undefined;
  const editor = $<HookForm>('hook-form');
  editor.init(c, { unit: () => unit, hook: () => hook, reload: () => load() });
  const tester = $<HookTest>('hook-test');
  tester.init(c);

  // ---- the unit (a city or province lead may pick one below) ----

  const canPick = levelOf(scope) !== 'county';
  unitForm.hidden = !canPick;
  // The unit may be typed by name: the picker offers the places of one's own subtree.
  $<HTMLElement>('jurisdiction-picker').dataset.scope = scope;
  const requested = new URLSearchParams(location.search).get('jurisdiction');
  if (canPick && requested && JURISDICTION_CODE.test(requested) && contains(scope, requested)) unit = requested;
  unitCode.value = unit;

  // ---- showing what is set ----

  const showHook = () => {
    const place = placeName(unit, lang);
    const labelled = place === unit ? unit : lang === 'zh' ? `${place}（${unit}）` : `${place} (${unit})`;
    currentHeading.textContent = m('webhooks.current.heading', { place: labelled });
    tester.showRobot(unit, Boolean(hook));
    editor.showRobot(Boolean(hook));
    if (!hook) {
      const none = el('p', 'hook-none', m('webhooks.current.none', { place }));
      currentBody.replaceChildren(none);
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
    editor.clear();
    tester.clear();
    if (await load()) currentHeading.focus();
  });

  // ---- what the form (HookForm.astro) set ----

  editor.addEventListener('hook-saved', (event) => {
    hook = (event as CustomEvent<Hook>).detail;
    showHook();
    tester.clear();
  });

  await load();
  if (hook) editor.pickKind(hook.kind);
};

runConsolePage(run);
