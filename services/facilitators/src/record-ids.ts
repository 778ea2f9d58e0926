import { badField, isRecordId } from '@hub/core';

const KIND_NAMES: Record<string, string> = {
  fac: 'facilitator',
  trc: 'training course',
  trr: 'training record',
  mem: 'community membership',
  com: 'community',
  prg: 'program',
};

/** Refuses a string that is not an ID of the given kind (BAD_USER_INPUT on `field`), before any lookup. */
export function checkRecordId(id: string, kind: string, field: string): void {
  if (!isRecordId(id, kind)) throw badField(field, `is not a ${KIND_NAMES[kind] ?? kind} id`);
}
