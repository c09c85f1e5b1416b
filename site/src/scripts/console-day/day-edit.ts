/**
 * `<day-edit>` (DayEdit.astro): a day's edit form. The page hands it its context (`init`) and the day
 * as last read (`show`); the element fills its fields, sends only what changed with the day's version
 * (`PATCH …/{dayId}`), marks problems on its own fields, and tells the page the outcome by events:
 * `day-saved` (detail: the day as saved), `day-unchanged` (nothing to send), `day-conflict` (the
 * version was stale: someone changed the day meanwhile).
 */
import type { StaffDay as Day } from '../../../../shared/consultation-views.ts';
import { api, errorCodeOf, fieldsOf } from '../../kit/api.ts';
import { lazy, warmOn } from '../../kit/lazy.ts';
import { failureText } from '../../kit/messages.ts';
import {
  type Busy,
  type FormProblems,
  formProblems,
  isoToLocal,
  localToIso,
  onSubmit,
  type Problem,
  splitTopics,
  type TypedConsole,
} from '../console.ts';
import { dayProblemFor, slotIso, slotMessageKey } from '../day-fields.ts';
import { el, timeRange } from '../format.ts';
import { partOf } from '../parts.ts';

// The API's own schema and rules (zod, 9 KB gzip) load when the user turns to the form.
const rules = lazy(() => import('../../../../shared/consultation.ts'));

export class DayEdit extends HTMLElement {
  #c: TypedConsole | undefined;
  #dayId = '';
  #day: Day | undefined;
  #problems: FormProblems | undefined;

  #field<T extends HTMLElement>(id: string): T {
    return partOf<T>(this, `#${id}`);
  }

  #capacityInputs(): HTMLInputElement[] {
    return [...this.querySelectorAll<HTMLInputElement>('#edit-capacities input[data-slot-id]')];
  }

  /** The console's context and the day's id; wires the form once. */
  init(c: TypedConsole, dayId: string) {
    this.#c = c;
    this.#dayId = dayId;
    const form = this.#field<HTMLFormElement>('edit-day-form');
    this.#problems = formProblems(form, this.#field('edit-errors'), c.m);
    warmOn(form, rules);
    onSubmit(form, partOf<HTMLButtonElement>(form, 'button[type=submit]'), c.m('console.edit.saving'), (busy) =>
      this.#save(busy),
    );
  }

  /** Fills the form from the day as it is now; a cancelled day has nothing to edit. */
  show(day: Day) {
    this.#day = day;
    this.#problems?.clear();
    const value = (id: string, text: string) => {
      this.#field<HTMLInputElement>(id).value = text;
    };
    value('edit-venue', day.venue ?? '');
    value('edit-online-url', day.onlineUrl ?? '');
    value('edit-topics', day.topics.join('\n'));
    value('edit-closes', isoToLocal(day.bookingClosesAt));
    for (const id of ['add-start', 'add-end', 'add-capacity']) value(id, '');
    this.#field('edit-capacities').replaceChildren(...day.slots.map((slot) => this.#capacityRow(slot)));
    this.hidden = day.status === 'cancelled';
  }

  #capacityRow(slot: Day['slots'][number]): HTMLElement {
    const row = el('div', 'cap-row field');
    const label = el('label', undefined, timeRange(slot.startsAt, slot.endsAt));
    const input = el('input');
    Object.assign(input, { type: 'number', inputMode: 'numeric', min: '1', step: '1', name: 'capacity' });
    input.max = this.dataset.max ?? '500';
    input.id = `cap-${slot.slotId}`;
    input.dataset.slotId = slot.slotId;
    input.value = String(slot.capacity);
    label.htmlFor = input.id;
    row.append(label, input);
    return row;
  }

  /** What the form changes of `day`, with its version: only the version when nothing changed. */
  #patchOf(day: Day): Record<string, unknown> {
    const text = (id: string) => this.#field<HTMLInputElement>(id).value;
    const patch: Record<string, unknown> = { version: day.version };
    const venue = text('edit-venue').trim();
    if (venue !== (day.venue ?? '')) patch.venue = venue;
    const url = text('edit-online-url').trim();
    if (url !== (day.onlineUrl ?? '')) patch.onlineUrl = url;
    const topics = splitTopics(text('edit-topics'));
    if (topics.join('\n') !== day.topics.join('\n')) patch.topics = topics;
    if (text('edit-closes') !== isoToLocal(day.bookingClosesAt))
      patch.bookingClosesAt = localToIso(text('edit-closes'));
    const caps: Record<string, number> = {};
    for (const input of this.#capacityInputs()) {
      const slot = day.slots.find((s) => s.slotId === input.dataset.slotId);
      const value = input.value === '' ? Number.NaN : Number(input.value);
      if (slot && value !== slot.capacity) caps[slot.slotId] = value;
    }
    if (Object.keys(caps).length > 0) patch.capacities = caps;
    const [start, end, capacity] = [text('add-start'), text('add-end'), text('add-capacity')];
    if (start || end || capacity) {
      patch.addSlots = [
        {
          startsAt: slotIso(day.date, start),
          endsAt: slotIso(day.date, end),
          capacity: capacity === '' ? Number.NaN : Number(capacity),
        },
      ];
    }
    return patch;
  }

  /** The problem of an answer's or a rule's field key, on the control it is about. */
  #problemFor(m: TypedConsole['m'], key: string, text?: string): Problem {
    const [head, second, third] = key.split('.');
    const inputs = this.#capacityInputs();
    if (head === 'capacities') {
      const input = inputs.find((i) => i.dataset.slotId === second) ?? inputs[0];
      const n = inputs.indexOf(input as HTMLInputElement) + 1 || 1;
      return { control: input, text: m('console.err.capacity', { n }) };
    }
    if (head === 'addSlots' || head === 'slots') {
      const field = third ?? 'startsAt';
      const id = field === 'capacity' ? 'add-capacity' : field === 'endsAt' ? 'add-end' : 'add-start';
      const n = (this.#day?.slots.length ?? 0) + 1;
      return { control: this.#field(id), text: m(slotMessageKey(field, text), { n }) };
    }
    const controls = {
      venue: this.#field<HTMLInputElement>('edit-venue'),
      onlineUrl: this.#field<HTMLInputElement>('edit-online-url'),
      topics: this.#field<HTMLTextAreaElement>('edit-topics'),
      bookingClosesAt: this.#field<HTMLInputElement>('edit-closes'),
    };
    return dayProblemFor(m, controls, key, text);
  }

  /** The edit's problems by the API's own rules; none while they have not loaded (the API answers 400 alike). */
  #check(m: TypedConsole['m'], day: Day, patch: Record<string, unknown>): Map<string, Problem> {
    const found = new Map<string, Problem>();
    if (!rules.now) return found;
    const { dayPatch, slotProblems } = rules.now;
    const result = dayPatch.safeParse(patch);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.map(String);
        const key = path[0] === 'addSlots' || path[0] === 'capacities' ? path.slice(0, 3).join('.') : (path[0] ?? '');
        if (!found.has(key)) found.set(key, this.#problemFor(m, key, issue.message));
      }
    } else if (result.data.addSlots?.length) {
      const all = [
        ...day.slots.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt, capacity: s.capacity })),
        ...result.data.addSlots,
      ];
      for (const [key, text] of Object.entries(slotProblems(day.date, all))) {
        const index = Number(key.split('.')[1]);
        const field = key.split('.')[2] ?? 'startsAt';
        const k = index >= day.slots.length ? `addSlots.0.${field}` : 'addSlots.0.startsAt';
        if (!found.has(k)) found.set(k, this.#problemFor(m, k, text));
      }
    }
    return found;
  }

  #tell(type: 'day-saved' | 'day-unchanged' | 'day-conflict', day?: Day) {
    this.dispatchEvent(new CustomEvent(type, { detail: day, bubbles: true }));
  }

  async #save(busy: Busy) {
    const c = this.#c;
    const day = this.#day;
    const problems = this.#problems;
    if (!c || !day || !problems) return;
    const { m, token } = c;
    const patch = this.#patchOf(day);
    if (Object.keys(patch).length === 1) {
      problems.clear();
      return this.#tell('day-unchanged');
    }
    await busy(() => rules().catch(() => undefined));
    if (!problems.passes(this.#check(m, day, patch).values())) return;
    const params = { dayId: this.#dayId };
    const result = await busy(() => api('days.update', { params, method: 'PATCH', json: patch, token }));
    if (result.ok) return this.#tell('day-saved', result.body.day);
    const { status, body } = result;
    const error = errorCodeOf(body);
    if (error === 'VERSION_CONFLICT') return this.#tell('day-conflict');
    const found = new Map<string, Problem>();
    if (error === 'CAPACITY_BELOW_BOOKED') {
      // The seats lowered below what is booked already, each on its own field.
      for (const slotId of Object.keys((patch.capacities as Record<string, number> | undefined) ?? {})) {
        const input = this.#capacityInputs().find((i) => i.dataset.slotId === slotId);
        const slot = day.slots.find((s) => s.slotId === slotId);
        if (input && slot && Number(input.value) < slot.capacity)
          found.set(slotId, { control: input, text: m('console.err.capacityBelow') });
      }
      if (found.size === 0) found.set('', { text: m('console.err.capacityBelow') });
      return problems.show(found.values());
    }
    if (status === 400 || error === 'VALIDATION_FAILED') {
      for (const [key, text] of Object.entries(fieldsOf(body)))
        found.set(key, this.#problemFor(m, key, typeof text === 'string' ? text : undefined));
      if (found.size === 0) found.set('', { text: m('error.VALIDATION_FAILED') });
      return problems.show(found.values());
    }
    problems.fail(failureText(m, status, body));
  }
}

if (!customElements.get('day-edit')) customElements.define('day-edit', DayEdit);
