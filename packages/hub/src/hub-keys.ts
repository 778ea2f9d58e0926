import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateGatewayKeyPair, type GatewayKeyPair, type UserRole } from '@hub/core';
import { exportJWK, SignJWT, type JSONWebKeySet } from 'jose';

/**
 * The keys of a hub that is its own token issuer (the embedded default and the tests): a signing
 * key for callers' tokens with its public key set, and the gateway's key pair for subgraph scopes.
 * A production deployment uses its identity provider's JWKS URL instead of the first part.
 */
export interface HubKeys {
  issuer: string;
  audience: string;
  /** PKCS8 PEM of the key that signs callers' tokens. */
  tokenSigningKey: string;
  /** The public half, as the gateway's AUTH_JWKS. */
  jwks: JSONWebKeySet;
  gateway: GatewayKeyPair;
}

export const DEV_ISSUER = 'urn:program-hub:development';
export const DEV_AUDIENCE = 'program-hub';
const KID = 'hub-dev-1';

export async function createHubKeys(): Promise<HubKeys> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'EdDSA', use: 'sig' };
  return {
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    tokenSigningKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    jwks: { keys: [jwk] },
    gateway: generateGatewayKeyPair(),
  };
}

/** The development keys kept in `file` (created, readable by the owner only, when missing). */
export async function loadOrCreateHubKeys(file: string): Promise<HubKeys> {
  if (existsSync(file)) {
    const keys = JSON.parse(readFileSync(file, 'utf8')) as HubKeys;
    // a damaged file should fail here, not on the first request
    createPrivateKey(keys.tokenSigningKey);
    createPublicKey(keys.gateway.publicKey);
    return keys;
  }
  const keys = await createHubKeys();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

export interface TokenRequest {
  role: UserRole;
  org?: string;
  programs?: string[];
  facilitator?: string;
  /** Default: the role and organisation, e.g. `partner-admin@uniting-vic`. */
  sub?: string;
  /** Default 12 hours. */
  ttlSeconds?: number;
}

/** A caller's token signed by the development issuer, as an identity provider would issue it. */
export async function mintToken(keys: HubKeys, request: TokenRequest): Promise<string> {
  const claims: Record<string, unknown> = { role: request.role };
  if (request.org) claims.org = request.org;
  if (request.programs?.length) claims.programs = request.programs;
  if (request.facilitator) claims.facilitator = request.facilitator;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: KID })
    .setIssuer(keys.issuer)
    .setAudience(keys.audience)
    .setSubject(request.sub ?? `${request.role}@${request.org ?? 'anonymous'}`)
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds ?? 12 * 3600}s`)
    .sign(createPrivateKey(keys.tokenSigningKey));
}
