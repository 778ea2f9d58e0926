import { createHash } from 'node:crypto';

/** Bounds of a pairing code as the client sends it (`SubmitResponseInput.pairingCode`), in characters. */
export const PAIRING_CODE_MIN_LENGTH = 16;
export const PAIRING_CODE_MAX_LENGTH = 128;

/**
 * What is stored on an answer to a confidence pair's poll (`response.pair_code`): hex
 * SHA-256 of `<pairId>:<pairingCode>`, where `pairingCode` is the anonymous code the
 * participant's own device holds (generated once per participant and kept there, or made up by
 * the participant) and sends with both answers. No server secret and nothing of the answerer's
 * identity goes in, so nobody holding the server's secrets, the database and a list of subjects
 * can derive a person's value: only the device holding the code can. The same code gives the same
 * value on the pair's before and after poll (so the change can be measured) and different values
 * on different pairs (so answers cannot be linked across pairs). The code itself is never stored.
 */
export function pairCode(pairId: string, pairingCode: string): string {
  return createHash('sha256').update(`${pairId}:${pairingCode}`).digest('hex');
}
