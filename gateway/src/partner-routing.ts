import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  ELSEWHERE_EXTENSION, HELD_ELSEWHERE, HUB_AUDIENCE, NODE_SUBGRAPH_NAMES, nodeAudience, ownerOf, signHeldElsewhere,
  type HeldElsewhere, type NodeSubgraphName, type PlanFacts, type ScopeSigner,
} from '@hub/core';
import { Kind, parse, print, type DefinitionNode, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import CircuitBreaker from 'opossum';
import type { GatewayContext } from './gateway-context';
import { lacksNodeRecords, mergeNationalLists, withMergeKeys } from './national-lists';
import { ENTITY_MERGE, entityFields, mergedFields, mergedFieldsOnly, mergeEntities, needsMergeFields, rootAsEntity, withMergeFields, type RootAsEntity } from './entity-merge';
import type { NodeRegistry, NodeRoute } from './node-registry';
import { gatheredFieldsInLists, gatherQuery, listedCommunities, withListedCommunityIds } from './nested-gathers';
import { organisationsNamed, recordActedOn } from './organisations-named';
import { factsQuery, mergeFacts, wantedRecords } from './held-facts';
import type { PrimaryFetch } from './subscription-plans';
import type { UpstreamPlace } from './upstream-subscriptions';
import { answered, NodeDataSource, reasonOf, type GatewayGraphQLResponse } from './node-data-source';
import { REFERENCES, missingRecords, recordQuery, withReferenceIds } from './held-elsewhere';

type Options = GraphQLDataSourceProcessOptions<GatewayContext>;
/** A fetch of a client's operation (not a health check or schema load). */
type Incoming = Extract<Options, { incomingRequestContext: unknown }>;
type Representation = { __typename?: string; id?: unknown };

const operations = (document: DocumentNode) => document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
const isMutation = (part: Incoming) => operations(part.document ?? parse(part.request.query ?? '')).some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation');
const rootFieldCount = (document: DocumentNode) => operations(document).reduce((n, d) => n + (d.kind === Kind.OPERATION_DEFINITION ? d.selectionSet.selections.length : 0), 0);

/** The answer of a fetch whose records held elsewhere could not be read: nothing done, the deployments named. */
function notRead(response: GatewayGraphQLResponse, places: string[], serviceName: string): GatewayGraphQLResponse {
  const errors = places.map((place) => ({
    message: `Records this refers to are held by ${place === HUB ? 'the hub' : `${place}'s partner node`}, which did not answer: nothing was done`,
    extensions: place === HUB ? { code: 'SUBGRAPH_UNAVAILABLE', serviceName } : { code: 'PARTNER_NODE_UNAVAILABLE', organisation: place, serviceName },
  }));
  return { data: response.data ?? null, errors: [...(response.errors ?? []).filter((e) => e.extensions?.code !== HELD_ELSEWHERE), ...errors] };
}

/** An answer with requests for records held elsewhere left unanswered, told to the client as such. */
function withoutHeldElsewhere(response: GatewayGraphQLResponse, repeatable: boolean, serviceName: string): GatewayGraphQLResponse {
  if (!response.errors?.some((e) => e.extensions?.code === HELD_ELSEWHERE)) return response;
  const errors = response.errors.map((e) =>
    e.extensions?.code !== HELD_ELSEWHERE
      ? e
      : repeatable
        ? { ...e, message: 'Records this refers to, held by another deployment, could not be gathered: nothing was done', extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName } }
        : { ...e, message: 'This mutation refers to records another deployment holds: send it as the only field of its operation', extensions: { code: 'BAD_REQUEST' } },
  );
  return { ...response, errors };
}

/** A query of the gateway's own (not the client's) sent in the course of `part`: the caller's context, no extensions of the client's fetch. */
function asking(part: Incoming, query: string, variables: Record<string, unknown>, operationName?: string): Incoming {
  return { ...part, document: parse(query), request: { ...part.request, query, variables, operationName, http: undefined, extensions: undefined } };
}

/** Entity types some of whose fields are gathered from every deployment (ENTITY_MERGE); a Program's always are (`programs`). */
const GATHERED = Object.keys(ENTITY_MERGE).filter((t) => t !== 'Program');

/** The part of an `_entities` fetch the hub's own subgraph answers. */
const HUB = '';

/**
 * The organisation whose deployment holds an entity: an Organisation is keyed by its own key,
 * every other record's ID starts with its owner's. A Program's fields gather every partner of the
 * program: they are asked of every deployment (`programs`), not of one owner.
 */
export function owningOrganisation(rep: Representation): string | null {
  if (typeof rep.id !== 'string' || rep.__typename === 'Program') return null;
  return rep.__typename === 'Organisation' ? rep.id : ownerOf(rep.id);
}

/**
 * Where an upstream subscription goes: to the node hosting the one organisation its arguments
 * name (e.g. `sessionChanged(id)` of a node-hosted session); when they name none (e.g.
 * `liveSessions(programId)`), to the hub's subgraph and every node in the caller's reach, whose
 * events the gateway passes on together; otherwise to the hub's subgraph. Where an organisation
 * may move at any moment (it has an active node), the place it would move to is subscribed too, on
 * standby (upstream-subscriptions.ts), so the switch misses nothing.
 */
export function subscriptionTargets(registry: NodeRegistry, fetch: PrimaryFetch, scope: GatewayContext['scope']): UpstreamPlace[] {
  if (!(NODE_SUBGRAPH_NAMES as readonly string[]).includes(fetch.serviceName)) return [{}];
  const subgraph = fetch.serviceName as NodeSubgraphName;
  const at = (route: NodeRoute, standby = false): UpstreamPlace => ({
    target: { url: route.endpoints[subgraph].wsUrl, audience: nodeAudience(route.organisation), organisation: route.organisation },
    standby,
  });
  const named = [...organisationsNamed(parse(fetch.operation), fetch.variables)];
  if (named.length === 1) {
    const hosting = registry.nodeOf(named[0]);
    const standby = registry.standbyOf(named[0]);
    if (hosting) return [at(hosting), { standby: true }];
    return standby ? [{}, at(standby, true)] : [{}];
  }
  if (named.length > 1) return [{}];
  return [{}, ...registry.inReach(scope).map((o) => at(registry.nodeOf(o) as NodeRoute)), ...registry.standbyInReach(scope).map((o) => at(registry.standbyOf(o) as NodeRoute, true))];
}

interface NodeTarget {
  source: NodeDataSource;
  breaker: CircuitBreaker<[Options], GatewayGraphQLResponse>;
}

/**
 * One of the partner-ownable subgraphs (facilitators, sessions, feedback) with every partner node
 * behind it (docs/partner-nodes.md "Routing").
 * - An `_entities` fetch is split by owning organisation: each part goes to the organisation's
 *   node or to the hub's own subgraph, all at once, and the answers are put back in the order asked.
 * - A root fetch (query or mutation) whose arguments name records of one node-hosted organisation
 *   goes to that node; one that names a node-hosted organisation and others is refused.
 * - A national root list (national-lists.ts: `sessions`, `communities`, `polls`) is asked of the
 *   hub and every node in the caller's reach at once and merged into one page (cursors valid on
 *   every deployment, totals added).
 * - Program entities' counts, per-organisation rows, lists (`communities`, `forumItems`) and rows
 *   to fold (`retention`, `attendanceTrend`, `forumSummary`) are asked of the hub and every node
 *   in reach and merged (entity-merge.ts, program-folds.ts); so are the members of a hub-hosted
 *   organisation's community (a national community of practice), which include node-hosted
 *   partners' facilitators.
 * - Other national answers (other root fields naming no organisation, other Program fields) lack
 *   node-hosted organisations' records until their fan-out exists: the answer says so with a
 *   PARTNER_NODE_UNAVAILABLE error per such organisation in the caller's reach.
 * A node that fails, takes longer than its time budget, refuses the hub or no longer trusts its
 * key gives null for its part and one PARTNER_NODE_UNAVAILABLE error naming the organisation; the
 * rest of the answer stands. After repeated failures a node's breaker opens and the node is
 * skipped at once until it is tried again.
 */
export class PartnerRoutingDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly nodes = new Map<string, NodeTarget>();

  constructor(
    private readonly name: NodeSubgraphName,
    private readonly hub: GraphQLDataSource<GatewayContext>,
    private readonly registry: NodeRegistry,
    private readonly signer: ScopeSigner,
  ) {}

  async process(options: Options): Promise<GatewayGraphQLResponse> {
    if (!('incomingRequestContext' in options) || !this.registry.hasNodes) return this.hub.process(options);
    // lists of communities whose forum items are asked: each community's gathered from every deployment
    const listed = this.name === 'sessions' && options.request.query?.includes('forumItems') ? withListedCommunityIds(options.document ?? parse(options.request.query)) : null;
    if (listed) return this.gatheredInLists({ ...options, document: listed, request: { ...options.request, query: print(listed) } });
    return this.dispatch(options);
  }

  private dispatch(options: Incoming): Promise<GatewayGraphQLResponse> {
    const representations = options.request.variables?.representations as Representation[] | undefined;
    return Array.isArray(representations) ? this.entities(options, representations) : this.root(options);
  }

  /**
   * A fetch listing communities whose gathered fields it asks (nested-gathers.ts): answered as
   * usual, then those fields of every listed community asked as the community's entity fetch,
   * grouped by the deployment holding it, which gathers them from every deployment in reach.
   */
  private async gatheredInLists(options: Incoming): Promise<GatewayGraphQLResponse> {
    const document = options.document as DocumentNode;
    const response = await this.dispatch(options);
    const communities = listedCommunities(response.data);
    const fields = gatheredFieldsInLists(document);
    if (!communities.length || !fields.length) return response;
    const query = gatherQuery(document, fields);
    const errors: GraphQLFormattedError[] = [];
    const gathered = new Map<string, Record<string, unknown> | null>();
    await Promise.all(
      [...this.byPlace([...new Set(communities.map((c) => c.id))], (id) => id)].map(async ([place, ids]) => {
        const representations = ids.map((id) => ({ __typename: 'Community', id }));
        const got = await this.partAt(place, asking(options, query, { ...options.request.variables, representations }, 'HubGathered'), representations);
        const entities = ((got.data as { _entities?: (Record<string, unknown> | null)[] } | null)?._entities ?? []) as (Record<string, unknown> | null)[];
        ids.forEach((id, i) => gathered.set(id, entities[i] ?? null));
        for (const { path: _path, ...error } of got.errors ?? []) errors.push(error);
      }),
    );
    for (const { holder, id } of communities) {
      const entity = gathered.get(id);
      for (const f of fields) {
        const key = f.alias?.value ?? f.name.value;
        if (entity && key in holder) holder[key] = entity[key] ?? null;
      }
    }
    return errors.length ? { ...response, errors: [...(response.errors ?? []), ...errors] } : response;
  }

  private async root(options: Incoming): Promise<GatewayGraphQLResponse> {
    const document = options.document ?? parse(options.request.query ?? '');
    const entity = rootAsEntity(document, options.request.variables ?? {});
    if (entity) return this.rootEntity(options, entity);
    const named = organisationsNamed(document, options.request.variables);
    const onNodes = [...named].filter((o) => this.registry.nodeOf(o));
    const mutation = document.definitions.some((d: DefinitionNode) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation');
    if (onNodes.length === 0) {
      if (named.size || mutation) return this.at(HUB, options, null);
      const reach = this.inReach(options.context);
      const merging = reach.length ? withMergeKeys(document, this.name) : null;
      const response = merging ? await this.fanOut(options, merging, reach) : await this.at(HUB, options, null);
      return lacksNodeRecords(document, this.name) ? this.withNotIncluded(response, options.context, undefined) : response;
    }
    if (named.size === 1) return this.at(onNodes[0], options, null);
    // a mutation changing one organisation's record and referring to others' goes where that record is
    const acted = mutation && rootFieldCount(document) === 1 ? recordActedOn(document, options.request.variables) : null;
    if (acted && named.has(ownerOf(acted) ?? '')) return this.at(this.placeOf(acted), options, null);
    return {
      data: null,
      errors: [
        {
          message: `This operation names records of ${[...named].sort().join(', ')}; ${onNodes.sort().join(', ')} keep theirs on their own partner node, and one operation across a node-hosted organisation and others is not supported unless it is a mutation naming the record it changes (itemId, id or facilitatorId)`,
          extensions: { code: 'PARTNER_NODE_UNAVAILABLE', organisation: onNodes[0], serviceName: this.name },
        },
      ],
    };
  }

  /** A root query reading one entity whose fields gather from every deployment (a forum's items), answered as that entity's fetch. */
  private async rootEntity(options: Incoming, entity: RootAsEntity): Promise<GatewayGraphQLResponse> {
    const query = print(entity.document);
    const part: Incoming = { ...options, document: entity.document, request: { ...options.request, query, variables: entity.variables, http: undefined } };
    const response = await this.partAt(this.placeOf(entity.id), part, [{ __typename: entity.typename, id: entity.id }]);
    const [value] = ((response.data as { _entities?: unknown[] } | null)?._entities ?? [null]) as unknown[];
    const errors = response.errors?.map((e) => (e.path?.[0] === '_entities' ? { ...e, path: [entity.key, ...e.path.slice(2)] } : e));
    return { data: { [entity.key]: value ?? null }, ...(errors?.length ? { errors } : {}) };
  }

  /** Node-hosted organisations whose records the caller may read. */
  private inReach({ scope }: GatewayContext): string[] {
    return this.registry.inReach(scope);
  }

  /** A national root fetch asked of the hub and every node in reach at once, its lists merged into one page. */
  private async fanOut(options: Incoming, merging: DocumentNode, reach: string[]): Promise<GatewayGraphQLResponse> {
    const query = print(merging);
    const ask = (): Incoming => ({ ...options, document: merging, request: { ...options.request, query, http: undefined } });
    const [hub, ...nodes] = await Promise.all([this.at(HUB, ask(), null), ...reach.map((o) => this.at(o, ask(), null))]);
    const parts = [hub, ...nodes];
    const data = mergeNationalLists(merging, this.name, options.request.variables ?? {}, parts.map((p) => p.data as Record<string, unknown> | null | undefined));
    const errors = parts.flatMap((p) => p.errors ?? []);
    return { data, ...(errors.length ? { errors } : {}) };
  }

  /** The answer with an error for each node-hosted organisation in the caller's reach whose records it cannot include. */
  private withNotIncluded(response: GatewayGraphQLResponse, context: GatewayContext, path: (string | number)[] | undefined): GatewayGraphQLResponse {
    const missing = this.inReach(context);
    if (!missing.length) return response;
    const errors = missing.map((organisation) => ({
      message: `${organisation} keeps its ${this.name} records on its own partner node: they are not included in this answer yet`,
      ...(path ? { path } : {}),
      extensions: { code: 'PARTNER_NODE_UNAVAILABLE', organisation, serviceName: this.name },
    }));
    return { ...response, errors: [...(response.errors ?? []), ...errors] };
  }

  private async entities(options: Incoming, representations: Representation[]): Promise<GatewayGraphQLResponse> {
    const parts = new Map<string, number[]>();
    representations.forEach((rep, i) => {
      const owner = owningOrganisation(rep);
      const target = owner && this.registry.nodeOf(owner) ? owner : HUB;
      parts.set(target, [...(parts.get(target) ?? []), i]);
    });
    const program = representations.findIndex((rep) => rep.__typename === 'Program');
    if (program >= 0 && representations.every((rep) => rep.__typename === 'Program')) return this.programs(options, representations.length);
    const finish = (response: GatewayGraphQLResponse) => (program < 0 ? response : this.withNotIncluded(response, options.context, ['_entities', program]));
    if (parts.size === 1 && parts.has(HUB)) return finish(await this.partAt(HUB, options, representations));

    const answers = await Promise.all(
      [...parts].map(async ([target, indexes]) => {
        const part: Incoming = {
          ...options,
          request: { ...options.request, http: undefined, variables: { ...options.request.variables, representations: indexes.map((i) => representations[i]) } },
        };
        const response = await this.partAt(target, part, indexes.map((i) => representations[i]));
        return { indexes, response };
      }),
    );

    const entities: unknown[] = representations.map(() => null);
    const errors: GraphQLFormattedError[] = [];
    for (const { indexes, response } of answers) {
      const got = (response.data as { _entities?: unknown[] } | null | undefined)?._entities ?? [];
      indexes.forEach((at, j) => {
        entities[at] = got[j] ?? null;
      });
      // an error about the part's j-th entity is about the whole fetch's indexes[j]-th
      for (const error of response.errors ?? []) {
        const [head, j, ...rest] = error.path ?? [];
        errors.push(head === '_entities' && typeof j === 'number' ? { ...error, path: [head, indexes[j], ...rest] } : error);
      }
    }
    return finish({ data: { _entities: entities }, ...(errors.length ? { errors } : {}) });
  }

  /**
   * Program entities: their counts, rows, lists and folds are asked of the hub and every node in
   * the caller's reach at once and merged (entity-merge.ts); what cannot be merged yet is the
   * hub's alone, with an error naming each node-hosted organisation it lacks.
   */
  private async programs(options: Incoming, count: number): Promise<GatewayGraphQLResponse> {
    const document = options.document ?? parse(options.request.query ?? '');
    const response = await this.acrossDeployments(options, 'Program', count, () => true);
    return mergedFields(document, 'Program').length === entityFields(document, 'Program').length ? response : this.withNotIncluded(response, options.context, ['_entities', 0]);
  }

  /**
   * The part of an entity fetch held at `place`: its communities' members and forum items gathered
   * from the other deployments too (other organisations' facilitators join them, other
   * organisations' items are escalated into them).
   */
  private partAt(place: string, part: Incoming, representations: Representation[]): Promise<GatewayGraphQLResponse> {
    const document = part.document ?? parse(part.request.query ?? '');
    const typename = GATHERED.find((t) => representations.some((rep) => rep.__typename === t) && mergedFields(document, t).length);
    if (!typename) return this.at(place, part, representations.length);
    return this.acrossDeployments(part, typename, representations.length, (i) => representations[i].__typename === typename, place);
  }

  /**
   * `count` entities asked of the deployment holding them (`holder`) and, when the fetch selects
   * fields of `typename` that merge (ENTITY_MERGE), of the hub and every node in the caller's reach,
   * all at once, with what the merge needs added to the operation; the others are asked for those
   * fields only. Those fields are merged for the entities `applies` picks.
   */
  private async acrossDeployments(part: Incoming, typename: string, count: number, applies: (i: number) => boolean, holder = HUB): Promise<GatewayGraphQLResponse> {
    const document = part.document ?? parse(part.request.query ?? '');
    const merged = mergedFields(document, typename);
    const reach = merged.length ? this.inReach(part.context) : [];
    // forum items are read by the people of the forum's organisation, whoever raised them: every node may hold some
    const asked = merged.some((f) => f.name.value === 'forumItems') ? this.registry.organisations : reach;
    const atHub = merged.some((f) => ENTITY_MERGE[typename][f.name.value] === 'hub');
    if (!asked.length && !atHub) return this.at(holder, part, count);
    const atEvery = merged.some((f) => ENTITY_MERGE[typename][f.name.value] !== 'hub');
    // the hub's fields are asked of the hub alone, the others of every deployment
    const others = [HUB, ...asked].filter((p) => p !== holder && (atEvery || (atHub && p === HUB)));
    // lists and folds need more than the client selected from every deployment, the holder's included
    const keyed = needsMergeFields(merged, typename) ? withMergeFields(document, typename) : document;
    const ask = (d: DocumentNode): Incoming => ({ ...part, document: d, request: { ...part.request, query: print(d), http: undefined } });
    // the hub matches plans with those of the nodes, as the caller may see them
    const plans = atHub ? await this.plansOnNodes(part, reach) : { plans: [], unmatched: [] };
    const hubRecords = atHub ? { plans: plans.plans } : {};
    const answers = await Promise.all([
      this.at(holder, ask(keyed), count, holder === HUB ? hubRecords : {}),
      // the others hold records of entities they do not hold: they answer with bare references
      ...others.map((o) => this.at(o, ask(mergedFieldsOnly(keyed, typename, o === HUB)), count, { gathering: true, ...(o === HUB ? hubRecords : {}) })),
    ]);
    const places = [holder, ...others];
    const entities = mergeEntities(typename, merged, answers.map((p) => (p.data as { _entities?: Record<string, unknown>[] } | null)?._entities ?? []), part.request.variables ?? {}, applies, places.indexOf(HUB));
    const unmatched = plans.unmatched.map((organisation) => ({
      message: `${organisation} keeps its engagement plans on its own partner node and does not let this caller see them: overlaps with them are not included`,
      path: ['_entities', 0],
      extensions: { code: 'PARTNER_NODE_UNAVAILABLE', organisation, serviceName: this.name },
    }));
    // a partner's admin reaches its own organisation only: other partners on their nodes are not matched, nor named
    const outOfReach = atHub && part.context.scope.role === 'partner-admin' && this.registry.organisations.some((o) => !reach.includes(o));
    const errors: GraphQLFormattedError[] = [...answers.flatMap((p) => p.errors ?? []), ...unmatched];
    if (outOfReach) {
      errors.push({
        message: 'Other partners that keep their engagement plans on their own partner nodes do not let this caller see them: overlaps with them are not included',
        path: ['_entities', 0],
        extensions: { code: 'PARTNER_NODE_UNAVAILABLE', serviceName: this.name },
      });
    }
    return { data: { _entities: entities }, ...(errors.length ? { errors } : {}) };
  }

  /**
   * The planned engagements of each node-hosted organisation in `reach`, as the caller may see them
   * (its node applies its own sharing), for the hub to match with its own; the organisations whose
   * plans the caller may not see in full (or whose node did not answer) are `unmatched`.
   */
  private async plansOnNodes(part: Incoming, reach: string[]): Promise<{ plans: PlanFacts[]; unmatched: string[] }> {
    const query = `query HubNodePlans($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation {
      plannedEngagements { id organisation { id } program { id } regions { id } startsOn endsOn title audiences detailsWithheld } } } }`;
    const answers = await Promise.all(reach.map((organisation) => this.fromNode(organisation, asking(part, query, { r: [{ __typename: 'Organisation', id: organisation }] }, 'HubNodePlans'), 1)));
    const plans: PlanFacts[] = [];
    const unmatched: string[] = [];
    answers.forEach((answer, i) => {
      const got = (answer.data as { _entities?: ({ plannedEngagements?: any[] | null } | null)[] } | null)?._entities?.[0]?.plannedEngagements;
      if (!Array.isArray(got) || got.some((e) => e.detailsWithheld || !e.audiences)) {
        unmatched.push(reach[i]);
        return;
      }
      // a node speaks for its own organisation's plans only
      for (const e of got.filter((x) => x.organisation?.id === reach[i] && ownerOf(x.id) === reach[i])) {
        plans.push({ id: e.id, organisationId: e.organisation.id, programId: e.program.id, title: e.title, regionIds: e.regions.map((r: { id: string }) => r.id), audiences: e.audiences, startsOn: e.startsOn, endsOn: e.endsOn });
      }
    });
    return { plans, unmatched };
  }

  /** The fetch at `place` with records held elsewhere vouched for, signed for that place (held-elsewhere.ts). */
  private async vouching(place: string, part: Incoming, records: HeldElsewhere): Promise<Incoming> {
    // for this caller only: a subgraph refuses it with another caller's scope
    const token = await signHeldElsewhere(this.signer, { ...records, subject: part.context.scope.subject }, place === HUB ? HUB_AUDIENCE : nodeAudience(place));
    return { ...part, request: { ...part.request, extensions: { ...part.request.extensions, [ELSEWHERE_EXTENSION]: token } } };
  }

  /** `count` entities of `organisation`, or a root fetch when null. */
  private async fromNode(organisation: string, part: Options, count: number | null): Promise<GatewayGraphQLResponse> {
    const route = this.registry.nodeOf(organisation) as NodeRoute;
    const unavailable = (why: string): GatewayGraphQLResponse => ({
      data: count === null ? null : { _entities: Array.from({ length: count }, () => null) },
      errors: [
        {
          message: `${organisation}'s partner node ${why}: its ${this.name} data is missing from this answer`,
          ...(count === null ? {} : { path: ['_entities', 0] }),
          extensions: { code: 'PARTNER_NODE_UNAVAILABLE', organisation, serviceName: this.name },
        },
      ],
    });
    if (route.hubKeyFingerprint !== this.signer.fingerprint) return unavailable('does not trust the key this hub signs with');
    try {
      return await this.target(route).breaker.fire(part);
    } catch (error) {
      if (answered(error)) throw error;
      return unavailable(reasonOf(error));
    }
  }

  /**
   * A client's fetch answered at `place` (the hub's subgraph, or an organisation's node), with the
   * records it left null because another deployment holds them (held-elsewhere.ts) filled in from
   * there, under the caller's scope: one query per deployment holding some.
   */
  private async at(place: string, part: Incoming, count: number | null, records: HeldElsewhere = {}): Promise<GatewayGraphQLResponse> {
    const references = REFERENCES[this.name];
    const document = withReferenceIds(part.document ?? parse(part.request.query ?? ''), references);
    const asked: Incoming = document ? { ...part, document, request: { ...part.request, query: print(document) } } : part;
    const response = await this.vouched(place, asked, count, records);
    if (!document) return response;
    const missing = missingRecords(document, response.data, references).filter((m) => this.placeOf(m.id) !== place);
    const errors: GraphQLFormattedError[] = [];
    await Promise.all(
      [...this.byPlace(missing, (m) => m.id)].map(async ([where, records]) => {
        const { query, variables, aliasOf } = recordQuery(records, document);
        const got = await this.send(where, asking(part, query, variables, 'HubHeldElsewhere'), null);
        const data = (got.data ?? {}) as Record<string, unknown>;
        records.forEach((m, i) => {
          (m.holder as Record<string | number, unknown>)[m.key] = data[`r${aliasOf[i]}`] ?? null;
        });
        // e.g. the holding node is down: said without a path, the records stay null
        for (const { path: _path, ...error } of got.errors ?? []) errors.push(error);
      }),
    );
    return errors.length ? { ...response, errors: [...(response.errors ?? []), ...errors] } : response;
  }

  /** A fetch sent to the hub's subgraph or an organisation's node as it is. */
  private send(place: string, part: Incoming, count: number | null): Promise<GatewayGraphQLResponse> {
    return place === HUB ? this.hub.process(part) : this.fromNode(place, part, count);
  }

  /**
   * A fetch at `place` with the records held elsewhere that the gateway vouches for (`records`, at
   * first; held-elsewhere.ts): it may refer to more that other deployments hold (an item escalated
   * into another organisation's forum, a node's facilitator joining a hub community, a national
   * community's rules checked against a node's members). While the subgraph answers
   * `HELD_ELSEWHERE` naming ones it lacks (a mutation having rolled back), the gateway reads them
   * where they are held, under the caller's own scope (held-facts.ts), and sends the fetch again with
   * them, a few rounds at most. A fetch of several mutation fields is not sent again (the fields
   * before might have been done): the client is told to send it alone.
   */
  private async vouched(place: string, part: Incoming, count: number | null, records: HeldElsewhere): Promise<GatewayGraphQLResponse> {
    const elsewhere = { ...records, communities: { ...records.communities }, courses: { ...records.courses }, membershipRules: { ...records.membershipRules } };
    const repeatable = !isMutation(part) || rootFieldCount(part.document ?? parse(part.request.query ?? '')) === 1;
    for (let round = 0; ; round++) {
      const response = await this.send(place, await this.vouching(place, part, elsewhere), count);
      // what a deployment may ask for: records of the kinds the gateway reads, by well-formed IDs, a few at a time
      const wanted = wantedRecords(response.errors).filter((r) => !Object.hasOwn(elsewhere[r.kind], r.id));
      if (!wanted.length || !repeatable || round === 3) return withoutHeldElsewhere(response, repeatable, this.name);
      // a record whose organisation is held where the fetch runs is not elsewhere: it does not exist
      const read = wanted.filter((r) => this.placeOf(r.id) !== place);
      for (const r of wanted) elsewhere[r.kind][r.id] = null;
      const unread: string[] = [];
      await Promise.all(
        [...this.byPlace(read, (r) => r.id)].map(async ([where, some]) => {
          const { query, variables, facts } = factsQuery(some);
          const got = await this.send(where, asking(part, query, variables, 'HubHeldFacts'), null).catch(() => ({ data: null }) as GatewayGraphQLResponse);
          // a record that could not be read is not vouched for as absent: the rules it carries would go unchecked
          if (got.errors?.length || !got.data) unread.push(where);
          else Object.assign(elsewhere, mergeFacts(elsewhere, facts(got.data as Record<string, unknown>)));
        }),
      );
      if (unread.length) return notRead(response, unread, this.name);
    }
  }

  /** Where an organisation's record is held: its node, or the hub. */
  private placeOf(id: string): string {
    const owner = ownerOf(id);
    return owner && this.registry.nodeOf(owner) ? owner : HUB;
  }

  /** `items` grouped by where the record each names (`idOf`) is held. */
  private byPlace<T>(items: T[], idOf: (item: T) => string): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const item of items) {
      const place = this.placeOf(idOf(item));
      groups.set(place, [...(groups.get(place) ?? []), item]);
    }
    return groups;
  }

  /** Stops every breaker's timers (the gateway is stopping). */
  close(): void {
    for (const { breaker } of this.nodes.values()) breaker.shutdown();
    this.nodes.clear();
  }

  /** One data source and breaker per node endpoint and budget; a changed registration gets fresh ones. */
  private target(route: NodeRoute): NodeTarget {
    const url = route.endpoints[this.name].url;
    const key = `${route.organisation} ${url} ${route.timeBudgetMs}`;
    let target = this.nodes.get(key);
    if (!target) {
      // the organisation's earlier registration (another URL or budget) is done with
      for (const [old, stale] of this.nodes) {
        if (old.startsWith(`${route.organisation} `)) {
          stale.breaker.shutdown();
          this.nodes.delete(old);
        }
      }
      const source = new NodeDataSource(this.name, route, url, this.signer);
      const breaker = new CircuitBreaker((options: Options) => source.process(options), {
        // the data source's own fetch deadline is the node's time budget
        timeout: false,
        volumeThreshold: 3,
        errorThresholdPercentage: 50,
        resetTimeout: 10_000,
        errorFilter: answered,
      });
      target = { source, breaker };
      this.nodes.set(key, target);
    }
    return target;
  }
}
