import { ORGANISATION_KEY, ownerOf, ROLES, unauthenticated, type UserRole } from '@hub/core';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { AuthConfig } from './config';

/** What a verified bearer token says about its holder (DESIGN.md "Access"). */
export interface Claims {
  role: UserRole;
  subject: string;
  organisation: string | null;
  facilitator: string | null;
  programs: string[];
}

const ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'RS256', 'PS256'];

const claimsSchema = z
  .object({
    sub: z.string().min(1).max(200),
    role: z.enum(ROLES),
    org: z.string().regex(ORGANISATION_KEY).optional(),
    facilitator: z.string().max(200).optional(),
    programs: z.array(z.string().max(200)).max(50).default([]),
  })
  .superRefine((c, ctx) => {
    const need = (ok: boolean, path: string, message: string) => ok || ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.role !== 'participant') need(!!c.org, 'org', `a ${c.role} token names its organisation`);
    if (c.role === 'facilitator') {
      need(!!c.facilitator && ownerOf(c.facilitator) === c.org, 'facilitator', "a facilitator token names the holder's facilitator record, owned by its organisation");
    }
  });

/** Verifies callers' bearer tokens: signature by the configured key set, issuer, audience, expiry. */
export class CallerTokens {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly config: AuthConfig) {
    if (config.jwks) this.keys = createLocalJWKSet(config.jwks);
    else if (config.jwksUrl) this.keys = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30000 });
    else throw new Error('AuthConfig needs jwks or jwksUrl');
  }

  /** The claims of an `Authorization: Bearer` header; UNAUTHENTICATED (HTTP 401) saying why when there are none. */
  async verify(authorization: string | undefined): Promise<Claims> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw unauthenticated('Sign in: send an Authorization: Bearer token');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(match[1], this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw unauthenticated(code === 'ERR_JWT_EXPIRED' ? 'The token has expired' : 'The token is not valid for this hub');
    }
    const parsed = claimsSchema.safeParse(payload);
    if (!parsed.success) {
      throw unauthenticated(`The token's claims are incomplete: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    const c = parsed.data;
    return { role: c.role, subject: c.sub, organisation: c.org ?? null, facilitator: c.facilitator ?? null, programs: c.programs };
  }
}
