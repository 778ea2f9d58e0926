import { generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { ROLES, type AccessScope } from './access';

/** The header that carries the gateway's signed scope to a subgraph. */
export const SCOPE_HEADER = 'x-hub-scope';
const ISSUER = 'hub-gateway';
const AUDIENCE = 'hub-subgraphs';
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

  constructor(privateKeyPem: string) {
    this.key = createPrivateKey(privateKeyPem);
  }

  /** A signed token for `scope`, reused while it has at least half its life left. */
  async sign(scope: AccessScope): Promise<string> {
    const key = JSON.stringify(scope);
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.token;
    const token = await new SignJWT({ scope })
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${SCOPE_TOKEN_SECONDS}s`)
      .sign(this.key);
    this.cache.set(key, { token, until: now + (SCOPE_TOKEN_SECONDS * 1000) / 2 });
    return token;
  }
}

/** A subgraph's side: accepts only scopes the gateway signed, and not after they expire. */
export class ScopeVerifier {
  private readonly key: KeyObject;
  private readonly cache = new LRUCache<string, { scope: AccessScope; expiresAt: number }>({ max: 5000 });

  constructor(publicKeyPem: string) {
    this.key = createPublicKey(publicKeyPem);
  }

  /** The verified scope, or null when the token is missing, forged, expired or malformed. */
  async verify(token: string | undefined): Promise<AccessScope | null> {
    if (!token) return null;
    const cached = this.cache.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.scope;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALGORITHM] });
      const parsed = scopeSchema.safeParse(payload.scope);
      if (!parsed.success || typeof payload.exp !== 'number') return null;
      const scope = parsed.data as AccessScope;
      this.cache.set(token, { scope, expiresAt: payload.exp * 1000 });
      return scope;
    } catch {
      return null;
    }
  }
}
