/**
 * A statistics page's view (its unit, its month or range) lives in the URL, so drilling in, back and
 * forward all work: the first view, read from the URL and normalised, replaces the entry; each view
 * chosen pushes one; back or forward loads the entry's view again. `load` draws a view and focuses
 * its heading when told (not on the first, where the person has not moved yet).
 */
export const viewInUrl = <V>(
  read: () => V,
  urlOf: (view: V) => string,
  load: (view: V, focus: boolean) => Promise<void>,
) => {
  window.addEventListener('popstate', () => void load(read(), true));
  const start = read();
  history.replaceState(null, '', urlOf(start));
  return {
    first: load(start, false),
    go: (view: V) => {
      history.pushState(null, '', urlOf(view));
      void load(view, true);
    },
  };
};
