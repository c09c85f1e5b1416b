/**
 * Makes the language switch keep this page's query (`?id=…`, filters). A module of its own: the pages
 * that need only this (the check-up form and report) would otherwise load all of pairings-common.ts.
 */
export const keepQueryOnLangSwitch = () => {
  const link = document.querySelector<HTMLAnchorElement>('[data-lang-switch]');
  if (!link) return;
  const base = link.getAttribute('href')?.split('?')[0] ?? '';
  link.setAttribute('href', `${base}${location.search}`);
};
