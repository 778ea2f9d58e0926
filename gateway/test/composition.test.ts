import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph, SCHEMA_DIR } from '@hub/gateway';

describe('schema/', () => {
  it('holds exactly what a fresh composition of the four subgraphs produces (run `npm run compose` after a schema change)', async () => {
    const { files, hints } = await composeSupergraph();
    expect(Object.keys(files).sort()).toEqual(['facilitators.graphql', 'feedback.graphql', 'partners.graphql', 'sessions.graphql', 'supergraph.graphql']);
    for (const [name, text] of Object.entries(files)) {
      expect({ name, text: readFileSync(path.join(SCHEMA_DIR, name), 'utf8') }).toEqual({ name, text });
    }
    if (hints.length) process.stdout.write(`composition hints:\n${hints.join('\n')}\n`);
  });

  it('routes by configuration: the supergraph names the docker-compose hosts, not this machine', () => {
    const supergraph = readFileSync(path.join(SCHEMA_DIR, 'supergraph.graphql'), 'utf8');
    expect(supergraph).toMatch(/url: "http:\/\/sessions:4103\/graphql"/);
    expect(supergraph).not.toMatch(/127\.0\.0\.1|localhost/);
  });
});
