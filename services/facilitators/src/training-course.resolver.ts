import { assertManageProgram, conflict, forbidden, inTransaction, newId, notFound, ORGANISATION_KEY, refTo } from '@hub/core';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { mayReadCourse } from './access-rules';
import type { FacilitatorsContext } from './context';
import { checkRecordId } from './record-ids';
import { ProgramRef } from './refs';
import { TrainingCourse } from './training-course.entity';

@InputType()
export class CreateTrainingCourseInput {
  @Field(() => ID, { description: 'The program whose catalogue the course joins.' })
  programId: string;

  @Field(() => ID, { description: 'The organisation adding the course (the caller\'s own); prefixes the new ID.' })
  @Matches(ORGANISATION_KEY, { message: 'must be an organisation key' })
  organisationId: string;

  @Field({ description: 'Unique within the program, in any case.' })
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'must not be blank' })
  name: string;

  @Field({ defaultValue: '' })
  @MaxLength(5000)
  description: string;

  @Field(() => Int, { nullable: true, description: '1 to 120; leave out for a course that never expires.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  validForMonths?: number | null;
}

@InputType({ description: 'Leave a field out to keep it. A new validity applies to training recorded from now on.' })
export class UpdateTrainingCourseInput {
  @Field({ nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'must not be blank' })
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(5000)
  description?: string;

  @Field(() => Int, { nullable: true, description: '1 to 120; null: never expires.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  validForMonths?: number | null;
}

async function checkNameFree(m: EntityManager, programId: string, name: string, exceptId?: string): Promise<void> {
  const qb = m
    .createQueryBuilder(TrainingCourse, 'course')
    .where('course.programId = :programId', { programId })
    .andWhere('lower(course.name) = lower(:name)', { name });
  if (exceptId) qb.andWhere('course.id <> :exceptId', { exceptId });
  if (await qb.getExists()) {
    throw conflict('The program already has a course with this name', [{ field: 'input.name', message: 'is the name of another course of this program' }]);
  }
}

@Resolver(() => TrainingCourse)
export class TrainingCourseResolver {
  @Query(() => TrainingCourse, { nullable: true })
  trainingCourse(@Arg('id', () => ID) id: string, @Ctx() ctx: FacilitatorsContext): Promise<TrainingCourse | null> {
    return ctx.loaders.course.load(id);
  }

  @Query(() => [TrainingCourse], { description: 'A program\'s training catalogue, by name: all of it for the program\'s members, otherwise the courses added within the caller\'s wall.' })
  async trainingCourses(@Arg('programId', () => ID) programId: string, @Ctx() ctx: FacilitatorsContext): Promise<TrainingCourse[]> {
    checkRecordId(programId, 'prg', 'programId');
    const { scope } = ctx;
    const qb = ctx.db
      .getRepository(TrainingCourse)
      .createQueryBuilder('course')
      .where('course.programId = :programId', { programId })
      .orderBy('course.name', 'ASC')
      .addOrderBy('course.id', 'ASC');
    if (scope.role !== 'system' && !scope.programs.includes(programId)) {
      if (scope.organisations.length === 0) return [];
      qb.andWhere('course.organisationId IN (:...organisations)', { organisations: scope.organisations });
    }
    return (await qb.getMany()).filter((c) => mayReadCourse(scope, c));
  }

  @FieldResolver(() => ProgramRef, { nullable: true })
  program(@Root() course: TrainingCourse): ProgramRef {
    return refTo(ProgramRef, course.programId);
  }

  @Mutation(() => TrainingCourse, { description: 'By the program\'s national manager.' })
  createTrainingCourse(@Arg('input') input: CreateTrainingCourseInput, @Ctx() ctx: FacilitatorsContext): Promise<TrainingCourse> {
    checkRecordId(input.programId, 'prg', 'input.programId');
    assertManageProgram(ctx.scope, input.programId, 'input.programId');
    // a course is added in the name of the caller's own organisation
    if (ctx.scope.role !== 'system' && input.organisationId !== ctx.scope.organisation) {
      throw forbidden('A course is added in the name of your own organisation', 'input.organisationId');
    }
    return inTransaction(ctx.db, async (m) => {
      await checkNameFree(m, input.programId, input.name.trim());
      return m.save(
        TrainingCourse,
        m.create(TrainingCourse, {
          id: newId(input.organisationId, 'trc'),
          programId: input.programId,
          organisationId: input.organisationId,
          name: input.name.trim(),
          description: input.description,
          validForMonths: input.validForMonths ?? null,
        }),
      );
    });
  }

  @Mutation(() => TrainingCourse, { description: 'By the program\'s national manager.' })
  updateTrainingCourse(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateTrainingCourseInput,
    @Ctx() ctx: FacilitatorsContext,
  ): Promise<TrainingCourse> {
    checkRecordId(id, 'trc', 'id');
    return inTransaction(ctx.db, async (m) => {
      const course = await m.findOne(TrainingCourse, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!course || !mayReadCourse(ctx.scope, course)) throw notFound('TrainingCourse', id);
      assertManageProgram(ctx.scope, course.programId, 'id');
      if (input.name != null) {
        await checkNameFree(m, course.programId, input.name.trim(), id);
        course.name = input.name.trim();
      }
      if (input.description != null) course.description = input.description;
      if (input.validForMonths !== undefined) course.validForMonths = input.validForMonths;
      return m.save(TrainingCourse, course);
    });
  }
}
