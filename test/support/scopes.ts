import { generateGatewayKeyPair, SCOPE_HEADER, ScopeSigner, SYSTEM_SCOPE, type AccessScope, type Role } from '@hub/core';

/** This test process's gateway key pair: subgraph configs trust its public key, `scopeHeaders` signs with it. */
export const TEST_GATEWAY_KEYS = generateGatewayKeyPair();
const signer = new ScopeSigner(TEST_GATEWAY_KEYS.privateKey);

/** A scope as the gateway would work it out; unspecified parts are empty. */
export function scopeOf(role: Role, parts: Partial<Omit<AccessScope, 'role'>> = {}): AccessScope {
  const organisation = parts.organisation ?? null;
  return {
    role,
    subject: parts.subject ?? `${role}-test`,
    organisation,
    facilitator: parts.facilitator ?? null,
    programs: parts.programs ?? [],
    organisations: parts.organisations ?? (organisation ? [organisation] : []),
    shares: { contacts: [], sessions: [], engagements: [], ...parts.shares },
  };
}

/** A partner admin of `organisation` (who may also read `alsoReads`, e.g. its program's manager). */
export const partnerAdmin = (organisation: string, alsoReads: string[] = [], programs: string[] = []) =>
  scopeOf('partner-admin', { organisation, organisations: [organisation, ...alsoReads], programs });

export { SYSTEM_SCOPE };

/** Headers a subgraph request needs: the scope, signed as only the gateway could. */
export async function scopeHeaders(scope: AccessScope = SYSTEM_SCOPE): Promise<Record<string, string>> {
  return { [SCOPE_HEADER]: await signer.sign(scope) };
}
