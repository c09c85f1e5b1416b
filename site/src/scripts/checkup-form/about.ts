/** The check-up form's heading line: the firm (a link to its page), its county, when, and the inspectors. */
import { names } from '../../../../shared/jurisdictions.ts';
import type { Checkup } from '../checkup-common.ts';
import type { TypedConsole } from '../console.ts';
import { dateTime, el } from '../format.ts';

/** Shows what a check-up is about (`showAbout(k)`), and names the firm in the page's title. */
export const aboutLine = (c: TypedConsole, checkup: Checkup) => {
  const { lang, m, $ } = c;
  const about = $<HTMLElement>('#checkup-about');
  const title = document.title;
  const firmHref = `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(checkup.uscc)}`;
  $<HTMLAnchorElement>('#checkup-back').href = firmHref;
  const showAbout = (k: Checkup) => {
    const firm = el('a', 'checkup-about-firm', k.firmName);
    firm.href = firmHref;
    const when = el('time', undefined, dateTime(k.at, lang, true));
    when.dateTime = k.at;
    const sep = lang === 'zh' ? '、' : ', ';
    const colon = lang === 'zh' ? '：' : ': ';
    about.replaceChildren(
      firm,
      ` · ${names[k.county]?.[lang] ?? k.county} · `,
      when,
      ` · ${m('checkup.inspectors')}${colon}${k.inspectors.join(sep)}`,
    );
    document.title = `${k.firmName} · ${title}`;
  };
  return showAbout;
};
