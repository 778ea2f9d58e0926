import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, generateGatewayKeyPair } from '@hub/core';
import { parsePartnerNodeConfig } from '@hub/node';

/** The partner node's config as docker-compose.yml gives it: the example file plus the environment. */
describe("a partner node's config", () => {
  const example = JSON.parse(readFileSync(path.resolve(__dirname, '../packages/node/partner-node.example.json'), 'utf8'));
  const hubKey = generateGatewayKeyPair().publicKey;

  it("takes the hub's key, the listening address and the database server from the environment, as docker-compose sets them", () => {
    const escaped = hubKey.replace(/\n/g, '\\n'); // as .env files carry a PEM on one line
    const config = parsePartnerNodeConfig(example, { HUB_GATEWAY_PUBLIC_KEY: escaped, HOST: '0.0.0.0', DATABASE_URL: 'postgres://node:node@partner-node-postgres:5432/postgres' });
    expect(config.organisation).toBe('riverbend');
    expect(config.trustedHubKeys).toEqual([hubKey]);
    expect(config.host).toBe('0.0.0.0');
    expect(config.ports).toEqual({ facilitators: 4201, sessions: 4202, feedback: 4203 });
    expect(config.databaseUrls.sessions).toBe('postgres://node:node@partner-node-postgres:5432/node_riverbend_sessions');
    expect(config.sharing).toEqual({ contacts: false, sessions: true, engagements: false });
  });

  it("keeps the file's keys and host over the environment's, without listing a key twice", () => {
    const other = generateGatewayKeyPair().publicKey;
    const config = parsePartnerNodeConfig({ ...example, host: '10.0.0.5', trustedHubKeys: [other, hubKey] }, { HUB_GATEWAY_PUBLIC_KEY: hubKey, HOST: '0.0.0.0', DATABASE_URL: 'postgres://x@db/postgres' });
    expect(config.trustedHubKeys).toEqual([other, hubKey]);
    expect(config.host).toBe('10.0.0.5');
  });

  it('follows the agreement kept at the hub with setSharingAgreement when its sharing is "hub", and refuses anything else', () => {
    const env = { HUB_GATEWAY_PUBLIC_KEY: hubKey, DATABASE_URL: 'postgres://x@db/postgres' };
    expect(parsePartnerNodeConfig({ ...example, sharing: 'hub' }, env).sharing).toEqual({ contacts: true, sessions: true, engagements: true });
    expect(parsePartnerNodeConfig({ organisation: 'riverbend' }, env).sharing).toEqual({ contacts: false, sessions: false, engagements: false });
    expect(() => parsePartnerNodeConfig({ ...example, sharing: 'everything' }, env)).toThrow(/sharing/);
  });

  it('names every problem: no hub key anywhere, a bad organisation key, no database', () => {
    expect(() => parsePartnerNodeConfig(example, { DATABASE_URL: 'postgres://x@db/postgres' })).toThrow(/trustedHubKeys: must list at least one hub key/);
    expect(() => parsePartnerNodeConfig({ ...example, organisation: 'River Bend' }, { HUB_GATEWAY_PUBLIC_KEY: hubKey })).toThrow(/organisation: must be an organisation key/);
    expect(() => parsePartnerNodeConfig(example, { HUB_GATEWAY_PUBLIC_KEY: hubKey })).toThrow(ConfigError);
    expect(() => parsePartnerNodeConfig(example, { HUB_GATEWAY_PUBLIC_KEY: hubKey })).toThrow(/set databaseUrl/);
  });

  it('is what the partner-node service of docker-compose.yml runs, on a database server of its own', () => {
    const compose = readFileSync(path.resolve(__dirname, '../docker-compose.yml'), 'utf8');
    const service = compose.slice(compose.indexOf('\n  partner-node:'), compose.indexOf('\nvolumes:'));
    expect(service).toContain('command: ["node", "packages/node/dist/main.js"]');
    expect(service).toContain('PARTNER_NODE_CONFIG: /config/partner-node.json');
    expect(service).toContain('DATABASE_URL: postgres://node:node@partner-node-postgres:5432/postgres');
    expect(service).toContain('HUB_GATEWAY_PUBLIC_KEY: ${HUB_GATEWAY_PUBLIC_KEY');
    expect(compose).toMatch(/\n {2}partner-node-postgres:\n {4}image: postgres/);
  });
});
