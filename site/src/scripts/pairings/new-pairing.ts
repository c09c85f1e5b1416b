/**
 * Pairings, the new-pairing form (leads, admins): a firm found by its USCC, a liaison of its county,
 * the service year, the start date, an optional contact leader (联系领导) and an optional mentor firm;
 * `POST /api/staff/pairings`.
 */
import { shanghaiDate } from '../../../../shared/time.ts';
import { isValidUscc, normalizeUscc } from '../../../../shared/uscc.ts';
import { api, errorCodeOf, fieldsOf } from '../../kit/api.ts';
import { failureText } from '../../kit/messages.ts';
import {
  formProblems,
  onSubmit,
  type Problem,
  problemsOfFields,
  setFieldError,
  type TypedConsole,
} from '../console.ts';
import { type Firm, firmOf, liaisonLabel, personLabel, placeLabel, type StaffUser } from '../pairings-common.ts';

/** What the form needs from the list page. */
export interface NewPairingContext {
  c: TypedConsole;
  /** The liaisons of a county (all, without one), as the page has read them. */
  liaisonsOf: (code?: string) => StaffUser[];
  /** The leads over a county (its own, its city's, the province's), as the page has read them. */
  leadsOver: (code: string) => StaffUser[];
  personOf: (username: string) => string;
  /** Reads the list again, with the new pairing in it. */
  loadPairings: () => Promise<void>;
  list: HTMLElement;
  status: HTMLElement;
  say: (text: string | Node, kind?: 'success' | 'error' | 'info') => void;
  /** This service year. */
  now: number;
}

export const newPairingForm = ({
  c,
  liaisonsOf,
  leadsOver,
  personOf,
  loadPairings,
  list,
  status,
  say,
  now,
}: NewPairingContext) => {
  const { lang, m, $ } = c;
  const form = $<HTMLFormElement>('#new-pairing-form');
  const summary = $<HTMLElement>('#pairing-errors');
  const uscc = $<HTMLInputElement>('#pairing-uscc');
  const firmLine = $<HTMLElement>('#pairing-firm');
  const liaison = $<HTMLSelectElement>('#pairing-liaison');
  const serviceYear = $<HTMLInputElement>('#pairing-year');
  const startsOn = $<HTMLInputElement>('#pairing-starts');
  const leader = $<HTMLSelectElement>('#pairing-leader');
  const cadence = $<HTMLSelectElement>('#pairing-cadence');
  const mentor = $<HTMLInputElement>('#pairing-mentor');
  const submit = $<HTMLButtonElement>('#new-pairing-form button[type=submit]');
  let firm: Firm | null | undefined;
  let lookedUp = '';

  const fillLiaisons = () => {
    const keep = liaison.value;
    const choices = liaisonsOf(firm ? firm.county : undefined);
    liaison.replaceChildren(new Option(m('console.field.choose'), ''));
    for (const u of choices) {
      const label = liaisonLabel(c, personLabel(u, u.username, lang), u.username);
      liaison.append(new Option(firm ? label : `${label} · ${placeLabel(u.jurisdiction, lang)}`, u.username));
    }
    if ([...liaison.options].some((o) => o.value === keep)) liaison.value = keep;
    else if (firm && choices.length === 1 && choices[0]) liaison.value = choices[0].username;
    fillLeaders();
  };

  /** Leads are offered once the firm is known: who may be its contact leader depends on its county. */
  const fillLeaders = () => {
    const keep = leader.value;
    leader.replaceChildren(new Option(m('pairings.new.noContactLeader'), ''));
    for (const u of firm ? leadsOver(firm.county) : []) {
      leader.append(
        new Option(`${personLabel(u, u.username, lang)} · ${placeLabel(u.jurisdiction, lang)}`, u.username),
      );
    }
    leader.value = [...leader.options].some((o) => o.value === keep) ? keep : '';
  };

  const lookUpFirm = async (): Promise<void> => {
    const code = normalizeUscc(uscc.value);
    if (code === lookedUp) return;
    lookedUp = code;
    firm = undefined;
    firmLine.textContent = '';
    if (!isValidUscc(code)) {
      fillLiaisons();
      return;
    }
    firmLine.textContent = m('pairings.new.looking');
    const found = await firmOf(c.token, code);
    if (normalizeUscc(uscc.value) !== code) return;
    firm = found;
    firmLine.textContent = found
      ? m('pairings.new.found', { name: found.name, county: placeLabel(found.county, lang) })
      : '';
    if (found === null) setFieldError(uscc, m('pairings.err.usccUnknown'));
    else if (uscc.getAttribute('aria-invalid') === 'true') setFieldError(uscc, undefined);
    fillLiaisons();
  };

  uscc.addEventListener('input', () => {
    if (isValidUscc(normalizeUscc(uscc.value))) void lookUpFirm();
    else if (uscc.getAttribute('aria-invalid') === 'true' && normalizeUscc(uscc.value).length < 18) {
      setFieldError(uscc, undefined);
    }
  });
  uscc.addEventListener('change', () => {
    uscc.value = normalizeUscc(uscc.value);
    if (uscc.value && !isValidUscc(uscc.value)) setFieldError(uscc, m('pairings.err.uscc'));
    void lookUpFirm();
  });

  const problems = async (): Promise<Problem[]> => {
    const found: Problem[] = [];
    const code = normalizeUscc(uscc.value);
    if (!isValidUscc(code)) found.push({ control: uscc, text: m('pairings.err.uscc') });
    else {
      await lookUpFirm();
      if (firm === null) found.push({ control: uscc, text: m('pairings.err.usccUnknown') });
    }
    if (!liaison.value) {
      const none = firm && liaisonsOf(firm.county).length === 0;
      found.push({ control: liaison, text: m(none ? 'pairings.err.noLiaison' : 'pairings.err.liaison') });
    }
    const y = Number(serviceYear.value);
    if (!Number.isInteger(y) || y < 2020 || y > 2100)
      found.push({ control: serviceYear, text: m('pairings.err.year') });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startsOn.value))
      found.push({ control: startsOn, text: m('pairings.err.startsOn') });
    const mentorCode = normalizeUscc(mentor.value);
    if (mentorCode && !isValidUscc(mentorCode)) found.push({ control: mentor, text: m('pairings.err.mentor') });
    else if (mentorCode && mentorCode === code) found.push({ control: mentor, text: m('pairings.err.mentorSelf') });
    return found;
  };

  const { show: showProblems, passes } = formProblems(form, summary, m);

  for (const control of [liaison, serviceYear, startsOn, leader, mentor]) {
    control.addEventListener(control.tagName === 'SELECT' ? 'change' : 'input', () => {
      if (control.getAttribute('aria-invalid') === 'true') setFieldError(control, undefined);
    });
  }

  const resetForm = () => {
    form.reset();
    firm = undefined;
    lookedUp = '';
    firmLine.textContent = '';
    serviceYear.value = String(now);
    startsOn.value = shanghaiDate(new Date());
    fillLiaisons();
  };

  onSubmit(form, submit, m('pairings.new.submitting'), async (busy) => {
    // The check may look the firm up first, so the button is busy for it too. Between the two `busy`
    // runs only microtasks pass: no click or repaint comes in between.
    if (!passes(await busy(problems))) return;
    const mentorCode = normalizeUscc(mentor.value);
    const input = {
      uscc: normalizeUscc(uscc.value),
      liaison: liaison.value,
      serviceYear: Number(serviceYear.value),
      startsOn: startsOn.value,
      ...(mentorCode ? { mentorUscc: mentorCode } : {}),
      ...(leader.value ? { contactLeader: leader.value } : {}),
      ...(cadence.value ? { checkupIntervalMonths: Number(cadence.value) } : {}),
    };
    const made = await busy(() => api('pairings.create', { json: input, token: c.token }));
    const { status: code, body: answer } = made;
    const created = made.ok ? made.body.pairing : undefined;
    if (code === 201 && created) {
      const text = m('pairings.new.done', {
        firm: firm?.name ?? created.uscc,
        liaison: personOf(created.liaison),
        year: created.serviceYear,
      });
      resetForm();
      await loadPairings();
      const card = list.querySelector<HTMLElement>(`[data-pairing-id="${CSS.escape(created.pairingId)}"]`);
      card?.classList.add('pairing-new');
      say(text);
      status.scrollIntoView({ block: 'center' });
      return;
    }
    if (code === 401) return;
    const error = errorCodeOf(answer);
    if (code === 400) {
      const fields = fieldsOf(answer);
      const byField: Record<string, Problem> = {
        uscc: { control: uscc, text: m('pairings.err.uscc') },
        liaison: { control: liaison, text: m('pairings.err.liaison') },
        serviceYear: { control: serviceYear, text: m('pairings.err.year') },
        startsOn: { control: startsOn, text: m('pairings.err.startsOn') },
        mentorUscc: { control: mentor, text: m('pairings.err.mentor') },
        contactLeader: { control: leader, text: m('pairings.err.contactLeader') },
        checkupIntervalMonths: { control: cadence, text: m('pairings.err.cadence') },
      };
      showProblems(problemsOfFields(fields, byField, m));
      return;
    }
    if (error === 'ALREADY_PAIRED') {
      showProblems([{ control: uscc, text: m('pairings.err.ALREADY_PAIRED') }]);
      return;
    }
    if (code === 404) {
      showProblems([{ control: uscc, text: m('pairings.err.usccUnknown') }]);
      return;
    }
    showProblems([], failureText(c.m, code, answer));
  });

  /** The year and start date a new pairing starts from. */
  const defaults = () => {
    serviceYear.value = String(now);
    startsOn.value = shanghaiDate(new Date());
  };

  return { fillLiaisons, defaults };
};
