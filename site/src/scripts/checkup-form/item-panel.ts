/**
 * One item of the check-up form as a panel: where it stands, its text, the result choices, a note and
 * its photos (the uploader saves a photo with the answer once uploaded), and its button in the lists
 * to jump to. The form wires the panel's controls to its saving.
 */
import { ANSWERS, type Answer, type Category, type TemplateItem } from '../../../../shared/checkups-rules.ts';
import { type CheckupAnswer, MARKS } from '../checkup-common.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import { CHECKUP_UPLOAD_KEYS } from '../upload-keys.ts';
import type { Uploader } from '../uploads/deferred-uploader.ts';
import { evidenceField } from '../uploads/evidence-field.ts';

export interface Local {
  item: TemplateItem;
  index: number;
  result?: Answer;
  note: string;
  /** The item's photos: uploaded here (`done` until the answer holds them, then `saved`) or stored. */
  photos: Uploader;
  panel: HTMLElement;
  heading: HTMLElement;
  radios: Map<Answer, HTMLInputElement>;
  noteBox: HTMLTextAreaElement;
  needs: HTMLElement;
  jump: HTMLButtonElement;
  jumpState: HTMLElement;
  /** Says the item's answer (and its photos) wait on the device to be sent (checkup-form/outbox.ts). */
  waiting: HTMLElement;
}

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
  /** Saves the item's answer after `delay` ms (the form's queue). */
  schedule: (itemId: string, delay: number) => void;
}

export const itemPanel = ({ c, item, index, total, heading, maxBytes, schedule }: PanelContext): Local => {
  const { lang, m } = c;
  const itemId = item.itemId;
  const base = `item-${itemId}`;
  const panel = el('section', 'checkup-item card');
  panel.id = base;
  panel.dataset.itemId = itemId;
  panel.hidden = true;
  panel.setAttribute('aria-labelledby', `${base}-title`);
  const where = el('p', 'checkup-item-where', `${heading} · ${m('checkup.progress', { n: index + 1, total })}`);
  const h2 = el('h2', 'checkup-item-title');
  h2.id = `${base}-title`;
  h2.tabIndex = -1;
  h2.append(el('span', 'checkup-item-id', itemId), ' ', item.text[lang]);
  const meta = el(
    'p',
    'hint checkup-item-meta',
    m('checkup.item.meta', { weight: item.weight, severity: m(`ledger.severity.${item.failSeverity}`) }),
  );

  const results = el('fieldset', 'checkup-results');
  results.append(el('legend', undefined, m('checkup.result.legend')));
  const choices = el('div', 'checkup-choices');
  const radios = new Map<Answer, HTMLInputElement>();
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
    radios.set(answer, radio);
  }
  results.append(choices);
  const needs = el('p', 'hint checkup-needs', m('checkup.needsResult'));

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
  noteField.append(noteLabel, noteHint, noteBox);

  // A new photo is saved with the answer once uploaded; a removed one that was (or was about to be) goes.
  const { field: photoField, uploader: photos } = evidenceField({
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
      if (local.result) schedule(itemId, 0);
    },
    onRemoved: (photo) => {
      if ((photo.state === 'saved' || photo.state === 'done') && local.result) schedule(itemId, 0);
    },
    // Without signal the photo is kept on the device with the answer, and sent when the signal is back.
    onFailed: () => {
      if (local.result && !navigator.onLine) schedule(itemId, 0);
    },
  });
  const waiting = el('p', 'checkup-waiting');
  waiting.hidden = true;

  panel.append(where, h2, meta, results, needs, noteField, photoField, waiting);

  const jump = el('button', 'checkup-jump-item');
  jump.type = 'button';
  jump.dataset.itemId = itemId;
  const jumpState = el('span', 'checkup-jump-state');
  jump.append(el('span', 'checkup-jump-id', itemId), el('span', 'checkup-jump-text', item.text[lang]), jumpState);

  const local: Local = {
    item,
    index,
    note: '',
    photos,
    panel,
    heading: h2,
    radios,
    noteBox,
    needs,
    jump,
    jumpState,
    waiting,
  };
  return local;
};

/** The answer a panel holds, as saved: its photos uploaded (or saved) by their evidence ids. */
export const answerOf = (local: Local): CheckupAnswer & { evidenceIds: string[] } => {
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

/** The lists of all items to jump to, one per category in use, each item by its panel's button. */
export const fillJumpLists = (
  box: HTMLElement,
  categories: readonly Category[],
  headingOf: (category: Category) => string,
  ordered: readonly TemplateItem[],
  locals: Map<string, Local>,
) => {
  for (const cat of categories) {
    const list = el('ol', 'checkup-jump-list');
    for (const item of ordered.filter((i) => i.category === cat)) {
      const li = el('li');
      li.append((locals.get(item.itemId) as Local).jump);
      list.append(li);
    }
    box.append(el('h3', undefined, headingOf(cat)), list);
  }
};
