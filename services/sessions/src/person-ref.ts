/** Opaque pseudonymous references to people: no spaces, so a full name cannot be entered by mistake. */
export const PERSON_REF = /^[A-Za-z0-9._:~-]{1,100}$/;
export const PERSON_REF_MESSAGE = 'must be an opaque reference of 1 to 100 letters, digits or . _ : ~ - (never a name)';
