/**
 * The enterprise form both roster pages use (RosterEnterpriseFields.astro): the county options of the
 * signed-in person's scope, the contact rows (add / remove), reading the values into the API's shape
 * (`POST` body, or a `PATCH` of what changed with `version`), checking them with the API's own schemas
 * (`enterpriseInput`, `enterprisePatch`) and showing problems — ours or the server's `error.fields`
 * (`uscc`, `contacts.0.mobile`, …) — on their inputs and in the error summary, which takes focus.
 */
import type { Enterprise } from '../../../shared/enterprise.ts';
import { contains, levelOf } from '../../../shared/jurisdictions.ts';
import { normalizeUscc } from '../../../shared/uscc.ts';
import { lazy, warmOn } from '../kit/lazy.ts';
import { hideSummary, type Problem, setFieldError, showSummary, type TypedConsole } from './console.ts';
import { remarkFields } from './form-fields.ts';
import { buttonEl, el } from './format.ts';
import { typesAndPark } from './roster-form/types-park.ts';
import { countiesInScope, countyLabel } from './roster-form/view.ts';
import {
  CONTACT_ERRORS,
  CONTACT_FIELDS,
  CONTACT_LABELS,
  type ContactField,
  FIELD_ERRORS,
  MAX_CONTACTS,
} from './roster-form/words.ts';

export { countiesInScope, countyLabel } from './roster-form/view.ts';

/**
 * The API's schemas (with zod, 9 KB gzip) load when the person turns to the form: until then the live
 * check has nothing to say, and a submit first waits for them (`ready`).
 */
const schemas = lazy(() => import('../../../shared/enterprise.ts'));

export interface EnterpriseForm {
  /** The API body of a new enterprise (trimmed; empty optional fields left out). */
  input: () => Record<string, unknown>;
  /** Problems of a new enterprise, keyed like the server's `fields`. */
  inputProblems: () => Map<string, Problem>;
  /** Waits for the schemas the checks use (a failed load leaves the checks to the server). */
  ready: () => Promise<unknown>;
  /** The PATCH of what changed since `before` (always with its version), and its problems. */
  patch: (before: Enterprise) => {
    patch: Record<string, unknown>;
    changed: boolean;
    problems: Map<string, Problem>;
  };
  /** The server's `error.fields` → problems on the inputs. */
  serverProblems: (fields: Record<string, unknown>) => Map<string, Problem>;
  /** Shows problems on their inputs and in the summary (focused). `other` adds lines without a control. */
  show: (found: Map<string, Problem>, title?: string, other?: string[]) => void;
  /** Puts one problem on a control (and in the summary). */
  problemOn: (key: string, text: string) => Problem;
  /** Removes every mark and hides the summary. */
  clear: () => void;
  fill: (enterprise: Enterprise) => void;
  reset: () => void;
  county: HTMLSelectElement;
}

/**
 * Binds the enterprise fields inside `form`. `recheck` answers the current problems for the live
 * re-check (a field already marked is re-checked while it is corrected; nothing new is marked).
 */
export const enterpriseForm = (
  form: HTMLFormElement,
  summary: HTMLElement,
  c: TypedConsole,
  recheck: () => Map<string, Problem>,
): EnterpriseForm => {
  const { m, lang } = c;
  const control = <T extends HTMLElement>(name: string) => form.querySelector(`[name="${name}"]`) as T | null;
  const uscc = control<HTMLInputElement>('uscc');
  const county = control<HTMLSelectElement>('county') as HTMLSelectElement;
  const rows = form.querySelector('[data-contact-rows]') as HTMLElement;
  const live = form.querySelector('[data-contact-live]') as HTMLElement;
  const addContact = form.querySelector('[data-add-contact]') as HTMLButtonElement;
  const prefix = county.id.replace(/-county$/, '');
  warmOn(form, schemas);
  const text = (name: string) => (control<HTMLInputElement>(name)?.value ?? '').trim();

  for (const code of countiesInScope(c.me.jurisdiction.code)) county.append(new Option(countyLabel(code, lang), code));
  const ensureCounty = (code: string) => {
    if (code && ![...county.options].some((o) => o.value === code)) {
      county.append(new Option(countyLabel(code, lang), code));
    }
  };
  const defaultCounty = levelOf(c.me.jurisdiction.code) === 'county' ? c.me.jurisdiction.code : '';
  const extra = typesAndPark(form, county, c);

  // ---- contact rows ----

  let seq = 0;
  const contactRows = () => [...rows.querySelectorAll<HTMLElement>('.contact-row')];
  const inputOf = (row: HTMLElement, field: ContactField) =>
    row.querySelector(`[data-contact=${field}]`) as HTMLInputElement;
  const blank = (row: HTMLElement) => CONTACT_FIELDS.every((field) => inputOf(row, field).value.trim() === '');
  /** The rows that are saved (not left empty), in order: `contacts.{i}` is the i-th of these. */
  const filledRows = () => contactRows().filter((row) => !blank(row));

  const renumber = () => {
    const all = contactRows();
    all.forEach((row, i) => {
      const legend = row.querySelector('legend');
      if (legend) legend.textContent = m('roster.contact.n', { n: i + 1 });
      const remove = row.querySelector<HTMLButtonElement>('[data-remove-contact]');
      remove?.setAttribute('aria-label', m('roster.contact.removeLabel', { n: i + 1 }));
    });
    addContact.hidden = all.length >= MAX_CONTACTS;
  };

  const addRow = (contact?: Enterprise['contacts'][number]) => {
    seq += 1;
    const id = `${prefix}-contact-${seq}`;
    const row = el('fieldset', 'contact-row');
    row.append(el('legend'));
    for (const field of CONTACT_FIELDS) {
      const wrap = el('div', 'field');
      const label = el('label', undefined, m(CONTACT_LABELS[field]));
      label.htmlFor = `${id}-${field}`;
      const input = el('input');
      input.id = `${id}-${field}`;
      input.name = `contact-${field}`;
      input.dataset.contact = field;
      input.value = contact?.[field] ?? '';
      if (field === 'mobile') {
        input.type = 'tel';
        input.inputMode = 'numeric';
        input.autocomplete = 'off';
        input.maxLength = 11;
      } else if (field === 'email') {
        input.type = 'email';
        input.autocomplete = 'off';
        input.maxLength = 200;
        input.spellcheck = false;
      } else {
        input.type = 'text';
        input.maxLength = 50;
      }
      wrap.append(label, input);
      row.append(wrap);
    }
    const remove = buttonEl('button-secondary button-small contact-remove', m('roster.contact.remove'));
    remove.dataset.removeContact = '';
    remove.addEventListener('click', () => {
      const index = contactRows().indexOf(row);
      row.remove();
      renumber();
      live.textContent = m('roster.contact.removed', { n: contactRows().length });
      const next = contactRows()[Math.min(index, contactRows().length - 1)];
      (next ? inputOf(next, 'name') : addContact).focus();
    });
    row.append(remove);
    row.addEventListener('input', (event) => {
      const target = event.target as HTMLElement;
      if (target.getAttribute('aria-invalid') === 'true') recheckMarked();
    });
    rows.append(row);
    renumber();
    return row;
  };
  addContact.addEventListener('click', () => {
    const row = addRow();
    inputOf(row, 'name').focus();
  });

  // ---- reading ----

  const contactsOf = (): Record<string, string>[] =>
    filledRows().map((row) => {
      const out: Record<string, string> = {};
      for (const field of CONTACT_FIELDS) {
        const value = inputOf(row, field).value.trim();
        if (value || field === 'name' || field === 'mobile') out[field] = value;
      }
      return out;
    });

  const input = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      uscc: normalizeUscc(uscc?.value ?? ''),
      name: text('name'),
      county: county.value,
      address: text('address'),
      industry: text('industry'),
      size: control<HTMLSelectElement>('size')?.value ?? '',
      tier: control<HTMLSelectElement>('tier')?.value ?? '',
      contacts: contactsOf(),
      types: extra.types(),
    };
    if (extra.park()) out.park = extra.park();
    if (text('permitNo')) out.permitNo = text('permitNo');
    if (text('permitExpiresOn')) out.permitExpiresOn = text('permitExpiresOn');
    return out;
  };

  // ---- problems ----

  const problemFor = (key: string, serverText?: string): Problem => {
    const [head = '', index, field] = key.split('.');
    if (head === 'uscc' && uscc) {
      const value = normalizeUscc(uscc.value);
      const message =
        value === ''
          ? m('booking.err.uscc.required')
          : value.length !== 18
            ? m('booking.err.uscc.length', { n: value.length })
            : m('booking.err.uscc.invalid');
      return { control: uscc, text: message };
    }
    if (head === 'contacts') {
      const row = index === undefined ? undefined : filledRows()[Number(index)];
      if (row && field && (CONTACT_FIELDS as readonly string[]).includes(field)) {
        const n = contactRows().indexOf(row) + 1;
        return { control: inputOf(row, field as ContactField), text: m(CONTACT_ERRORS[field as ContactField], { n }) };
      }
      return { control: addContact, text: m('roster.err.contacts') };
    }
    const target = control<HTMLElement>(head);
    const message = FIELD_ERRORS[head];
    if (target && message) return { control: target, text: m(message) };
    return { text: serverText ? `${key}: ${serverText}` : m('error.VALIDATION_FAILED') };
  };

  const issuesToProblems = (issues: readonly { path: readonly PropertyKey[] }[]): Map<string, Problem> => {
    const found = new Map<string, Problem>();
    for (const issue of issues) {
      const key = issue.path.slice(0, 3).map(String).join('.');
      if (key === 'version') continue;
      if (!found.has(key)) found.set(key, problemFor(key));
    }
    return found;
  };

  const inputProblems = (): Map<string, Problem> => {
    const data = input();
    const result = schemas.now?.enterpriseInput.safeParse(data);
    const found = result?.error ? issuesToProblems(result.error.issues) : new Map<string, Problem>();
    if (!found.has('county') && data.county && !contains(c.me.jurisdiction.code, String(data.county))) {
      found.set('county', { control: county, text: m('roster.err.countyScope') });
    }
    return found;
  };

  const patch = (before: Enterprise) => {
    const out: Record<string, unknown> = { version: before.version };
    const found = new Map<string, Problem>();
    for (const name of ['name', 'county', 'address', 'industry', 'size', 'tier', 'status'] as const) {
      const value = name === 'county' ? county.value : text(name);
      if (value !== (before[name] ?? '')) out[name] = value;
    }
    for (const name of ['permitNo', 'permitExpiresOn'] as const) {
      const value = text(name);
      const was = before[name] ?? '';
      if (value === was) continue;
      if (value === '') {
        // The API keeps a registered permit: an emptied field would silently stay as it was.
        const target = control<HTMLElement>(name);
        found.set(name, {
          control: target,
          text: m(name === 'permitNo' ? 'roster.err.permitNoClear' : 'roster.err.permitExpiresOnClear'),
        });
      } else {
        out[name] = value;
      }
    }
    const contacts = contactsOf();
    const normalized = (list: readonly Enterprise['contacts'][number][] | Record<string, string>[]) =>
      JSON.stringify(
        list.map((contact) => CONTACT_FIELDS.map((field) => (contact as Record<string, string>)[field] ?? '')),
      );
    if (normalized(contacts) !== normalized(before.contacts ?? [])) out.contacts = contacts;
    if (extra.types().join() !== (before.types ?? []).join()) out.types = extra.types();
    if (extra.park() !== (before.park ?? '')) out.park = extra.park() || null;
    const result = schemas.now?.enterprisePatch.safeParse(out);
    if (result?.error) {
      for (const [key, problem] of issuesToProblems(result.error.issues)) if (!found.has(key)) found.set(key, problem);
    }
    if (!found.has('county') && out.county && !contains(c.me.jurisdiction.code, String(out.county))) {
      found.set('county', { control: county, text: m('roster.err.countyScope') });
    }
    return { patch: out, changed: Object.keys(out).length > 1, problems: found };
  };

  const serverProblems = (fields: Record<string, unknown>): Map<string, Problem> => {
    const found = new Map<string, Problem>();
    for (const [key, value] of Object.entries(fields)) {
      if (!found.has(key)) found.set(key, problemFor(key, typeof value === 'string' ? value : undefined));
    }
    if (found.size === 0) found.set('', { text: m('error.VALIDATION_FAILED') });
    return found;
  };

  // ---- showing ----

  const controls = (): HTMLElement[] =>
    [
      uscc,
      control<HTMLElement>('name'),
      control<HTMLElement>('status'),
      county,
      control<HTMLElement>('size'),
      control<HTMLElement>('tier'),
      control<HTMLElement>('industry'),
      control<HTMLElement>('address'),
      control<HTMLElement>('permitNo'),
      control<HTMLElement>('permitExpiresOn'),
      extra.parkSelect,
      ...contactRows().flatMap((row) => CONTACT_FIELDS.map((field) => inputOf(row, field))),
      addContact,
    ].filter((x): x is HTMLElement => Boolean(x));

  const show = (found: Map<string, Problem>, title = m('roster.errorsTitle'), other: string[] = []) => {
    const byControl = new Map<HTMLElement, string>();
    for (const problem of found.values()) {
      if (problem.control && !byControl.has(problem.control)) byControl.set(problem.control, problem.text);
    }
    for (const item of controls()) {
      if (item === addContact) continue;
      setFieldError(item, byControl.get(item));
    }
    const ordered = controls()
      .filter((item) => byControl.has(item))
      .map((item) => ({ control: item, text: byControl.get(item) ?? '' }));
    const loose = [...found.values()].filter((p) => !p.control).map((p) => ({ text: p.text }));
    showSummary(summary, title, [...ordered, ...loose, ...other.map((line) => ({ text: line }))]);
  };

  const problemOn = (key: string, message: string): Problem => ({ ...problemFor(key), text: message });

  const clear = () => {
    for (const item of controls()) if (item.getAttribute('aria-invalid') === 'true') setFieldError(item, undefined);
    hideSummary(summary);
  };

  /** While someone corrects a marked field: re-check it, never mark a field not yet marked. */
  const recheckMarked = () => {
    const found = recheck();
    remarkFields(controls(), found.values());
    if (found.size === 0) hideSummary(summary);
  };
  for (const item of controls()) {
    if (item === addContact || item.closest('.contact-row')) continue;
    item.addEventListener(
      item.tagName === 'SELECT' || item.getAttribute('type') === 'date' ? 'change' : 'input',
      () => {
        if (item.getAttribute('aria-invalid') === 'true') recheckMarked();
      },
    );
  }

  const set = (name: string, value: string | undefined) => {
    const target = control<HTMLInputElement | HTMLSelectElement>(name);
    if (target) target.value = value ?? '';
  };

  const fill = (enterprise: Enterprise) => {
    clear();
    ensureCounty(enterprise.county);
    if (uscc) uscc.value = enterprise.uscc;
    for (const name of ['name', 'county', 'address', 'industry', 'size', 'tier', 'status'] as const) {
      set(name, enterprise[name]);
    }
    set('permitNo', enterprise.permitNo);
    set('permitExpiresOn', enterprise.permitExpiresOn);
    rows.replaceChildren();
    for (const contact of enterprise.contacts ?? []) addRow(contact);
    if (contactRows().length === 0) addRow();
    void extra.fill(enterprise);
  };

  const start = () => {
    county.value = [...county.options].some((o) => o.value === defaultCounty) ? defaultCounty : '';
    rows.replaceChildren();
    addRow();
    void extra.fill({ county: county.value });
  };
  const reset = () => {
    form.reset();
    clear();
    start();
  };

  start(); // not reset(): loaded on first focus (lazy-section.ts), what was typed meanwhile stays
  const ready = () => schemas().catch(() => undefined);
  return { input, inputProblems, ready, patch, serverProblems, show, problemOn, clear, fill, reset, county };
};
