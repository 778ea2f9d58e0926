/**
 * The pattern of a record ID of one kind, `<organisation>.<kind>_<ulid>` (see `newId` in core),
 * for validating IDs given in inputs.
 */
export function recordIdPattern(kind: string): RegExp {
  return new RegExp(`^[a-z][a-z0-9-]{1,31}\\.${kind}_[0-9A-HJKMNP-TV-Z]{26}$`);
}

/** Region IDs and program tier keys are slugs (see the partners subgraph). */
export const REGION_ID = /^[a-z][a-z0-9-]{1,63}$/;
export const TIER_KEY = /^[a-z][a-z0-9-]{0,31}$/;

/** Opaque pseudonymous references to people: no spaces, so a full name cannot be entered by mistake. */
export const PERSON_REF = /^[A-Za-z0-9._:~-]{1,100}$/;
export const PERSON_REF_MESSAGE = 'must be an opaque reference of 1 to 100 letters, digits or . _ : ~ - (never a name)';
