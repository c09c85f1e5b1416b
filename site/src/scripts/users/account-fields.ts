/**
 * The fields of one staff account (StaffUserFields.astro) inside the new-account form and the edit
 * form, and what both do with them: only an admin is offered the admin role, the jurisdiction's
 * place named under its code as it is typed, and the checks the API makes on the fields both forms
 * have (the name, the mobile, the jurisdiction's code and a liaison's county). Where the account
 * may stand is each form's own rule (`scopeProblem`).
 */
import { MOBILE } from '../../../../shared/consultation-rules.ts';
import { JURISDICTION_CODE, levelOf, names } from '../../../../shared/jurisdictions.ts';
import type { Problem, TypedConsole } from '../console.ts';
import { fieldOf } from '../form-refusal.ts';
import { placeLabel } from '../pairings-common.ts';
import { partOf } from '../parts.ts';

export const accountFields = (form: HTMLFormElement, c: TypedConsole) => {
  const { m, lang } = c;
  const field = <T extends HTMLElement = HTMLInputElement>(name: string) => fieldOf<T>(form, name);
  const role = field<HTMLSelectElement>('role');
  const jurisdiction = field('jurisdiction');
  const placeName = partOf<HTMLElement>(form, '.firm-found');
  if (c.me.role !== 'admin') role.querySelector('option[value=admin]')?.remove();
  // The pickers offer the places of one's own subtree.
  for (const picker of form.querySelectorAll<HTMLElement>('jurisdiction-picker')) {
    picker.dataset.scope = c.me.jurisdiction.code;
  }

  const showPlace = () => {
    const code = jurisdiction.value.trim();
    placeName.textContent = JURISDICTION_CODE.test(code) && names[code] ? placeLabel(code, lang) : '';
  };
  jurisdiction.addEventListener('input', showPlace);

  /** The account's fields checked as the API checks them; `scopeProblem` says where it may not stand. */
  const problems = (scopeProblem: (code: string) => Problem | undefined): Problem[] => {
    const found: Problem[] = [];
    const displayName = field('displayName');
    const shown = displayName.value.trim();
    if (shown.length < 1 || shown.length > 60)
      found.push({ control: displayName, text: m('staffUsers.err.displayName') });
    const mobile = field('mobile');
    if (mobile.value.trim() !== '' && !MOBILE.test(mobile.value.trim()))
      found.push({ control: mobile, text: m('staffUsers.err.mobile') });
    const code = jurisdiction.value.trim();
    const outside = JURISDICTION_CODE.test(code) ? scopeProblem(code) : undefined;
    if (!JURISDICTION_CODE.test(code)) found.push({ control: jurisdiction, text: m('staffUsers.err.jurisdiction') });
    else if (outside) found.push(outside);
    else if (role.value === 'liaison' && levelOf(code) !== 'county')
      found.push({ control: jurisdiction, text: m('staffUsers.err.liaisonCounty') });
    return found;
  };

  /** The server's words on the fields both forms have: a 400's `jurisdiction` may be a liaison's county. */
  const refusedFields = (serverSaid: Record<string, string>) =>
    ({
      displayName: 'staffUsers.err.displayName',
      mobile: 'staffUsers.err.mobile',
      role: 'staffUsers.err.role',
      jurisdiction: /county/i.test(serverSaid.jurisdiction ?? '')
        ? 'staffUsers.err.liaisonCounty'
        : 'staffUsers.err.jurisdiction',
    }) as const;

  return { field, role, jurisdiction, showPlace, problems, refusedFields };
};
