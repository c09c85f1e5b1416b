/**
 * Sending the `<ledger-raise>` form (components/LedgerRaise.astro), loaded when its fold is first
 * opened: checked with the API's own schema, then `POST /api/staff/ledger-items`; says what was
 * raised, with a link to the item, and tells the page (`ledger-raised`).
 */

import { ledgerItemInput } from '../../../shared/ledger.ts';
import { api } from '../kit/api.ts';
import { failureText, type MessageKey, type Say } from '../kit/messages.ts';
import { getToken } from '../kit/session.ts';
import { setFieldError } from './console.ts';
import { showMade } from './folded-form.ts';

/** The element as this module reads it: its words, its firm and what it links to, and its reset. */
type RaiseElement = HTMLElement & { reset(): void };

const ERROR_KEYS: Record<string, MessageKey> = {
  title: 'ledger.err.title',
  detail: 'ledger.err.detail',
  dueOn: 'ledger.err.dueOn',
  ownerDepartment: 'ledger.err.owner',
};

/** Elements with a request out: a second press meanwhile sends nothing twice. */
const busy = new WeakSet<HTMLElement>();

export const sendRaise = async (element: RaiseElement): Promise<void> => {
  if (busy.has(element)) return;
  const dict = JSON.parse(element.dataset.msg ?? '{}') as Record<string, string>;
  const m: Say = (key: MessageKey, vars = {}) =>
    (dict[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
  const form = element.querySelector('form') as HTMLFormElement;
  const problem = element.querySelector('.raise-problem') as HTMLElement;
  const done = element.querySelector('.raise-done') as HTMLElement;
  const button = form.querySelector('button[type=submit]') as HTMLButtonElement;
  const control = (name: string) => form.elements.namedItem(name) as HTMLInputElement;

  problem.hidden = true;
  const ref = element.dataset.sourceRef;
  const data = {
    uscc: element.dataset.uscc ?? '',
    title: control('title').value.trim(),
    detail: control('detail').value.trim(),
    source: ref ? 'contact' : control('source').value,
    severity: control('severity').value,
    dueOn: control('dueOn').value,
    ownerDepartment: control('ownerDepartment').value.trim(),
    ...(ref ? { sourceRef: ref } : {}),
  };
  const parsed = ledgerItemInput.safeParse(data);
  const wrong = new Set(parsed.success ? [] : parsed.error.issues.map((issue) => String(issue.path[0])));
  let first: HTMLElement | undefined;
  for (const [name, key] of Object.entries(ERROR_KEYS)) {
    setFieldError(control(name), wrong.has(name) ? m(key) : undefined);
    if (wrong.has(name)) first ??= control(name);
  }
  if (first) {
    first.focus();
    return;
  }
  busy.add(element);
  button.disabled = true;
  const label = button.textContent;
  button.textContent = m('field.ledger.submitting');
  try {
    const result = await api('ledger.create', { json: data, token: getToken() ?? '' });
    if (result.ok) {
      const { item } = result.body;
      element.reset();
      const href = `${element.dataset.itemPath}?id=${encodeURIComponent(item.itemId)}`;
      showMade(element, done, href, m('field.ledger.done', { title: item.title }));
      element.dispatchEvent(new CustomEvent('ledger-raised', { bubbles: true, detail: item }));
      return;
    }
    if (result.status === 401) return;
    problem.textContent = `${m('field.ledger.failed')} ${failureText(m, result.status, result.body)}`;
    problem.hidden = false;
  } finally {
    busy.delete(element);
    button.disabled = false;
    button.textContent = label;
  }
};
