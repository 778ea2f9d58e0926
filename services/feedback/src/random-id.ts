import { randomBytes } from 'node:crypto';
import { ORGANISATION_KEY } from '@hub/core';

/** Crockford's base32, the alphabet of ULIDs (and of `recordIdPattern` in @hub/core). */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 26 random Crockford base32 characters (130 random bits): shaped like a ULID but with no time in it. */
export function randomIdBody(): string {
  const bytes = randomBytes(26);
  let body = '';
  for (const b of bytes) body += CROCKFORD[b & 31];
  return body;
}

/**
 * `<organisationKey>.<kind>_<26 random characters>`: a record ID of the usual shape (it matches
 * `recordIdPattern(kind)`, and `ownerOf` reads the owner back) whose body, unlike `newId`'s ULID,
 * carries no creation time and does not sort by it. For records that must not be put in order of
 * creation, such as anonymous answers.
 */
export function randomRecordId(organisationKey: string, kind: string): string {
  if (!ORGANISATION_KEY.test(organisationKey)) throw new Error(`invalid organisation key ${organisationKey}`);
  return `${organisationKey}.${kind}_${randomIdBody()}`;
}
