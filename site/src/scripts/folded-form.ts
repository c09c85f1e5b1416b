/**
 * What a folded form (components/FoldedForm.astro) says once it has made something: a link to it in
 * the status line under the fold, the fold closed, and the focus on the link's line so a screen
 * reader hears it and a phone user sees it where the form was.
 */
import { partOf } from './parts.ts';

export const showMade = (root: HTMLElement, done: HTMLElement, href: string, text: string): void => {
  const link = document.createElement('a');
  link.href = href;
  link.textContent = text;
  done.replaceChildren(link);
  done.hidden = false;
  partOf<HTMLDetailsElement>(root, 'details.folded').open = false;
  done.focus();
};
