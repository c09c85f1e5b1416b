/**
 * `<checkup-submit>` (CheckupFormPage.astro): the form's last step, its button and what went wrong, and
 * the dialog where the check-up is confirmed and signed. What submitting does (submit.ts, with the
 * signature pad and the drawing's upload) is used once per check-up: the page hands it over with
 * `init` to load on first use (and loads it after opening, for the offline copy).
 */
export class CheckupSubmit extends HTMLElement {
  /** `step` loads what submitting does; `failed` is said when it cannot load (no signal, say). */
  init(step: () => Promise<() => Promise<void>>, failed: () => string): void {
    this.#button.addEventListener('click', () => {
      step().then(
        (submit) => submit(),
        () => this.#problem(failed()),
      );
    });
  }

  /** Brings the step into view ("next" on the last item). */
  reveal(): void {
    const heading = this.querySelector('h2') as HTMLElement;
    heading.scrollIntoView({ block: 'start' });
    heading.focus({ preventScroll: true });
  }

  /** No more submitting: the check-up was submitted elsewhere. */
  close(): void {
    this.#button.disabled = true;
  }

  get #button(): HTMLButtonElement {
    return this.querySelector('.checkup-submit-button') as HTMLButtonElement;
  }

  #problem(text: string): void {
    const problem = this.querySelector('.alert') as HTMLElement;
    problem.textContent = text;
    problem.hidden = false;
    problem.focus();
  }
}

if (!customElements.get('checkup-submit')) customElements.define('checkup-submit', CheckupSubmit);
