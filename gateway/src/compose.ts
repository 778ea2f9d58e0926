import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { buildFederatedSchema, DEFAULT_PORTS, printSubgraphSchema, type SubgraphDefinition, type SubgraphName } from '@hub/core';
import { facilitatorsDefinition } from '@hub/facilitators';
import { feedbackDefinition } from '@hub/feedback';
import { partnersDefinition } from '@hub/partners';
import { sessionsDefinition } from '@hub/sessions';
import { parse } from 'graphql';

export const SCHEMA_DIR = path.resolve(__dirname, '../../schema');

const DEFINITIONS: SubgraphDefinition<unknown>[] = [
  partnersDefinition as SubgraphDefinition<unknown>,
  facilitatorsDefinition as SubgraphDefinition<unknown>,
  sessionsDefinition as SubgraphDefinition<unknown>,
  feedbackDefinition as SubgraphDefinition<unknown>,
];

export interface Composition {
  /** File name in schema/ → contents. */
  files: Record<string, string>;
  hints: string[];
}

/**
 * Composes the supergraph from the subgraphs' printed SDL. The routing URLs written into it are
 * the docker-compose service names; the gateway replaces them with its configured URLs.
 */
export async function composeSupergraph(): Promise<Composition> {
  const subgraphs = await Promise.all(
    DEFINITIONS.map(async (d) => ({
      name: d.name as SubgraphName,
      url: `http://${d.name}:${DEFAULT_PORTS[d.name]}/graphql`,
      sdl: printSubgraphSchema(await buildFederatedSchema(d)),
    })),
  );
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
  }
  const files: Record<string, string> = {};
  for (const s of subgraphs) files[`${s.name}.graphql`] = `${s.sdl.trimEnd()}\n`;
  files['supergraph.graphql'] = `${result.supergraphSdl.trimEnd()}\n`;
  return { files, hints: result.hints.map((h) => `${h.definition.code}: ${h.message}`) };
}

/** `node compose.js` writes schema/; `--check` fails when the files there are stale. */
async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const { files, hints } = await composeSupergraph();
  for (const hint of hints) process.stdout.write(`composition hint: ${hint}\n`);
  const stale = Object.entries(files).filter(([name, text]) => {
    const file = path.join(SCHEMA_DIR, name);
    return !existsSync(file) || readFileSync(file, 'utf8') !== text;
  });
  if (check) {
    if (stale.length) {
      process.stderr.write(`schema/ is stale: ${stale.map(([n]) => n).join(', ')} differ from a fresh composition. Run \`npm run compose\` and commit the result.\n`);
      return 1;
    }
    process.stdout.write(`schema/ matches a fresh composition (${Object.keys(files).length} files, ${hints.length} hints)\n`);
    return 0;
  }
  for (const [name, text] of stale) writeFileSync(path.join(SCHEMA_DIR, name), text);
  process.stdout.write(`wrote ${stale.length} of ${Object.keys(files).length} files in schema/ (${hints.length} hints)\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
}
