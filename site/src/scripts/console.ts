/**
 * What the two staff-console pages share: the session (no token → the sign-in page; `GET /api/staff/me`
 * → the "signed in as" bar with a sign-out link), the API's shapes, the error summary and per-field
 * errors, sending a form (one request at a time, its button busy), and Beijing wall-clock times for
 * `<input type=time|datetime-local>`.
 */
import { toShanghaiIso } from '../../../shared/time.ts';
import { api, messagesOf } from '../kit/api.ts';
import type { Say, Vars } from '../kit/messages.ts';
import { signOut } from '../kit/renew.ts';
import { getToken, signInPath } from '../kit/session.ts';
import { showNavCounts } from './console-nav-counts.ts';
import { el, fill, langOf, type PageLang } from './format.ts';

export interface Me {
  username: string;
  displayName?: string;
  role: string;
  jurisdiction: { code: string; name?: { zh?: string; en?: string }; level?: string };
}

/** What a console page works with once the session is checked; `m` takes only dictionary keys. */
export interface TypedConsole {
  lang: PageLang;
  m: Say;
  token: string;
  me: Me;
  /** `/staff/…` in the page's language. */
  path: (bare: string) => string;
  /** The page's element of a selector: its markup is the page's own, so it is there (the e2e tests open every page). */
  $: <T extends HTMLElement>(selector: string) => T;
}

/**
 * The same with `m` taking any string, as `startConsole` answers it: it passes wherever a
 * `TypedConsole` is asked for, so a page that names `TypedConsole` gets its keys checked, and the
 * pages not moved over yet (users, inbox) keep compiling until they are.
 */
export type Console = Omit<TypedConsole, 'm'> & { m: (key: string, vars?: Vars) => string };

/**
 * Checks the session and fills the "signed in as" bar and the section links the role may use.
 * Answers undefined when the page cannot go on (no token: already on the way to sign-in; a role
 * the page is not for — by default anyone but leads and admins — the no-access notice is shown).
 */
export const startConsole = async (
  root: HTMLElement,
  roles: readonly string[] = ['lead', 'admin'],
  options: { offline?: boolean } = {},
): Promise<Console | undefined> => {
  const lang = langOf(root);
  const msg = messagesOf(root);
  const m = (key: string, vars?: Vars): string => {
    const text = msg[key] ?? msg['error.INTERNAL'] ?? key;
    return vars ? fill(text, vars) : text;
  };
  const path = (bare: string) => (lang === 'zh' ? bare : `/en${bare}`);
  const token = getToken();
  if (!token) {
    location.replace(signInPath(lang));
    return undefined;
  }
  const loading = root.querySelector<HTMLElement>('#console-loading');
  const answer = await api('me.get', { token });
  const { status } = answer;
  let me: Me | undefined = answer.ok ? answer.body.me : undefined;
  // A page that works without signal (the check-up form, issue 20) goes on as the account last read
  // in this tab with this token; the API still checks the token on every request it sends later.
  const kept = `eco-me:${token.slice(-24)}`;
  if (me) sessionStorage.setItem(kept, JSON.stringify(me));
  else if (status === 0 && options.offline) me = JSON.parse(sessionStorage.getItem(kept) ?? 'null') ?? undefined;
  // A 401 is on its way to sign-in already (the session policy in kit/api.ts).
  if (status === 401) return undefined;
  if (loading) loading.hidden = true;
  if (!me) {
    const box = root.querySelector<HTMLElement>('#console-problem');
    if (box) {
      box.textContent = m(status === 0 ? 'error.NETWORK' : 'error.INTERNAL');
      box.hidden = false;
      box.focus();
    }
    return undefined;
  }
  const bar = root.querySelector<HTMLElement>('#console-me');
  if (bar) {
    const place = me.jurisdiction.name?.[lang] ?? me.jurisdiction.code;
    const who = bar.querySelector<HTMLElement>('[data-field=who]');
    if (who) who.textContent = me.displayName || me.username;
    const role = bar.querySelector<HTMLElement>('[data-field=role]');
    if (role) role.textContent = `${m(`role.${me.role}`)} · ${place}`;
    bar.hidden = false;
    // Ends the issuer's session too, and every tab of this console (kit/session.ts).
    bar.querySelector<HTMLAnchorElement>('#console-sign-out')?.addEventListener('click', (event) => {
      event.preventDefault();
      void signOut(lang);
    });
    for (const item of bar.querySelectorAll<HTMLElement>('[data-roles]')) {
      item.hidden = !(item.dataset.roles ?? '').split(' ').includes(me.role);
    }
    // The home page reads today's answer fresh (its cards are that answer); other pages take it cached.
    if (!options.offline) void showNavCounts(bar, token, m as Say, root.dataset.todayFresh !== undefined);
  }
  if (!roles.includes(me.role)) {
    const notice = root.querySelector<HTMLElement>('#console-no-access');
    if (notice) {
      notice.hidden = false;
      notice.focus();
    }
    return undefined;
  }
  const $ = <T extends HTMLElement>(selector: string): T => root.querySelector(selector) as T;
  return { lang, m, token, me, path, $ };
};

/**
 * How every console page script starts: the page's root (`#console`, written by ConsolePage.astro),
 * the session and role check of `startConsole`, then the page's own `run`. Nothing runs on a page
 * without the root, or when the check sends the person elsewhere or shows the no-access notice.
 * The page's body (`#console-body`, hidden in the markup until the check passes) is shown here, in
 * the same task as `run`'s first steps, so nothing paints between; a page that reads its record
 * first (`revealsBody`) shows it itself, so a missing record never flashes an empty form.
 */
export const runConsolePage = (
  run: (c: Console, root: HTMLElement) => unknown,
  roles?: readonly string[],
  options: { offline?: boolean; revealsBody?: boolean } = {},
): void => {
  const root = document.querySelector<HTMLElement>('#console');
  if (!root) return;
  void startConsole(root, roles, options).then((c) => {
    if (!c) return undefined;
    const body = root.querySelector<HTMLElement>('#console-body');
    if (body && !options.revealsBody) body.hidden = false;
    return run(c, root);
  });
};

/**
 * A console table's header row, one `th scope=col` a label. `lastUnsorted`: the last column holds buttons or
 * changes, not values, so kit/sortable.ts does not offer to sort by it (`data-nosort`).
 */
export const headRow = (labels: readonly string[], lastUnsorted = false): HTMLTableRowElement => {
  const row = el('tr');
  labels.forEach((text, i) => {
    const th = el('th', undefined, text);
    th.scope = 'col';
    if (lastUnsorted && i === labels.length - 1) th.dataset.nosort = '';
    row.append(th);
  });
  return row;
};

// ---- errors ----

export interface Problem {
  /** The control the problem is about: the summary links to it. */
  control?: HTMLElement | null;
  text: string;
}

/** Shows a problem list in an error summary (`<section class=error-summary>` with h2/h3, p, ul) and focuses it. */
export const showSummary = (summary: HTMLElement, title: string, problems: Problem[], text = '') => {
  const heading = summary.querySelector<HTMLElement>('h2, h3');
  if (heading) heading.textContent = title;
  const para = summary.querySelector<HTMLElement>('p');
  if (para) {
    para.textContent = text;
    para.hidden = !text;
  }
  const list = summary.querySelector<HTMLUListElement>('ul');
  if (list) {
    list.replaceChildren();
    for (const problem of problems) {
      const item = el('li');
      const control = problem.control;
      if (control?.id) {
        const link = el('a', undefined, problem.text);
        link.href = `#${control.id}`;
        link.addEventListener('click', (event) => {
          event.preventDefault();
          control.focus();
          control.scrollIntoView({ block: 'center' });
        });
        item.append(link);
      } else {
        item.textContent = problem.text;
      }
      list.append(item);
    }
    list.hidden = problems.length === 0;
  }
  summary.hidden = false;
  summary.focus();
};

export const hideSummary = (summary: HTMLElement) => {
  summary.hidden = true;
  summary.querySelector('ul')?.replaceChildren();
};

/** Marks one control as wrong (or right again) with a message above it, tied by aria-describedby. */
export const setFieldError = (control: HTMLElement, text: string | undefined) => {
  const errorId = `${control.id}-error`;
  let box = document.getElementById(errorId);
  if (!box && text) {
    box = el('p', 'field-error');
    box.id = errorId;
    control.before(box);
  }
  if (box) {
    box.textContent = text ?? '';
    box.hidden = !text;
  }
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== errorId);
  if (text) ids.push(errorId);
  if (ids.length > 0) control.setAttribute('aria-describedby', ids.join(' '));
  else control.removeAttribute('aria-describedby');
  if (text) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
  control.closest('.field')?.classList.toggle('field-invalid', Boolean(text));
};

/** Clears every field error inside a form. */
export const clearFieldErrors = (form: HTMLElement) => {
  for (const control of form.querySelectorAll<HTMLElement>('[aria-invalid=true]')) setFieldError(control, undefined);
};

/**
 * A 400's `fields` as problems: a field the form knows (by the key's head, `slots.0.startsAt` →
 * `slots`) on its control, any other with the server's words, and none at all as the general message.
 */
export const problemsOfFields = (fields: Record<string, string>, known: Record<string, Problem>, m: Say): Problem[] => {
  const found = Object.keys(fields).map((key) => known[key.split('.')[0] ?? ''] ?? { text: `${key}: ${fields[key]}` });
  return found.length > 0 ? found : [{ text: m('error.VALIDATION_FAILED') }];
};

/** One form's problems: the errors on its fields and its error summary, shown and cleared together. */
export interface FormProblems {
  /** Every field error gone, the summary hidden: before a form is checked again. */
  clear: () => void;
  /**
   * These problems and no others: each on its control, and all in the summary, in the page's order
   * (a reader goes down the form with it) with those of no control last. `other` is a sentence no
   * field owns (the server's answer), shown under the "did not work" title instead.
   */
  show: (problems: Iterable<Problem>, other?: string) => void;
  /** The server's answer when no field is at fault: the summary with that sentence alone. */
  fail: (text: string) => void;
  /** Before sending: shows the problems found and answers false, or clears the old ones and answers true. */
  passes: (problems: Iterable<Problem>) => boolean;
  /**
   * Corrections clear the marks as the person types: a marked control is checked again on each
   * change (one not marked yet is never marked early), and the summary goes once nothing is wrong.
   */
  watch: (controls: Iterable<HTMLElement>, problems: () => Iterable<Problem>) => void;
}

/** Sorts problems by where their controls stand in the page; those without one go last, as they came. */
const inPageOrder = (a: Problem, b: Problem): number => {
  if (!a.control || !b.control) return Number(!a.control) - Number(!b.control);
  if (a.control === b.control) return 0;
  return a.control.compareDocumentPosition(b.control) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
};

export const formProblems = (form: HTMLElement, summary: HTMLElement, m: Say): FormProblems => {
  const clear = () => {
    clearFieldErrors(form);
    hideSummary(summary);
  };
  const show = (problems: Iterable<Problem>, other?: string) => {
    clearFieldErrors(form);
    // One message a control (the first found); a button (add a slot) is linked from the summary but
    // not marked, since aria-invalid is not for buttons.
    const seen = new Set<HTMLElement>();
    const ordered = [...problems]
      .filter(({ control }) => !control || (!seen.has(control) && Boolean(seen.add(control))))
      .sort(inPageOrder);
    for (const { control, text } of ordered) if (control && control.tagName !== 'BUTTON') setFieldError(control, text);
    showSummary(summary, m(other ? 'console.problemTitle' : 'console.errorsTitle'), ordered, other ?? '');
  };
  const passes = (problems: Iterable<Problem>) => {
    const found = [...problems];
    if (found.length > 0) show(found);
    else clear();
    return found.length === 0;
  };
  const watch = (controls: Iterable<HTMLElement>, problems: () => Iterable<Problem>) => {
    for (const control of controls) {
      const picked = control.tagName === 'SELECT' || (control as HTMLInputElement).type === 'date';
      control.addEventListener(picked ? 'change' : 'input', () => {
        if (control.getAttribute('aria-invalid') !== 'true') return;
        const found = [...problems()];
        setFieldError(control, found.find((problem) => problem.control === control)?.text);
        if (found.length === 0) hideSummary(summary);
      });
    }
  };
  const fail = (text: string) => showSummary(summary, m('console.problemTitle'), [], text);
  return { clear, show, fail, passes, watch };
};

// ---- sending a form ----

/** Runs `work` (the request) with the form busy, and puts the form back afterwards, even when `work` throws. */
export type Busy = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * Sends a form from the page, one request at a time: a submit while a request is out is ignored.
 * `handle` checks the form and shows its own problems, then sends through `busy` — the button
 * disabled with `busyLabel` on it, `aria-busy` on the form — and handles the answer once `busy`
 * is back, so what it shows and focuses (a status, the error summary) is on an idle form.
 */
export const onSubmit = (
  form: HTMLFormElement,
  button: HTMLButtonElement,
  busyLabel: string,
  handle: (busy: Busy) => Promise<void>,
): void => {
  let sending = false;
  const busy: Busy = async (work) => {
    const label = button.textContent ?? '';
    sending = true;
    button.disabled = true;
    button.textContent = busyLabel;
    form.setAttribute('aria-busy', 'true');
    try {
      return await work();
    } finally {
      sending = false;
      button.disabled = false;
      button.textContent = label;
      form.removeAttribute('aria-busy');
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!sending) void handle(busy);
  });
};

// ---- times in Beijing ----

/** A `datetime-local` value (Beijing) → ISO with offset, or '' for an empty field. */
export const localToIso = (value: string): string => {
  if (!value) return '';
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?/.exec(value);
  return m ? `${m[1]}${m[2] ?? ':00'}+08:00` : value;
};

/** ISO → the `datetime-local` value in Beijing (`2026-12-14T17:00`). */
export const isoToLocal = (iso: string | null | undefined): string => {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : toShanghaiIso(d).slice(0, 16);
};

/** Splits topics typed with commas (either width), 、 or new lines. */
export const splitTopics = (text: string): string[] =>
  text
    .split(/[,，、;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
