/**
 * `<firm-picker data-for="<USCC input id>">` (FirmPicker.astro): the firms in the caller's scope whose
 * name holds what was typed (or whose code starts with it), as the field's suggestions; choosing one
 * puts its USCC in the field. The server decides what is in scope (`GET /api/staff/enterprises?q=`,
 * bounded), the element only asks and lists.
 */
import { isValidUscc, normalizeUscc } from '../../../../shared/uscc.ts';
import { api } from '../../kit/api.ts';
import { freshToken } from '../../kit/renew.ts';
import { type Suggestion, searchAsTyped } from './search-as-typed.ts';

const SHOWN = 10;
/** Requests one search may make to fill its list (each reads a bounded part of the roster). */
const MAX_ASKS = 4;

const searchFirms = async (q: string): Promise<Suggestion[] | undefined> => {
  const token = await freshToken();
  if (!token) return undefined;
  // The server reads a bounded part of the roster per request and answers where it stopped: the
  // picker goes on from there (a few requests at most) until it has a full list or the roster ends.
  const firms: { uscc: string; name: string }[] = [];
  let cursor: string | undefined;
  for (let asks = 0; asks < MAX_ASKS && firms.length < SHOWN; asks++) {
    const query = { q, limit: String(SHOWN - firms.length), ...(cursor ? { cursor } : {}) };
    const result = await api('enterprises.list', { query, token });
    if (!result.ok) return undefined;
    firms.push(...result.body.enterprises);
    cursor = result.body.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return firms.map((firm) => ({ value: firm.uscc, label: firm.name }));
};

class FirmPicker extends HTMLElement {
  connectedCallback() {
    // A whole code needs no search; one or no character would match half the roster.
    searchAsTyped(this, (q) => q.length >= 2 && !isValidUscc(normalizeUscc(q)), searchFirms);
  }
}

if (!customElements.get('firm-picker')) customElements.define('firm-picker', FirmPicker);
