import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';

/**
 * IDs of organisation-owned records are `<organisationKey>.<kind>_<ulid>`, so the owner of any
 * record is known from its ID alone (DESIGN.md "Data ownership"): the gateway can later route an
 * entity fetch to the organisation's own deployment without a lookup.
 * Organisation IDs are the organisation key itself. Each part is spelled once, so the patterns
 * below cannot drift apart.
 */
const KEY = '[a-z][a-z0-9-]{1,31}';
const ULID = '[0-9A-HJKMNP-TV-Z]{26}';
export const ORGANISATION_KEY = new RegExp(`^${KEY}$`);
const RECORD_ID = new RegExp(`^(${KEY})\\.([a-z]{2,4})_(${ULID})$`);

/** Region IDs (e.g. `au-qld-central`) and program tier keys are slugs the partners subgraph defines. */
export const REGION_ID = /^[a-z][a-z0-9-]{1,63}$/;
export const TIER_KEY = /^[a-z][a-z0-9-]{0,31}$/;

export function newId(organisationKey: string, kind: string): string {
  if (!ORGANISATION_KEY.test(organisationKey)) throw new Error(`invalid organisation key ${organisationKey}`);
  return `${organisationKey}.${kind}_${ulid()}`;
}

/** The organisation that owns a record, or null when the string is not a record ID. */
export function ownerOf(id: string): string | null {
  const m = RECORD_ID.exec(id);
  return m ? m[1] : null;
}

/** True when `id` is a well-formed record ID of the given kind. */
export function isRecordId(id: string, kind: string): boolean {
  const m = RECORD_ID.exec(id);
  return m !== null && m[2] === kind;
}

/** The pattern of a record ID of one kind, for class-validator's `@Matches` on inputs. */
export function recordIdPattern(kind: string): RegExp {
  return new RegExp(`^${KEY}\\.${kind}_${ULID}$`);
}

/** Crockford's base32, the alphabet of ULIDs and of record IDs. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A record ID of the usual shape (`ownerOf` reads the owner back) whose body is 26 random
 * characters instead of a ULID: it carries no creation time and does not sort by it. For records
 * that must not be put in order of creation, such as anonymous answers.
 */
export function newUntimedId(organisationKey: string, kind: string): string {
  if (!ORGANISATION_KEY.test(organisationKey)) throw new Error(`invalid organisation key ${organisationKey}`);
  let body = '';
  for (const b of randomBytes(26)) body += CROCKFORD[b & 31];
  return `${organisationKey}.${kind}_${body}`;
}
