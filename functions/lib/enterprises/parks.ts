import { isKnownJurisdiction } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import { type Park, type ParkList, type ParkListInput, parkNameKey } from '../../../shared/parks.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { batchGet, fromItem, getRecord, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';

/** A county's parks as stored, or the empty list at version 0. */
const emptyList = (county: string): ParkList => ({ county, version: 0, parks: [], updatedAt: null });

const listOf = (county: string, stored: ParkList | undefined): ParkList =>
  stored ? { county, version: stored.version, parks: stored.parks, updatedAt: stored.updatedAt } : emptyList(county);

/** A county's parks (consistent: a park added a moment ago can be given to a firm at once). */
export const readParks = async (county: string): Promise<ParkList> =>
  listOf(county, await getRecord<ParkList>(keys.parks(county), { consistent: true }));

/** Several counties' parks in one BatchGet (an import's rows), by county. */
export const readParksOf = async (counties: readonly string[]): Promise<Map<string, ParkList>> => {
  // Only codes the product knows: a hostile file's made-up codes cost no reads.
  const wanted = [...new Set(counties.filter(isKnownJurisdiction))];
  const items = await batchGet(
    wanted.map((c) => keys.parks(c)),
    { consistent: true },
  );
  const byCounty = new Map(items.map((i) => [String(i.county), fromItem<ParkList>(i)]));
  return new Map(wanted.map((c) => [c, listOf(c, byCounty.get(c))]));
};

/** Why a park may not be given to a firm of this county, or undefined when it is one of its live parks. */
export const parkProblem = (list: ParkList, park: string): string | undefined => {
  const found = list.parks.find((p) => p.id === park);
  if (!found) return 'Not a park of the firm’s county';
  if (found.retired) return 'This park is retired';
  return undefined;
};

/** A firm's park must be a live park of its county: else 400 naming `park`. */
export const requireLivePark = async (county: string, park: string): Promise<void> => {
  // The id names its county: a park of another county needs no read to refuse.
  const problem = park.startsWith(`${county}-`)
    ? parkProblem(await readParks(county), park)
    : 'Not a park of the firm’s county';
  if (problem) throw new ValidationError({ park: problem });
};

/** Whether the input asks for the list as stored: each park matched by id (a new one by its name), same name and state. */
const sameList = (stored: ParkList, input: ParkListInput): boolean =>
  stored.version > 0 &&
  stored.parks.length === input.parks.length &&
  input.parks.every((p, i) => {
    const s = stored.parks[i];
    return (
      s !== undefined &&
      (p.id === undefined || p.id === s.id) &&
      s.name === p.name.trim().replace(/\s+/g, ' ') &&
      Boolean(s.retired) === Boolean(p.retired)
    );
  });

/**
 * Saves a county's list at the version the editor saw (409 VERSION_CONFLICT otherwise). Parks are
 * renamed or retired, never removed (a firm or a report may name one); a park without an id is new
 * and gets the next number, never one used before (the stored `nextNumber`).
 */
export const saveParks = async (
  county: string,
  input: ParkListInput,
  identity: Identity,
  now: Date,
): Promise<ParkList> => {
  const stored = await getRecord<ParkList & { nextNumber?: number }>(keys.parks(county), { consistent: true });
  const before = listOf(county, stored);
  // A save of exactly the list stored changes nothing: a PUT retried after its answer was lost (its
  // new parks now have ids) answers the list as it is instead of a conflict, and writes nothing.
  if (sameList(before, input)) return before;
  if (before.version !== input.version)
    throw new ConflictError('VERSION_CONFLICT', 'The parks changed meanwhile; reload and try again');
  const kept = new Set(input.parks.flatMap((p) => (p.id ? [p.id] : [])));
  const dropped = before.parks.filter((p) => !kept.has(p.id)).map((p) => p.name);
  if (dropped.length > 0)
    throw new ValidationError({ parks: `Retire parks instead of removing them: ${dropped.join(', ')}` });
  const known = new Set(before.parks.map((p) => p.id));
  const unknown = [...kept].filter((id) => !known.has(id));
  if (unknown.length > 0) throw new ValidationError({ parks: `No such park in this county: ${unknown.join(', ')}` });
  let next = stored?.nextNumber ?? before.parks.length + 1;
  if (next + input.parks.filter((p) => !p.id).length > 999)
    throw new ValidationError({ parks: 'A county numbers at most 999 parks' });
  const parks: Park[] = input.parks.map((p) => ({
    id: p.id ?? `${county}-P${String(next++).padStart(3, '0')}`,
    name: p.name.trim().replace(/\s+/g, ' '),
    ...(p.retired ? { retired: true } : {}),
  }));
  // The schema checked names once already; this one guards the stored spelling after trimming.
  if (new Set(parks.map((p) => parkNameKey(p.name))).size !== parks.length)
    throw new ValidationError({ parks: 'Each park name once in a county' });
  const at = now.toISOString();
  const after: ParkList = { county, version: before.version + 1, parks, updatedAt: at };
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.parks(county), type: 'parks', ...after, nextNumber: next, updatedBy: identity.username },
        ConditionExpression: before.version === 0 ? 'attribute_not_exists(pk)' : 'version = :seen',
        ...(before.version === 0 ? {} : { ExpressionAttributeValues: { ':seen': before.version } }),
      },
    },
    auditPut(identity, { entity: `parks:${county}`, jurisdiction: county, action: 'parks.save', before, after }, at),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The parks changed meanwhile; reload and try again');
  return after;
};
