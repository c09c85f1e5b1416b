/**
 * A part of a custom element's own markup, which its component always renders: one missing is a bug
 * in the component, said at once with the element's name rather than later as "null has no property".
 */
export const partOf = <T extends HTMLElement>(root: HTMLElement, selector: string): T => {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`${root.localName}: ${selector} missing`);
  return found;
};
