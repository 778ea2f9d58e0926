import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema, type GraphQLFieldResolver } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray, type PubSub } from 'type-graphql';

/** Federation 2 directives the subgraphs may use. */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])`;

/**
 * type-graphql insists on a `pubSub` as soon as a schema has a subscription, even when every
 * subscription brings its own `subscribe` (ours read the subgraph's EventBus from the context, so
 * that events are the committed changes of the database). This one only says so when used.
 */
const NO_PUBSUB: PubSub = {
  publish() {
    throw new Error('Publish change events with publishEvent inside the writing transaction');
  },
  subscribe() {
    throw new Error('A subscription must name its own `subscribe` (context.events.subscribe(topic, key))');
  },
};

/** `__resolveReference` per entity type name; receives the representation and the request context. */
export type ReferenceResolvers = Record<string, { __resolveReference: GraphQLFieldResolver<unknown, unknown> | ((ref: never, ctx: never) => unknown) }>;

export interface FederatedSchemaOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  referenceResolvers?: ReferenceResolvers;
}

/**
 * Builds a Federation 2 subgraph schema from type-graphql resolvers: type-graphql prints the SDL
 * with its directives (@key …), @apollo/subgraph adds _service/_entities, and the reference
 * resolvers are merged into the type-graphql resolver map.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    validate: { forbidUnknownValues: false },
    pubSub: NO_PUBSUB,
    skipCheck: true,
  });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(options.referenceResolvers ?? {})) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  return buildSubgraphSchema({
    typeDefs: parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`),
    // type-graphql's map is structurally what @apollo/subgraph expects
    resolvers: resolvers as never,
  });
}

/** The SDL a subgraph publishes for composition (with its federation directives). */
export { printSubgraphSchema } from '@apollo/subgraph';
