/**
 * The booking form's error summary: a title, a text, a link per wrong field (focusing it), other
 * problems as plain lines, and the waitlist / change / find offers it may carry. It takes focus.
 */
import { $, el } from '../format.ts';
import type { Field } from './fields.ts';

/**
 * The summary's controls (`#booking-errors…`, `#waitlist-offer`); `summaryLinks` holds its line of each
 * field, so that fixing a field can take its line away; `control` is a field's input.
 */
export const errorSummary = (summaryLinks: Map<Field, HTMLElement>, control: (field: Field) => HTMLInputElement) => {
  const summary = $<HTMLElement>('#booking-errors');
  const summaryTitle = $<HTMLElement>('#booking-errors-title');
  const summaryText = $<HTMLElement>('#booking-errors-text');
  const summaryList = $<HTMLUListElement>('#booking-errors-list');
  const offer = $<HTMLElement>('#waitlist-offer');
  const joinWaitlist = $<HTMLButtonElement>('#join-waitlist');
  const findLink = $<HTMLElement>('#booking-errors-find');
  const hideSummary = () => {
    summary.hidden = true;
    summaryList.replaceChildren();
    summaryLinks.clear();
  };

  const showSummary = (
    title: string,
    options: {
      text?: string;
      fields?: Map<Field, string>;
      other?: string[];
      waitlist?: boolean;
      change?: boolean;
      find?: boolean;
    },
  ) => {
    summaryTitle.textContent = title;
    summaryText.textContent = options.text ?? '';
    summaryText.hidden = !options.text;
    summaryList.replaceChildren();
    summaryLinks.clear();
    for (const [field, text] of options.fields ?? []) {
      const link = el('a', undefined, text);
      link.href = `#${field}`;
      link.addEventListener('click', (event) => {
        event.preventDefault();
        control(field).focus();
        control(field).closest('.field')?.scrollIntoView({ block: 'center' });
      });
      const item = el('li');
      item.append(link);
      summaryList.append(item);
      summaryLinks.set(field, item);
    }
    for (const text of options.other ?? []) summaryList.append(el('li', undefined, text));
    summaryList.hidden = summaryList.childElementCount === 0;
    joinWaitlist.hidden = !options.waitlist;
    offer.hidden = !options.waitlist && !options.change;
    findLink.hidden = !options.find;
    summary.hidden = false;
    summary.focus();
  };

  return { hideSummary, showSummary };
};
