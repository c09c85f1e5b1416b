/**
 * One item of the check-up form as an element (`<checkup-item>`): where it stands, its text, the result
 * choices, a note and its photos (the uploader saves a photo with the answer once uploaded), and its
 * button in the lists to jump to (checkup-form/stepper.ts places it). It keeps its own answer and paints
 * it; it tells the form when the answer changed (`answer-change`, with how long to wait before saving),
 * when the note was left (`note-left`: a save now) and when its jump button was pressed (`jump`).
 */
import { ANSWERS, type Answer, type TemplateItem } from '../../../../shared/checkups-rules.ts';
import { type CheckupAnswer, MARKS } from '../checkup-common.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import { CHECKUP_UPLOAD_KEYS } from '../upload-keys.ts';
import type { Uploader } from '../uploads/deferred-uploader.ts';
import { evidenceField } from '../uploads/evidence-field.ts';

const IMAGE_TYPES: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/heic': 'heic' };
const MAX_PHOTOS = 10;

export interface PanelContext {
  c: TypedConsole;
  item: TemplateItem;
  index: number;
  /** How many items the form has. */
  total: number;
  /** The heading of the item's category. */
  heading: string;
  maxBytes: number;
}

/** What `answer-change` tells: save the item's answer after `delay` ms. */
export type AnswerChange = CustomEvent<{ delay: number }>;

export class CheckupItem extends HTMLElement {
  item!: TemplateItem;
  index = 0;
  result?: Answer;
  note = '';
  /** The item's photos: uploaded here (`done` until the answer holds them, then `saved`) or stored. */
  photos!: Uploader;
  heading!: HTMLElement;
  radios = new Map<Answer, HTMLInputElement>();
  noteBox!: HTMLTextAreaElement;
  /** The button in the lists to jump to, and the answer it shows. */
  jump!: HTMLButtonElement;
  /** Says the item's answer (and its photos) wait on the device to be sent (checkup-form/outbox.ts). */
  waiting!: HTMLElement;
  /** Set once the check-up takes no more changes (submitted elsewhere): a choice is not taken then. */
  locked = false;
  #m: TypedConsole['m'] | undefined;
  #needs!: HTMLElement;
  #jumpState!: HTMLElement;

  /** Builds the item's parts (an element made by script gets them after it is created). */
  build({ c, item, index, total, heading, maxBytes }: PanelContext): this {
    const { lang, m } = c;
    this.#m = m;
    this.item = item;
    this.index = index;
    const itemId = item.itemId;
    const base = `item-${itemId}`;
    this.className = 'checkup-item card';
    this.id = base;
    this.dataset.itemId = itemId;
    this.hidden = true;
    this.setAttribute('role', 'region');
    this.setAttribute('aria-labelledby', `${base}-title`);
    const where = el('p', 'checkup-item-where', `${heading} · ${m('checkup.progress', { n: index + 1, total })}`);
    const h2 = el('h2', 'checkup-item-title');
    h2.id = `${base}-title`;
    h2.tabIndex = -1;
    h2.append(el('span', 'checkup-item-id', itemId), ' ', item.text[lang]);
    this.heading = h2;
    const meta = el(
      'p',
      'hint checkup-item-meta',
      m('checkup.item.meta', { weight: item.weight, severity: m(`ledger.severity.${item.failSeverity}`) }),
    );
    this.#needs = el('p', 'hint checkup-needs', m('checkup.needsResult'));
    this.waiting = el('p', 'checkup-waiting');
    this.waiting.hidden = true;
    this.append(where, h2, meta, this.#choices(c), this.#needs, this.#noteField(c), this.#photoField(c, maxBytes));
    this.append(this.waiting);

    this.jump = el('button', 'checkup-jump-item');
    this.jump.type = 'button';
    this.jump.dataset.itemId = itemId;
    this.#jumpState = el('span', 'checkup-jump-state');
    this.jump.append(
      el('span', 'checkup-jump-id', itemId),
      el('span', 'checkup-jump-text', item.text[lang]),
      this.#jumpState,
    );
    this.jump.addEventListener('click', () => this.dispatchEvent(new CustomEvent('jump', { bubbles: true })));
    return this;
  }

  /** Shows the answer held: the choice, "needs a result", and the state in the jump lists. */
  paint(): void {
    const m = this.#m;
    if (!m) return;
    for (const [answer, radio] of this.radios) radio.checked = this.result === answer;
    this.#needs.hidden = Boolean(this.result);
    this.#jumpState.textContent = m(this.result ? `checkup.result.${this.result}` : 'checkup.result.none');
    this.jump.dataset.result = this.result ?? 'none';
  }

  #changed(delay: number): void {
    this.dispatchEvent(new CustomEvent('answer-change', { bubbles: true, detail: { delay } }));
  }

  #choices({ m }: TypedConsole): HTMLFieldSetElement {
    const itemId = this.item.itemId;
    const results = el('fieldset', 'checkup-results');
    results.append(el('legend', undefined, m('checkup.result.legend')));
    const choices = el('div', 'checkup-choices');
    for (const answer of ANSWERS) {
      const wrap = el('span', 'checkup-choice-wrap');
      const radio = el('input', 'checkup-radio');
      radio.type = 'radio';
      radio.name = `result-${itemId}`;
      radio.id = `result-${itemId}-${answer}`;
      radio.value = answer;
      const label = el('label', 'checkup-choice');
      label.htmlFor = radio.id;
      label.dataset.result = answer;
      const mark = el('span', 'checkup-choice-mark', MARKS[answer]);
      mark.setAttribute('aria-hidden', 'true');
      label.append(mark, el('span', undefined, m(`checkup.result.${answer}`)));
      wrap.append(radio, label);
      choices.append(wrap);
      this.radios.set(answer, radio);
      radio.addEventListener('change', () => {
        if (!radio.checked || this.locked) return;
        this.result = answer;
        this.paint();
        this.#changed(200);
      });
    }
    results.append(choices);
    return results;
  }

  #noteField({ m }: TypedConsole): HTMLElement {
    const itemId = this.item.itemId;
    const noteField = el('div', 'field checkup-note');
    const noteLabel = el('label', undefined, m('checkup.note'));
    noteLabel.htmlFor = `note-${itemId}`;
    const noteHint = el('p', 'hint', m('checkup.noteHint'));
    noteHint.id = `note-${itemId}-hint`;
    const noteBox = el('textarea');
    noteBox.id = `note-${itemId}`;
    noteBox.name = `note-${itemId}`;
    noteBox.rows = 3;
    noteBox.maxLength = 1000;
    noteBox.setAttribute('aria-describedby', noteHint.id);
    noteBox.addEventListener('input', () => {
      this.note = noteBox.value;
      if (this.result) this.#changed(1200);
    });
    noteBox.addEventListener('blur', () => this.dispatchEvent(new CustomEvent('note-left', { bubbles: true })));
    noteField.append(noteLabel, noteHint, noteBox);
    this.noteBox = noteBox;
    return noteField;
  }

  /** A new photo is saved with the answer once uploaded; a removed one that was (or was about to be) goes. */
  #photoField(c: TypedConsole, maxBytes: number): HTMLFieldSetElement {
    const { m } = c;
    const itemId = this.item.itemId;
    const { field, uploader } = evidenceField({
      c,
      legend: m('checkup.photos'),
      hint: m('checkup.photosHint'),
      cameraLabel: m('checkup.takePhoto'),
      filesLabel: m('checkup.choosePhoto'),
      accept: 'image/*',
      ids: {
        hint: `photos-${itemId}-hint`,
        error: `photos-${itemId}-error`,
        camera: `camera-${itemId}`,
        files: `photos-${itemId}`,
      },
      fieldClass: 'checkup-photos',
      listClass: 'checkup-photo-list',
      itemClass: 'checkup-photo',
      showSize: false,
      types: IMAGE_TYPES,
      maxBytes,
      maxFiles: MAX_PHOTOS,
      keys: CHECKUP_UPLOAD_KEYS,
      idPrefix: `upload-${itemId}`,
      onUploaded: () => {
        if (this.result) this.#changed(0);
      },
      onRemoved: (photo) => {
        if ((photo.state === 'saved' || photo.state === 'done') && this.result) this.#changed(0);
      },
      // Without signal the photo is kept on the device with the answer, and sent when the signal is back.
      onFailed: () => {
        if (this.result && !navigator.onLine) this.#changed(0);
      },
    });
    this.photos = uploader;
    return field;
  }
}

if (!customElements.get('checkup-item')) customElements.define('checkup-item', CheckupItem);

/** Makes the element of one item. */
export const itemPanel = (context: PanelContext): CheckupItem =>
  (document.createElement('checkup-item') as CheckupItem).build(context);

/** The answer a panel holds, as saved: its photos uploaded (or saved) by their evidence ids. */
export const answerOf = (local: CheckupItem): CheckupAnswer & { evidenceIds: string[] } => {
  const note = local.note.trim();
  return {
    result: local.result as Answer,
    ...(note ? { note } : {}),
    evidenceIds: local.photos
      .all()
      .filter((p) => p.evidenceId && (p.state === 'done' || p.state === 'saved'))
      .map((p) => p.evidenceId as string),
  };
};
