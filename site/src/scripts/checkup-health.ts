/**
 * The firm page's health check-up box: `GET /api/staff/enterprises/{uscc}/health` → the latest band
 * and score (a badge with words), the band before, a link to the latest report, and the early warnings
 * (the band got worse; an urgent finding is overdue, linked to its ledger item). The "start a check-up"
 * form (leads and admins: firm.ts shows it; a liaison fills in check-ups, it does not start them) sends
 * `POST /api/staff/checkups {uscc, at: now, inspectors}` and opens the new check-up's form.
 */

import type { Health, HealthWarning as Warning } from '../../../shared/checkups.ts';
import { toShanghaiIso } from '../../../shared/time.ts';
import { api, fieldsOf } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { bandBadge, checkupHref } from './checkup-common.ts';
import { setFieldError, splitTopics, type TypedConsole } from './console.ts';
import { buttonEl, dateTime, dayLabel, el } from './format.ts';

/** The title and due date of an overdue finding, from the warning's own fields. */
const overdueOf = (w: Warning): { title: string; dueOn: string } | undefined =>
  w.code === 'RED_FINDING_OVERDUE' && w.title !== undefined && w.dueOn !== undefined
    ? { title: w.title, dueOn: w.dueOn }
    : undefined;

/** The latest band and score, the band before, the report's link and the early warnings. */
const healthSummary = (c: TypedConsole, uscc: string) => {
  const { lang, m, token, $ } = c;
  const summary = $<HTMLElement>('#health-summary');
  const warningsBox = $<HTMLElement>('#health-warnings');

  const warningItem = (w: Warning, health: Health | null): HTMLLIElement => {
    const li = el('li');
    li.dataset.code = w.code;
    if (w.code === 'BAND_WORSE' && health?.previousBand) {
      li.textContent = m('checkup.warn.BAND_WORSE', {
        from: m(`checkup.bandName.${health.previousBand}`),
        to: m(`checkup.bandName.${health.latestBand}`),
      });
      return li;
    }
    const overdue = overdueOf(w);
    li.textContent = overdue
      ? m('checkup.warn.RED_FINDING_OVERDUE', { title: overdue.title, date: dayLabel(overdue.dueOn, lang) })
      : w.message;
    if (w.itemId) {
      const link = el('a', undefined, m('checkup.warn.open'));
      link.href = `${c.path('/staff/ledger/item/')}?id=${encodeURIComponent(w.itemId)}`;
      li.append(' ', link);
    }
    return li;
  };

  const load = async () => {
    summary.replaceChildren(el('p', 'muted', m('console.loading')));
    const read = await api('health.firm', { params: { uscc }, token });
    const { status, body } = read;
    const answer = read.ok ? read.body : undefined;
    if (!answer || answer.health === undefined) {
      const box = el('div', 'alert');
      box.append(el('p', undefined, `${m('checkup.health.failed')} ${failureText(m, status, body)}`));
      const retry = buttonEl('button-secondary button-small', m('console.retry'));
      retry.addEventListener('click', () => void load());
      box.append(retry);
      summary.replaceChildren(box);
      return;
    }
    const health = answer.health;
    if (!health) {
      summary.replaceChildren(el('p', 'muted', m('checkup.health.none')));
    } else {
      const parts: Node[] = [bandBadge(m, health.latestBand, health.latestScore)];
      parts.push(el('p', undefined, m('checkup.health.latest', { date: dateTime(health.at, lang, true) })));
      if (health.previousBand) {
        parts.push(
          el('p', 'muted', m('checkup.health.previous', { band: m(`checkup.bandName.${health.previousBand}`) })),
        );
      }
      const report = el('a', undefined, m('checkup.health.report'));
      report.href = checkupHref(c, 'report', health.checkupId);
      const p = el('p');
      p.append(report);
      parts.push(p);
      summary.replaceChildren(...parts);
    }
    const warnings = Array.isArray(answer.warnings) ? answer.warnings : [];
    warningsBox.replaceChildren();
    if (warnings.length > 0) {
      const list = el('ul');
      for (const w of warnings) list.append(warningItem(w, health));
      warningsBox.append(el('h3', undefined, m('checkup.warn.heading')), list);
    }
    warningsBox.hidden = warnings.length === 0;
  };

  return load;
};

/** The "start a check-up" form: the inspectors' names, then the new check-up's form. */
const checkupStart = (c: TypedConsole, uscc: string) => {
  const { m, token, $ } = c;
  const form = $<HTMLFormElement>('#checkup-start');
  const inspectors = $<HTMLInputElement>('#checkup-inspectors');
  const startProblem = $<HTMLElement>('#checkup-start-problem');
  const start = $<HTMLButtonElement>('#checkup-start button[type=submit]');
  const startLabel = start.textContent ?? '';

  inspectors.value = c.me.displayName || c.me.username;
  const names = () => splitTopics(inspectors.value);
  const problem = () => {
    const list = names();
    return list.length < 1 || list.length > 10 || list.some((name) => name.length > 50)
      ? m('checkup.err.inspectors')
      : undefined;
  };
  inspectors.addEventListener('input', () => {
    if (inspectors.getAttribute('aria-invalid') === 'true') setFieldError(inspectors, problem());
  });

  let sending = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    startProblem.hidden = true;
    const bad = problem();
    setFieldError(inspectors, bad);
    if (bad) {
      inspectors.focus();
      return;
    }
    sending = true;
    start.disabled = true;
    start.textContent = m('checkup.start.working');
    const created = await api('checkups.create', {
      json: { uscc, at: toShanghaiIso(new Date()), inspectors: names() },
      token,
    });
    const { status, body } = created;
    const made = created.ok ? created.body.checkup : undefined;
    if (made?.checkupId) {
      location.assign(checkupHref(c, 'form', made.checkupId));
      return;
    }
    sending = false;
    start.disabled = false;
    start.textContent = startLabel;
    if (status === 401) return;
    const fields = fieldsOf(body);
    if (status === 400 && Object.keys(fields).some((key) => key.startsWith('inspectors'))) {
      setFieldError(inspectors, m('checkup.err.inspectors'));
      inspectors.focus();
      return;
    }
    startProblem.textContent = m('checkup.start.failed', { error: failureText(m, status, body) });
    startProblem.hidden = false;
    startProblem.focus();
  });
};

export const setupHealth = (c: TypedConsole, uscc: string) => {
  const load = healthSummary(c, uscc);
  checkupStart(c, uscc);
  return load();
};
