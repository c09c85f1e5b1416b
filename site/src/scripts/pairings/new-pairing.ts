/**
 * `<new-pairing>` (NewPairing.astro), the new-pairing form (leads, admins): a firm found by its USCC,
 * a liaison of its county, the service year, the start date, an optional contact leader (联系领导),
 * check-up cadence and mentor firm; `POST /api/staff/pairings`. The page hands it the console and the
 * people with `init`, calls `peopleKnown` once the staff accounts are read, and hears `pairing-made`
 * (detail: the pairing's id and the sentence that says so) to read its list again.
 */
import { shanghaiDate } from '../../../../shared/time.ts';
import { isValidUscc, normalizeUscc } from '../../../../shared/uscc.ts';
import { api } from '../../kit/api.ts';
import { formProblems, onSubmit, type Problem, setFieldError, type TypedConsole } from '../console.ts';
import { fieldOf, showRefusal } from '../form-refusal.ts';
import { type Firm, firmOf, personLabel, placeLabel, thisYear } from '../pairings-common.ts';
import { partOf } from '../parts.ts';
import type { People } from './people.ts';

export interface PairingMade {
  pairingId: string;
  text: string;
}

declare global {
  /** What the element tells the page. */
  interface HTMLElementEventMap {
    'pairing-made': CustomEvent<PairingMade>;
  }
}

export class NewPairing extends HTMLElement {
  #fillLiaisons: (() => void) | undefined;

  init(c: TypedConsole, people: People): void {
    this.#fillLiaisons = pairingForm(this, c, people);
  }

  /** The staff accounts are read: the liaison and contact-leader pickers offer them. */
  peopleKnown(): void {
    this.#fillLiaisons?.();
  }
}

const pairingForm = (host: NewPairing, c: TypedConsole, people: People) => {
  const { lang, m } = c;
  const form = partOf<HTMLFormElement>(host, 'form');
  const firmLine = partOf<HTMLElement>(host, '.firm-found');
  const field = <T extends HTMLElement = HTMLInputElement>(name: string) => fieldOf<T>(form, name);
  const uscc = field('uscc');
  const liaison = field<HTMLSelectElement>('liaison');
  const leader = field<HTMLSelectElement>('contactLeader');
  let firm: Firm | null | undefined;
  let lookedUp = '';

  const fillLiaisons = () => {
    const keep = liaison.value;
    const choices = people.liaisonsOf(firm ? firm.county : undefined);
    liaison.replaceChildren(new Option(m('console.field.choose'), ''));
    for (const u of choices) {
      const label = people.liaisonLabel(u);
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
    for (const u of firm ? people.leadsOver(firm.county) : []) {
      leader.append(new Option(`${personLabel(u, u.username)} · ${placeLabel(u.jurisdiction, lang)}`, u.username));
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
      const none = firm && people.liaisonsOf(firm.county).length === 0;
      found.push({ control: liaison, text: m(none ? 'pairings.err.noLiaison' : 'pairings.err.liaison') });
    }
    const year = field('serviceYear');
    const y = Number(year.value);
    if (!Number.isInteger(y) || y < 2020 || y > 2100) found.push({ control: year, text: m('pairings.err.year') });
    const startsOn = field('startsOn');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startsOn.value))
      found.push({ control: startsOn, text: m('pairings.err.startsOn') });
    const mentor = field('mentorUscc');
    const mentorCode = normalizeUscc(mentor.value);
    if (mentorCode && !isValidUscc(mentorCode)) found.push({ control: mentor, text: m('pairings.err.mentor') });
    else if (mentorCode && mentorCode === code) found.push({ control: mentor, text: m('pairings.err.mentorSelf') });
    return found;
  };

  const shown = formProblems(form, partOf<HTMLElement>(host, '.error-summary'), m);

  // A marked control is unmarked as soon as it is changed; the whole form is checked again on sending.
  for (const control of form.querySelectorAll<HTMLElement>('select, input:not([name=uscc])')) {
    control.addEventListener(control.tagName === 'SELECT' ? 'change' : 'input', () => {
      if (control.getAttribute('aria-invalid') === 'true') setFieldError(control, undefined);
    });
  }

  /** The year and start date a new pairing starts from. */
  const defaults = () => {
    field('serviceYear').value = String(thisYear());
    field('startsOn').value = shanghaiDate(new Date());
  };

  onSubmit(form, partOf(form, 'button[type=submit]'), m('pairings.new.submitting'), async (busy) => {
    // The check may look the firm up first, so the button is busy for it too. Between the two `busy`
    // runs only microtasks pass: no click or repaint comes in between.
    if (!shown.passes(await busy(problems))) return;
    const value = (name: string) => field<HTMLInputElement | HTMLSelectElement>(name).value;
    const mentorCode = normalizeUscc(value('mentorUscc'));
    const input = {
      uscc: normalizeUscc(uscc.value),
      liaison: liaison.value,
      serviceYear: Number(value('serviceYear')),
      startsOn: value('startsOn'),
      ...(mentorCode ? { mentorUscc: mentorCode } : {}),
      ...(leader.value ? { contactLeader: leader.value } : {}),
      ...(value('checkupIntervalMonths') ? { checkupIntervalMonths: Number(value('checkupIntervalMonths')) } : {}),
    };
    const made = await busy(() => api('pairings.create', { json: input, token: c.token }));
    if (made.ok && made.body.pairing) {
      const { pairing } = made.body;
      const text = m('pairings.new.done', {
        firm: firm?.name ?? pairing.uscc,
        liaison: people.personOf(pairing.liaison),
        year: pairing.serviceYear,
      });
      form.reset();
      firm = undefined;
      lookedUp = '';
      firmLine.textContent = '';
      defaults();
      fillLiaisons();
      const detail: PairingMade = { pairingId: pairing.pairingId, text };
      host.dispatchEvent(new CustomEvent('pairing-made', { detail }));
      return;
    }
    showRefusal(m, form, shown, made, {
      fields: {
        uscc: 'pairings.err.uscc',
        liaison: 'pairings.err.liaison',
        serviceYear: 'pairings.err.year',
        startsOn: 'pairings.err.startsOn',
        mentorUscc: 'pairings.err.mentor',
        contactLeader: 'pairings.err.contactLeader',
        checkupIntervalMonths: 'pairings.err.cadence',
      },
      codes: {
        ALREADY_PAIRED: { control: uscc, text: m('pairings.err.ALREADY_PAIRED') },
        NOT_FOUND: { control: uscc, text: m('pairings.err.usccUnknown') },
      },
    });
  });

  defaults();
  return fillLiaisons;
};

if (!customElements.get('new-pairing')) customElements.define('new-pairing', NewPairing);

declare global {
  interface HTMLElementTagNameMap {
    'new-pairing': NewPairing;
  }
}
