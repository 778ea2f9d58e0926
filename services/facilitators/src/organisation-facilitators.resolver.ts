import { PageArgs } from '@hub/core';
import { IsOptional, MaxLength } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, InputType, Int, Resolver, Root } from 'type-graphql';
import { emptyPage, mayCountFacilitatorsOf, mayReadFacilitatorsOf } from './access-rules';
import type { FacilitatorsContext } from './context';
import { FacilitatorStatus } from './facilitator.entity';
import { FacilitatorConnection } from './facilitator.resolver';
import type { FacilitatorsOfOrganisation } from './loaders';
import { OrganisationRef } from './refs';

@InputType()
export class OrganisationFacilitatorFilter {
  @Field(() => FacilitatorStatus, { nullable: true })
  status?: FacilitatorStatus;

  @Field({ nullable: true, description: 'Part of the display name, any case.' })
  @IsOptional()
  @MaxLength(200)
  nameContains?: string;
}

/** One shape for every key, so equal filters share a batch and a cache entry. */
function facilitatorsOf(status?: FacilitatorStatus | null, nameContains?: string | null): FacilitatorsOfOrganisation {
  return { status: status ?? null, nameContains: nameContains ?? null };
}

/**
 * The facilitators an organisation employs. Every field is batched across organisations. An
 * organisation outside the caller's wall has none it can see (a participant sees none listed,
 * though it may count them within its wall).
 */
@Resolver(() => OrganisationRef)
export class OrganisationFacilitatorsResolver {
  @FieldResolver(() => FacilitatorConnection, {
    nullable: true,
    description: 'Facilitators whose names the caller may see by family name, then given name; then those whose names are withheld.',
  })
  async facilitators(
    @Root() organisation: OrganisationRef,
    @Args() page: PageArgs,
    @Ctx() ctx: FacilitatorsContext,
    @Arg('filter', () => OrganisationFacilitatorFilter, { nullable: true }) filter?: OrganisationFacilitatorFilter,
  ): Promise<FacilitatorConnection> {
    if (!mayReadFacilitatorsOf(ctx.scope, organisation.id)) return new FacilitatorConnection(emptyPage());
    const match = facilitatorsOf(filter?.status, filter?.nameContains);
    return new FacilitatorConnection(await ctx.loaders.facilitatorPage.load({ id: organisation.id, filter: match, first: page.first, after: page.after ?? null }));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'How many facilitators the organisation has, optionally only those with a status.' })
  facilitatorCount(
    @Root() organisation: OrganisationRef,
    @Ctx() ctx: FacilitatorsContext,
    @Arg('status', () => FacilitatorStatus, { nullable: true }) status?: FacilitatorStatus,
  ): Promise<number> {
    if (!mayCountFacilitatorsOf(ctx.scope, organisation.id)) return Promise.resolve(0);
    return ctx.loaders.facilitatorCount.load({ id: organisation.id, filter: facilitatorsOf(status) });
  }
}
