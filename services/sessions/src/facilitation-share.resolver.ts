import { aggregateLoader, mayRead, refTo, withinWall, type AccessScope } from '@hub/core';
import type { EntityManager } from 'typeorm';
import { Ctx, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { Community } from './community.entity';
import type { SessionsContext } from './context';
import { FacilitatorRef } from './facilitator-ref';
import { Session, SessionStatus } from './session.entity';
import { SessionFacilitator } from './session-facilitator.entity';

@ObjectType({ description: 'How much of a community\'s facilitation one facilitator has taken on (facilitation rotates).' })
export class FacilitationShare {
  @Field(() => FacilitatorRef, { nullable: true, description: 'Null when the facilitator record is outside the caller\'s reach.' })
  facilitator: FacilitatorRef;

  @Field(() => Int, { description: 'The community\'s sessions (not cancelled) this facilitator facilitates, held or scheduled.' })
  sessionsFacilitated: number;

  @Field(() => Float, { description: 'sessionsFacilitated / the community\'s sessions (not cancelled), 0 to 1.' })
  share: number;
}

/** One GROUP BY for the facilitation shares of every community asked for in a request (a per-request loader). */
export function facilitationShareLoader(db: EntityManager, scope: AccessScope) {
  return aggregateLoader(async (ids: string[]) => {
    const qb = db
      .getRepository(Session)
      .createQueryBuilder('session')
      .innerJoin(SessionFacilitator, 'sf', 'sf.session_id = session.id')
      .select('session.community_id', 'communityId')
      .addSelect('sf.facilitator_id', 'facilitatorId')
      .addSelect('COUNT(*)', 'n')
      .addSelect(
        `(SELECT COUNT(*) FROM session t WHERE t.community_id = session.community_id AND t.status <> :cancelled)`,
        'total',
      )
      .where('session.community_id IN (:...ids)', { ids })
      .andWhere('session.status <> :cancelled', { cancelled: SessionStatus.CANCELLED })
      .groupBy('session.community_id')
      .addGroupBy('sf.facilitator_id')
      .orderBy('session.community_id')
      .addOrderBy('n', 'DESC')
      .addOrderBy('sf.facilitator_id');
    const rows: { communityId: string; facilitatorId: string; n: string; total: string }[] = await withinWall(qb, scope, 'session.organisation_id').getRawMany();
    const shares = new Map<string, FacilitationShare[]>();
    for (const r of rows) {
      const list = shares.get(r.communityId) ?? [];
      const n = Number(r.n);
      list.push(Object.assign(new FacilitationShare(), { facilitator: refTo(FacilitatorRef, r.facilitatorId), sessionsFacilitated: n, share: n / Math.max(1, Number(r.total)) }));
      shares.set(r.communityId, list);
    }
    return shares;
  }, [] as FacilitationShare[]);
}

/** Who has taken on how much of each community's facilitation: the rotation, with each facilitator's share visible. */
@Resolver(() => Community)
export class FacilitationShareResolver {
  @FieldResolver(() => [FacilitationShare], {
    nullable: true,
    description:
      'Each facilitator who facilitates any of the community\'s sessions (not cancelled), most sessions first, with the share of the community\'s sessions. Members who facilitate none are absent (share 0). With the facilitators subgraph\'s membershipRules.minimumFacilitationShare and members, a client finds who does less than the community expects.',
  })
  facilitationShare(@Root() community: Community, @Ctx() ctx: SessionsContext): Promise<FacilitationShare[]> | null {
    if (!mayRead(ctx.scope, community.organisationId)) return null;
    return ctx.loaders.facilitationShare.load({ id: community.id, filter: null });
  }
}
