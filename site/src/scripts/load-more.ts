/**
 * A list's "load more" button (the roster, a firm's timeline), which both pages wired the same way:
 * while the next page is read the button is disabled and says so; then `status` (a live region) says
 * how many came and `focus` gets the first new row, so a keyboard user carries on where the list grew.
 * `load` answers how many rows it added, or undefined when it failed (it shows its own problem then).
 */
export const wireLoadMore = (
  more: HTMLButtonElement,
  status: HTMLElement,
  list: HTMLElement,
  o: {
    loading: string;
    loaded: (added: number) => string;
    load: () => Promise<number | undefined>;
    focus: (firstNew: Element | undefined) => void;
  },
): void => {
  const label = more.textContent ?? '';
  more.addEventListener('click', async () => {
    const firstNew = list.children.length;
    more.disabled = true;
    more.textContent = o.loading;
    const added = await o.load();
    more.disabled = false;
    more.textContent = label;
    if (added === undefined) return;
    status.textContent = o.loaded(added);
    o.focus(list.children[firstNew]);
  });
};
