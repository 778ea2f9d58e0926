import { createHash, generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { ROLES, type AccessScope } from './access';
import { heldElsewhereSchema, type HeldElsewhere } from './held-elsewhere';

/** The header that carries the gateway's signed scope to a subgraph. */
export const SCOPE_HEADER = 'x-hub-scope';
const ISSUER = 'hub-gateway';
/** The audience of scopes for the hub's own subgraphs. */
export const HUB_AUDIENCE = 'hub-subgraphs';

/**
 * The audience of scopes for one organisation's partner node: a scope signed for one node is
 * refused by every other node and by the hub's own subgraphs, so a captured header cannot be
 * replayed elsewhere.
 */
export function nodeAudience(organisation: string): string {
  return `hub-node:${organisation}`;
}

/**
 * A short, stable name of a public key (SHA-256 of its DER form, base64url): what a partner node
 * prints for the keys it trusts and what the registry records, so both sides can see they agree.
 */
export function keyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('base64url')}`;
}
const ALGORITHM = 'EdDSA';

/** How long a signed scope is good for: long enough to reuse, short enough that a stolen one soon dies. */
export const SCOPE_TOKEN_SECONDS = 60;

const ids = z.array(z.string().max(200)).max(10000);
const scopeSchema = z.object({
  role: z.enum([...ROLES, 'system']),
  subject: z.string().min(1).max(200),
  organisation: z.string().max(200).nullable(),
  facilitator: z.string().max(200).nullable(),
  programs: ids,
  organisations: ids,
  shares: z.object({ contacts: ids, sessions: ids, engagements: ids }),
});

/** An Ed25519 key pair in PEM: the gateway signs scopes with the private key, subgraphs verify with the public one. */
export interface GatewayKeyPair {
  privateKey: string;
  publicKey: string;
}

export function generateGatewayKeyPair(): GatewayKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The gateway's side: signs a scope for subgraphs. Only the holder of the private key can. */
export class ScopeSigner {
  private readonly key: KeyObject;
  private readonly cache = new LRUCache<string, { token: string; until: number }>({ max: 5000 });
  /** The fingerprint of the public half: a partner node that trusts this gateway lists it. */
  readonly fingerprint: string;

  constructor(privateKeyPem: string) {
    this.key = createPrivateKey(privateKeyPem);
    this.fingerprint = keyFingerprint(createPublicKey(this.key).export({ type: 'spki', format: 'pem' }).toString());
  }

  /** A signed token of any other claim the gateway vouches for, for `audience`, reused as a scope's is. */
  signClaim(name: string, value: unknown, audience: string = HUB_AUDIENCE): Promise<string> {
    return this.signed(name, value, audience);
  }

  /** A signed token for `scope` for `audience` (the hub's subgraphs unless a node's), reused while it has at least half its life left. */
  sign(scope: AccessScope, audience: string = HUB_AUDIENCE): Promise<string> {
    return this.signed('scope', scope, audience);
  }

  private async signed(name: string, value: unknown, audience: string): Promise<string> {
    const key = JSON.stringify([audience, name, value]);
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.token;
    const token = await new SignJWT({ [name]: value })
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${SCOPE_TOKEN_SECONDS}s`)
      .sign(this.key);
    // a large claim (a program's plans) is not worth keeping: it is seldom asked for again as it is
    if (key.length <= MAX_CACHED_CLAIM) this.cache.set(key, { token, until: now + (SCOPE_TOKEN_SECONDS * 1000) / 2 });
    return token;
  }
}

const MAX_CACHED_CLAIM = 8192;

/**
 * The gateway's side of records held elsewhere (held-elsewhere.ts): signed like a scope, for one
 * request at one deployment, and carried in the request body's `extensions` (ELSEWHERE_EXTENSION),
 * which a header could not hold once a program's plans are in it.
 */
export async function signHeldElsewhere(signer: ScopeSigner, records: HeldElsewhere, audience: string = HUB_AUDIENCE): Promise<string> {
  return signer.signClaim('elsewhere', records, audience);
}

/**
 * A subgraph's side: accepts only scopes the gateway signed for its audience, and not after they
 * expire. Several keys may be trusted at once (a partner node during a key rotation); removing a
 * key from the list revokes it.
 */
export class ScopeVerifier {
  private readonly keys: KeyObject[];
  private readonly cache = new LRUCache<string, { scope: AccessScope; expiresAt: number }>({ max: 5000 });

  constructor(
    publicKeyPems: string | readonly string[],
    private readonly audience: string = HUB_AUDIENCE,
  ) {
    this.keys = (typeof publicKeyPems === 'string' ? [publicKeyPems] : publicKeyPems).map((pem) => createPublicKey(pem));
  }

  /** Records held elsewhere the gateway vouched for (signHeldElsewhere), or null when the token is missing, forged, expired or malformed. */
  async verifyHeldElsewhere(token: unknown): Promise<HeldElsewhere | null> {
    if (typeof token !== 'string' || !token) return null;
    for (const key of this.keys) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: this.audience, algorithms: [ALGORITHM] });
        const parsed = heldElsewhereSchema.safeParse(payload.elsewhere);
        return parsed.success ? parsed.data : null;
      } catch {
        // not this key: try the next trusted key
      }
    }
    return null;
  }

  /** The verified scope, or null when the token is missing, forged, expired or malformed. */
  async verify(token: string | undefined): Promise<AccessScope | null> {
    if (!token) return null;
    const cached = this.cache.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.scope;
    for (const key of this.keys) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: this.audience, algorithms: [ALGORITHM] });
        const parsed = scopeSchema.safeParse(payload.scope);
        if (!parsed.success || typeof payload.exp !== 'number') return null;
        const scope = parsed.data as AccessScope;
        this.cache.set(token, { scope, expiresAt: payload.exp * 1000 });
        return scope;
      } catch {
        // not this key (or forged, expired, for another audience): try the next trusted key
      }
    }
    return null;
  }
}
