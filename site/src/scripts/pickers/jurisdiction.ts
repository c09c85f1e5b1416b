/**
 * `<jurisdiction-picker data-for="<input id>" data-lang>` (JurisdictionPicker.astro): the places the
 * product knows (shared/jurisdictions.ts, no request) as the code field's suggestions, by name and
 * code. Choosing one puts its code in the field; a name typed and left without choosing becomes its
 * code when it fits one place only, on leaving the field or sending its form (an `input` event says
 * so to the page). The page narrows the
 * places to the caller's subtree with `data-scope` once it knows it.
 */
import { contains, JURISDICTION_CODE, names } from '../../../../shared/jurisdictions.ts';

class JurisdictionPicker extends HTMLElement {
  static observedAttributes = ['data-scope'];

  #input(): HTMLInputElement | null {
    return document.getElementById(this.dataset.for ?? '') as HTMLInputElement | null;
  }

  /** The places offered: inside the scope when the page gave one, by code. */
  #places(): [string, { zh: string; en: string }][] {
    const scope = this.dataset.scope;
    return Object.entries(names)
      .filter(([code]) => !scope || contains(scope, code))
      .sort(([a], [b]) => a.localeCompare(b));
  }

  #fill() {
    const list = this.querySelector('datalist');
    if (!list) return;
    const lang = this.dataset.lang === 'en' ? 'en' : 'zh';
    list.replaceChildren(...this.#places().map(([code, name]) => new Option(`${name[lang]} ${code}`, code)));
  }

  connectedCallback() {
    const input = this.#input();
    const list = this.querySelector('datalist');
    if (!input || !list) return;
    input.setAttribute('list', list.id);
    this.#fill();
    const resolve = () => {
      const typed = input.value.trim().toLowerCase();
      if (!typed || JURISDICTION_CODE.test(typed)) return;
      const fits = this.#places().filter(([, name]) =>
        [name.zh, name.en].some((text) => text.toLowerCase().includes(typed)),
      );
      const [only] = fits;
      if (fits.length !== 1 || !only) return;
      input.value = only[0];
      input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    input.addEventListener('change', resolve);
    // Enter right after typing sends the form: the name becomes its code before the page checks it.
    input.form?.addEventListener('submit', resolve, { capture: true });
  }

  attributeChangedCallback() {
    this.#fill();
  }
}

if (!customElements.get('jurisdiction-picker')) customElements.define('jurisdiction-picker', JurisdictionPicker);

/** The picker for a code field a script makes (the page's markup has none): placed after the field. */
export const addJurisdictionPicker = (input: HTMLInputElement, lang: 'zh' | 'en'): void => {
  const picker = document.createElement('jurisdiction-picker');
  picker.dataset.for = input.id;
  picker.dataset.lang = lang;
  const list = document.createElement('datalist');
  list.id = `${input.id}-places`;
  picker.append(list);
  input.after(picker);
};
