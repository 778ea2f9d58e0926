import { badField, conflict, forbidden, inTransaction, nodeAudience, notFound, type AccessScope } from '@hub/core';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsUrl, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import type { PartnersContext } from './context';
import { Organisation } from './organisation.entity';
import { PartnerNodeAction, PartnerNodeChange, type PartnerNodeState } from './partner-node-change.entity';
import { PartnerHosting, PartnerNode, PartnerNodeEndpoint, PartnerNodeStatus, PartnerSubgraph } from './partner-node.entity';

@InputType()
export class PartnerNodeEndpointInput {
  @Field(() => PartnerSubgraph)
  subgraph: PartnerSubgraph;

  @Field()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http(s) URL' })
  url: string;

  @Field()
  @IsUrl({ protocols: ['ws', 'wss'], require_protocol: true, require_tld: false }, { message: 'must be a ws(s) URL' })
  wsUrl: string;
}

@InputType()
export class RegisterPartnerNodeInput {
  @Field(() => ID)
  organisationId: string;

  @Field(() => [PartnerNodeEndpointInput], { description: 'One for each of FACILITATORS, SESSIONS and FEEDBACK.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  endpoints: PartnerNodeEndpointInput[];

  @Field({ description: 'Fingerprint of the hub key the node trusts, as the node prints it at start (`sha256:…`).' })
  @Matches(/^sha256:[A-Za-z0-9_-]{43}$/, { message: 'must be a key fingerprint as the node prints it (sha256:…)' })
  hubKeyFingerprint: string;

  @Field(() => Int, { defaultValue: 3000, description: 'Milliseconds the gateway waits for the node before answering without it.' })
  @IsInt()
  @Min(100)
  @Max(60000)
  timeBudgetMs: number;
}

/**
 * Who may register, move and retire an organisation's node: its own partner admins (it is their
 * data and their infrastructure) and the national manager of a program it delivers (who answers
 * for the program's reporting). Nobody else sees the registration.
 */
export function mayAdministerNode(scope: AccessScope, organisationId: string): boolean {
  if (scope.role === 'system') return true;
  if (scope.role === 'partner-admin') return scope.organisation === organisationId;
  return scope.role === 'national-manager' && scope.organisations.includes(organisationId);
}

function checkEndpoints(endpoints: PartnerNodeEndpointInput[]): PartnerNodeEndpoint[] {
  const seen = new Set<PartnerSubgraph>();
  endpoints.forEach((e, i) => {
    if (seen.has(e.subgraph)) throw badField(`input.endpoints.${i}.subgraph`, 'is listed twice');
    seen.add(e.subgraph);
  });
  const missing = Object.values(PartnerSubgraph).filter((s) => !seen.has(s));
  if (missing.length) throw badField('input.endpoints', `must also name ${missing.join(', ')}`);
  return Object.values(PartnerSubgraph).map((subgraph) => {
    const e = endpoints.find((x) => x.subgraph === subgraph) as PartnerNodeEndpointInput;
    return { subgraph, url: e.url, wsUrl: e.wsUrl };
  });
}

const stateOf = (n: PartnerNode): PartnerNodeState => ({
  hosting: n.hosting,
  status: n.status,
  endpoints: n.endpoints,
  hubKeyFingerprint: n.hubKeyFingerprint,
  timeBudgetMs: n.timeBudgetMs,
});

/** Checks the organisation and the caller, then locks the organisation's registration (null when there is none). */
async function lockNode(m: EntityManager, scope: AccessScope, organisationId: string, field: string): Promise<PartnerNode | null> {
  // the directory is open to all, so an unknown organisation is NOT_FOUND whoever asks
  if (!(await m.existsBy(Organisation, { id: organisationId }))) throw notFound('Organisation', organisationId, field);
  if (!mayAdministerNode(scope, organisationId)) {
    throw forbidden(`Only ${organisationId}'s admins and its program's national manager may change where its data is hosted`, field);
  }
  return m.findOne(PartnerNode, { where: { organisationId }, lock: { mode: 'pessimistic_write' } });
}

/** Saves the new registration and its audit record together. */
async function record(m: EntityManager, scope: AccessScope, action: PartnerNodeAction, before: PartnerNode | null, after: PartnerNode): Promise<PartnerNode> {
  const beforeState = before && stateOf(before);
  const saved = await m.save(PartnerNode, after);
  await m.insert(PartnerNodeChange, {
    organisationId: after.organisationId,
    action,
    changedBy: scope.subject,
    changedByRole: scope.role,
    before: beforeState,
    after: stateOf(saved),
  });
  return saved;
}

@Resolver(() => PartnerNode)
export class PartnerNodeResolver {
  @Query(() => [PartnerNode], { description: 'Partner nodes the caller administers (the gateway reads them all to route).' })
  async partnerNodes(
    @Ctx() ctx: PartnersContext,
    @Arg('status', () => PartnerNodeStatus, { nullable: true }) status?: PartnerNodeStatus,
  ): Promise<PartnerNode[]> {
    const nodes = await ctx.db.find(PartnerNode, { where: status ? { status } : {}, order: { organisationId: 'ASC' } });
    return nodes.filter((n) => mayAdministerNode(ctx.scope, n.organisationId));
  }

  @FieldResolver(() => Organisation)
  async organisation(@Root() node: PartnerNode, @Ctx() ctx: PartnersContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(node.organisationId)) as Organisation;
  }

  @FieldResolver(() => String, { description: 'The audience of the scopes the hub signs for this node: a node refuses scopes signed for any other.' })
  audience(@Root() node: PartnerNode): string {
    return nodeAudience(node.organisationId);
  }

  @FieldResolver(() => [PartnerNodeChange], { description: 'Every change to the registration, oldest first.' })
  history(@Root() node: PartnerNode, @Ctx() ctx: PartnersContext): Promise<PartnerNodeChange[]> {
    return ctx.loaders.partnerNodeChanges.load(node.organisationId);
  }

  @Mutation(() => PartnerNode, {
    description:
      'Registers (or updates, or brings back from retirement) an organisation\'s partner node. Its records stay hosted where they are until movePartnerHosting.',
  })
  registerPartnerNode(@Arg('input') input: RegisterPartnerNodeInput, @Ctx() ctx: PartnersContext): Promise<PartnerNode> {
    const endpoints = checkEndpoints(input.endpoints);
    return inTransaction(ctx.db, async (m) => {
      const before = await lockNode(m, ctx.scope, input.organisationId, 'input.organisationId');
      const after = m.create(PartnerNode, {
        ...before,
        organisationId: input.organisationId,
        hosting: before?.hosting ?? PartnerHosting.HUB,
        status: PartnerNodeStatus.ACTIVE,
        endpoints,
        hubKeyFingerprint: input.hubKeyFingerprint,
        timeBudgetMs: input.timeBudgetMs,
      });
      return record(m, ctx.scope, PartnerNodeAction.REGISTER, before && { ...before }, after);
    });
  }

  @Mutation(() => PartnerNode, {
    description:
      'Switches where the gateway finds an organisation\'s records: NODE (its active node) or HUB. Switch only once the records are where it points (docs/partner-nodes.md, "Moving an organisation").',
  })
  movePartnerHosting(
    @Arg('organisationId', () => ID) organisationId: string,
    @Arg('hosting', () => PartnerHosting) hosting: PartnerHosting,
    @Ctx() ctx: PartnersContext,
  ): Promise<PartnerNode> {
    return inTransaction(ctx.db, async (m) => {
      const before = await lockNode(m, ctx.scope, organisationId, 'organisationId');
      if (!before) throw notFound('PartnerNode', organisationId, 'organisationId');
      if (hosting === PartnerHosting.NODE && before.status !== PartnerNodeStatus.ACTIVE) {
        throw conflict(`${organisationId}'s node is retired: register it again first`, [{ field: 'hosting', message: 'needs an active node' }]);
      }
      return record(m, ctx.scope, PartnerNodeAction.MOVE, { ...before }, m.create(PartnerNode, { ...before, hosting }));
    });
  }

  @Mutation(() => PartnerNode, { description: 'Retires an organisation\'s node. Its records must be hosted by the hub again first.' })
  retirePartnerNode(@Arg('organisationId', () => ID) organisationId: string, @Ctx() ctx: PartnersContext): Promise<PartnerNode> {
    return inTransaction(ctx.db, async (m) => {
      const before = await lockNode(m, ctx.scope, organisationId, 'organisationId');
      if (!before) throw notFound('PartnerNode', organisationId, 'organisationId');
      if (before.hosting === PartnerHosting.NODE) {
        throw conflict(`${organisationId}'s records are still on its node: move them back to the hub first`, [
          { field: 'organisationId', message: 'still hosted by its node' },
        ]);
      }
      return record(m, ctx.scope, PartnerNodeAction.RETIRE, { ...before }, m.create(PartnerNode, { ...before, status: PartnerNodeStatus.RETIRED }));
    });
  }
}

@Resolver(() => Organisation)
export class OrganisationHostingResolver {
  @FieldResolver(() => PartnerNode, { nullable: true, description: 'Its partner node, for those who administer it.' })
  async partnerNode(@Root() org: Organisation, @Ctx() ctx: PartnersContext): Promise<PartnerNode | null> {
    if (!mayAdministerNode(ctx.scope, org.id)) return null;
    return ctx.loaders.partnerNode.load(org.id);
  }
}
