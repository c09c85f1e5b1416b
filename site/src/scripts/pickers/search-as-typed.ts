/**
 * What the name pickers that ask the server share (firms: `<firm-picker>`, staff: `<staff-picker>`):
 * a search once the typing pauses, only the latest search's answer shown, its matches as the field's
 * suggestions (a `<datalist>`: the phone's and the desktop's own picker, read by screen readers) and
 * their count said in a status line. Choosing a suggestion puts its value (a code) in the field.
 */

/** Asked after the typing pauses this long, so a name typed quickly is one request. */
const PAUSE_MS = 250;

export interface Suggestion {
  value: string;
  label: string;
}

/**
 * Wires the picker `host` (holding the datalist and the `[role=status]` line with its
 * `data-count-template`) to the input it names in `data-for`. `wanted` says whether a text is worth
 * a search; `search` answers the suggestions, or undefined when it could not (the list stays).
 */
export const searchAsTyped = (
  host: HTMLElement,
  wanted: (text: string) => boolean,
  search: (text: string) => Promise<Suggestion[] | undefined>,
): void => {
  const input = document.getElementById(host.dataset.for ?? '') as HTMLInputElement | null;
  const list = host.querySelector('datalist');
  const status = host.querySelector<HTMLElement>('[role=status]');
  if (!input || !list || !status) return;
  input.setAttribute('list', list.id);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = '';
  const run = async (text: string) => {
    asked = text;
    const found = await search(text);
    // A later search was asked meanwhile: its answer is the one to show.
    if (asked !== text || !found) return;
    list.replaceChildren(
      ...found.map(({ value, label }) => {
        const option = new Option(label, value);
        option.label = label;
        return option;
      }),
    );
    status.textContent = (status.dataset.countTemplate ?? '').replace('{n}', String(found.length));
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (wanted(text)) timer = setTimeout(() => void run(text), PAUSE_MS);
  });
};
