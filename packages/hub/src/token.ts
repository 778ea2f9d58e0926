import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, type UserRole } from '@hub/core';
import { loadOrCreateHubKeys, mintToken } from './hub-keys';

const USAGE = `Usage: npm run token -- --role <${ROLES.join('|')}> [--org <key>] [--program <id>]... [--facilitator <id>] [--sub <subject>] [--hours <n>]
       npm run keys            print the development keys, and fresh secrets, as environment variables (for docker-compose)

Tokens are signed by the development issuer whose keys are in .data/dev-keys.json (HUB_KEYS_FILE),
the same keys \`npm start\` uses.`;

/** `npm run token` and `npm run keys`: development tokens and keys for the embedded hub. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      org: { type: 'string' },
      program: { type: 'string', multiple: true },
      facilitator: { type: 'string' },
      sub: { type: 'string' },
      hours: { type: 'string' },
      keys: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const keys = await loadOrCreateHubKeys(process.env.HUB_KEYS_FILE ?? path.resolve(__dirname, '../../../.data/dev-keys.json'));
  if (values.keys) {
    const oneLine = (pem: string) => pem.trim().replace(/\n/g, '\\n');
    process.stdout.write(
      [
        `AUTH_ISSUER=${keys.issuer}`,
        `AUTH_AUDIENCE=${keys.audience}`,
        `AUTH_JWKS=${JSON.stringify(keys.jwks)}`,
        `HUB_GATEWAY_PRIVATE_KEY=${oneLine(keys.gateway.privateKey)}`,
        `HUB_GATEWAY_PUBLIC_KEY=${oneLine(keys.gateway.publicKey)}`,
        // fresh secrets each time: write them once into .env and keep them
        `FEEDBACK_PARTICIPATION_SECRET=${randomBytes(32).toString('base64url')}`,
        `DATABASE_APP_PASSWORD=${randomBytes(18).toString('base64url')}`,
      ].join('\n') + '\n',
    );
    return;
  }
  if (values.help || !values.role || !(ROLES as readonly string[]).includes(values.role)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const hours = Number(values.hours ?? 12);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error('--hours must be a positive number');
  const token = await mintToken(keys, {
    role: values.role as UserRole,
    org: values.org,
    programs: values.program,
    facilitator: values.facilitator,
    sub: values.sub,
    ttlSeconds: Math.round(hours * 3600),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
