import {
  assertManageProgram,
  assertRole,
  badField,
  connectionOf,
  containing,
  forbidden,
  inTransaction,
  IsDay,
  mayManage,
  mayManageProgram,
  newId,
  notFound,
  PageArgs,
  paginate,
  TIER_KEY,
  type AccessScope,
} from '@hub/core';
import { GraphQLError } from 'graphql';
import { ArrayMaxSize, IsInt, IsOptional, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { PartnersContext } from './context';
import { Organisation } from './organisation.entity';
import { Program } from './program.entity';
import { ProgramPartner } from './program-partner.entity';

@ObjectType()
export class ProgramConnection extends connectionOf(Program, 'Program') {}

@InputType()
export class ProgramTierInput {
  @Field()
  @Matches(TIER_KEY, { message: 'must be a lowercase slug' })
  key: string;

  @Field()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(9)
  level: number;
}

@InputType()
export class ReportingPeriodInput {
  @Field()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @Field()
  @IsDay()
  startsOn: string;

  @Field()
  @IsDay()
  endsOn: string;
}

@InputType()
export class CreateProgramInput {
  @Field()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Field({ defaultValue: '' })
  @MaxLength(5000)
  description: string;

  @Field(() => ID, { description: 'The national program manager.' })
  managingOrganisationId: string;

  @Field(() => Int, { defaultValue: 5, description: 'Never below 3.' })
  @IsInt()
  @Min(3, { message: 'must be at least 3 so that nobody can be identified from feedback' })
  @Max(1000)
  minimumGroupSize: number;

  @Field(() => [ProgramTierInput], { defaultValue: [] })
  @ArrayMaxSize(9)
  @ValidateNested({ each: true })
  tiers: ProgramTierInput[];

  @Field(() => [ReportingPeriodInput], { defaultValue: [] })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  reportingPeriods: ReportingPeriodInput[];
}

@InputType()
export class UpdateProgramInput {
  @Field({ nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(5000)
  description?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(3, { message: 'must be at least 3 so that nobody can be identified from feedback' })
  @Max(1000)
  minimumGroupSize?: number;

  @Field(() => [ProgramTierInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(9)
  @ValidateNested({ each: true })
  tiers?: ProgramTierInput[];

  @Field(() => [ReportingPeriodInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  reportingPeriods?: ReportingPeriodInput[];
}

@InputType({ description: 'Leave a flag out to keep its current value (a new partner shares nothing until it says so).' })
export class SharingAgreementInput {
  @Field({ nullable: true })
  shareFacilitatorContacts?: boolean;

  @Field({ nullable: true })
  shareSessionDetails?: boolean;

  @Field({ nullable: true })
  shareEngagementPlans?: boolean;
}

/** A program's sharing agreements are seen by its national manager (all) and each partner's admins (their own). */
function seesAgreement(scope: AccessScope, agreement: ProgramPartner): boolean {
  return mayManageProgram(scope, agreement.programId) || mayManage(scope, agreement.organisationId);
}

function checkTiersAndPeriods(input: { tiers?: ProgramTierInput[]; reportingPeriods?: ReportingPeriodInput[] }): void {
  const keys = new Set<string>();
  input.tiers?.forEach((t, i) => {
    if (keys.has(t.key)) throw badField(`input.tiers.${i}.key`, 'is used by another tier');
    keys.add(t.key);
  });
  input.reportingPeriods?.forEach((p, i) => {
    if (p.endsOn < p.startsOn) throw badField(`input.reportingPeriods.${i}.endsOn`, 'is before startsOn');
  });
}

@Resolver(() => Program)
export class ProgramResolver {
  @Query(() => Program, { nullable: true })
  program(@Arg('id', () => ID) id: string, @Ctx() ctx: PartnersContext): Promise<Program | null> {
    return ctx.loaders.program.load(id);
  }

  @Query(() => ProgramConnection)
  async programs(
    @Args() page: PageArgs,
    @Ctx() ctx: PartnersContext,
    @Arg('nameContains', { nullable: true }) nameContains?: string,
  ): Promise<ProgramConnection> {
    const qb = ctx.db.getRepository(Program).createQueryBuilder('program');
    if (nameContains) qb.andWhere('program.name ILIKE :name', { name: containing(nameContains) });
    return new ProgramConnection(await paginate(qb, page, { columns: ['program.id'], values: (p) => [p.id] }));
  }

  @FieldResolver(() => Organisation)
  async managingOrganisation(@Root() program: Program, @Ctx() ctx: PartnersContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(program.managingOrganisationId)) as Organisation;
  }

  @FieldResolver(() => [Organisation], { description: 'The organisations delivering the program, by key.' })
  async deliveryPartners(@Root() program: Program, @Ctx() ctx: PartnersContext): Promise<Organisation[]> {
    const links = await ctx.loaders.partnersOfProgram.load(program.id);
    const orgs = await ctx.loaders.organisation.loadMany(links.map((l) => l.organisationId));
    return orgs.filter((o): o is Organisation => o instanceof Organisation);
  }

  @FieldResolver(() => [ProgramPartner], {
    description: 'Each delivery partner\'s sharing agreement with this program: all of them for its national manager, its own for a partner\'s admins, none for anyone else.',
  })
  async sharingAgreements(@Root() program: Program, @Ctx() ctx: PartnersContext): Promise<ProgramPartner[]> {
    const agreements = await ctx.loaders.partnersOfProgram.load(program.id);
    return agreements.filter((a) => seesAgreement(ctx.scope, a));
  }

  @Mutation(() => Program, { description: 'A national manager, for its own organisation.' })
  createProgram(@Arg('input') input: CreateProgramInput, @Ctx() ctx: PartnersContext): Promise<Program> {
    const { scope } = ctx;
    if (scope.role !== 'system' && !(scope.role === 'national-manager' && scope.organisation === input.managingOrganisationId)) {
      throw forbidden('Only a national manager may create a program, and only for its own organisation', 'input.managingOrganisationId');
    }
    checkTiersAndPeriods(input);
    return inTransaction(ctx.db, async (m) => {
      const manager = await m.findOneBy(Organisation, { id: input.managingOrganisationId });
      if (!manager) throw notFound('Organisation', input.managingOrganisationId, 'input.managingOrganisationId');
      return m.save(
        Program,
        m.create(Program, { ...input, id: newId(manager.id, 'prg'), managingOrganisationId: manager.id }),
      );
    });
  }

  @Mutation(() => Program, { description: 'The program\'s national manager only.' })
  updateProgram(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateProgramInput, @Ctx() ctx: PartnersContext): Promise<Program> {
    return inTransaction(ctx.db, async (m) => {
      // programs are in the directory everyone reads: an unknown ID is NOT_FOUND whoever asks
      if (!(await m.existsBy(Program, { id }))) throw notFound('Program', id);
      assertManageProgram(ctx.scope, id, 'id');
      checkTiersAndPeriods(input);
      const program = await m.findOne(Program, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!program) throw notFound('Program', id);
      for (const key of ['name', 'description', 'minimumGroupSize', 'tiers', 'reportingPeriods'] as const) {
        if (input[key] !== undefined && input[key] !== null) Object.assign(program, { [key]: input[key] });
      }
      return m.save(Program, program);
    });
  }

  @Mutation(() => ProgramPartner, {
    description:
      'The program\'s national manager adds a delivery partner; its sharing agreement starts closed. Adding an existing partner again changes nothing.',
  })
  setProgramPartner(
    @Arg('programId', () => ID) programId: string,
    @Arg('organisationId', () => ID) organisationId: string,
    @Ctx() ctx: PartnersContext,
  ): Promise<ProgramPartner> {
    return inTransaction(ctx.db, async (m) => {
      if (!(await m.existsBy(Program, { id: programId }))) throw notFound('Program', programId, 'programId');
      assertManageProgram(ctx.scope, programId, 'programId');
      if (!(await m.existsBy(Organisation, { id: organisationId }))) throw notFound('Organisation', organisationId, 'organisationId');
      // race-safe: of two simultaneous adds one inserts, the other finds its row; an existing agreement is left alone
      await m
        .createQueryBuilder()
        .insert()
        .into(ProgramPartner)
        .values({
          programId,
          organisationId,
          joinedOn: new Date().toISOString().slice(0, 10),
          shareFacilitatorContacts: false,
          shareSessionDetails: false,
          shareEngagementPlans: false,
        })
        .orIgnore()
        .execute();
      return m.findOneByOrFail(ProgramPartner, { programId, organisationId });
    });
  }

  @Mutation(() => ProgramPartner, {
    description: 'A delivery partner\'s admins open or close what their organisation shares with the program\'s national manager.',
  })
  setSharingAgreement(
    @Arg('programId', () => ID) programId: string,
    @Arg('input', () => SharingAgreementInput) input: SharingAgreementInput,
    @Ctx() ctx: PartnersContext,
  ): Promise<ProgramPartner> {
    // an administrator changes its own organisation's agreement: the organisation is the caller's, never an argument
    assertRole(ctx.scope, ['partner-admin', 'national-manager'], 'change a sharing agreement');
    const organisationId = ctx.scope.organisation;
    if (!organisationId) throw forbidden('Only an organisation\'s administrators may change its sharing agreements');
    return inTransaction(ctx.db, async (m) => {
      const agreement = await m.findOne(ProgramPartner, { where: { programId, organisationId }, lock: { mode: 'pessimistic_write' } });
      if (!agreement) {
        throw new GraphQLError(`${organisationId} is not a partner of program ${programId}`, {
          extensions: { code: 'NOT_FOUND', fields: [{ field: 'programId', message: 'not a program your organisation delivers' }] },
        });
      }
      for (const key of ['shareFacilitatorContacts', 'shareSessionDetails', 'shareEngagementPlans'] as const) {
        const value = input[key];
        if (value !== undefined && value !== null) agreement[key] = value;
      }
      return m.save(ProgramPartner, agreement);
    });
  }
}

@Resolver(() => ProgramPartner)
export class SharingAgreementResolver {
  @FieldResolver(() => Organisation)
  async organisation(@Root() link: ProgramPartner, @Ctx() ctx: PartnersContext): Promise<Organisation> {
    return (await ctx.loaders.organisation.load(link.organisationId)) as Organisation;
  }

  @FieldResolver(() => Program)
  async program(@Root() link: ProgramPartner, @Ctx() ctx: PartnersContext): Promise<Program> {
    return (await ctx.loaders.program.load(link.programId)) as Program;
  }
}
