import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SubscriptionPlanner } from '@hub/gateway';
import { DEFAULT_SUPERGRAPH_PATH } from '@hub/gateway';
import { parse, validate } from 'graphql';

/** The README's example operations are valid against the public schema, so they stay true. */
describe('the README\'s example operations', () => {
  const readme = readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');
  const schema = new SubscriptionPlanner(readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8'), () => ({})).schema;
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  // an operation starts at the beginning of a line; comment lines (#) are skipped
  const operations = blocks.flatMap((block) =>
    block
      .split(/\n(?=(?:query|mutation|subscription|\{))/)
      .map((op) => op.split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n').trim())
      .filter(Boolean),
  );

  it('has examples', () => {
    expect(operations.length).toBeGreaterThan(8);
  });

  it.each(operations.map((op) => [op.split('\n')[0].slice(0, 60), op]))('%s', (_name, op) => {
    const errors = validate(schema, parse(op)).map((e) => e.message);
    expect(errors).toEqual([]);
  });
});
