import { badField, conflict, forbidden, inTransaction, IsDay, mayManage, newId, notFound, type AccessScope } from '@hub/core';
import { IsOptional } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { mayReadCourse, mayReadFacilitatorsOf, visibleOwner } from './access-rules';
import { courseFor } from './held-elsewhere';
import type { FacilitatorsContext } from './context';
import { addMonths, checkNotFuture } from './dates';
import { Facilitator } from './facilitator.entity';
import { checkRecordId } from './record-ids';
import { TrainingCourse } from './training-course.entity';
import { AccreditationLevel, TrainingRecord } from './training-record.entity';

@InputType()
export class RecordTrainingInput {
  @Field(() => ID)
  facilitatorId: string;

  @Field(() => ID)
  courseId: string;

  @Field({ description: 'YYYY-MM-DD, not in the future.' })
  @IsDay()
  completedOn: string;

  @Field(() => AccreditationLevel)
  accreditationLevel: AccreditationLevel;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD after completedOn; left out: completedOn plus the course\'s validity (never, when the course never expires).' })
  @IsOptional()
  @IsDay()
  expiresOn?: string | null;
}

@InputType({ description: 'Leave a field out to keep it. A new completedOn without an expiresOn recomputes the expiry from the course.' })
export class UpdateTrainingRecordInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDay()
  completedOn?: string;

  @Field(() => AccreditationLevel, { nullable: true })
  @IsOptional()
  accreditationLevel?: AccreditationLevel;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDay()
  expiresOn?: string;
}

function defaultExpiry(course: TrainingCourse, completedOn: string): string | null {
  return course.validForMonths === null ? null : addMonths(completedOn, course.validForMonths);
}

function checkExpiry(completedOn: string, expiresOn: string | null): void {
  if (expiresOn !== null && expiresOn <= completedOn) throw badField('input.expiresOn', 'must be after completedOn');
}

async function checkNotRecorded(m: EntityManager, record: Pick<TrainingRecord, 'facilitatorId' | 'courseId' | 'completedOn'>, exceptId?: string): Promise<void> {
  const existing = await m.findOneBy(TrainingRecord, { facilitatorId: record.facilitatorId, courseId: record.courseId, completedOn: record.completedOn });
  if (existing && existing.id !== exceptId) {
    throw conflict('This completion is already recorded', [{ field: 'input.completedOn', message: 'the facilitator already has this course recorded on this day' }]);
  }
}

/**
 * Training is recorded and corrected by the facilitator's organisation's administrators (the
 * owner a facilitator's or a record's ID names): NOT_FOUND on `field` outside the caller's wall,
 * FORBIDDEN within it.
 */
function checkMayRecord(scope: AccessScope, id: string, typeName: string, field: string): void {
  const owner = visibleOwner(scope, id, typeName, field);
  if (!mayManage(scope, owner)) throw forbidden(`Only ${owner}'s administrators may record training`, field);
}

@Resolver(() => TrainingRecord)
export class TrainingRecordResolver {
  @FieldResolver(() => Facilitator)
  async facilitator(@Root() record: TrainingRecord, @Ctx() ctx: FacilitatorsContext): Promise<Facilitator> {
    return (await ctx.loaders.facilitator.load(record.facilitatorId)) as Facilitator;
  }

  @FieldResolver(() => TrainingCourse, { nullable: true, description: 'Null when the course is outside the caller\'s reach (another program\'s catalogue).' })
  course(@Root() record: TrainingRecord, @Ctx() ctx: FacilitatorsContext): Promise<TrainingCourse | null> {
    return ctx.loaders.course.load(record.courseId);
  }

  @Mutation(() => TrainingRecord, { description: 'Records that a facilitator completed a course. By the facilitator\'s organisation\'s administrators.' })
  recordTraining(@Arg('input') input: RecordTrainingInput, @Ctx() ctx: FacilitatorsContext): Promise<TrainingRecord> {
    checkRecordId(input.facilitatorId, 'fac', 'input.facilitatorId');
    checkRecordId(input.courseId, 'trc', 'input.courseId');
    checkNotFuture(input.completedOn, 'input.completedOn');
    checkMayRecord(ctx.scope, input.facilitatorId, 'Facilitator', 'input.facilitatorId');
    return inTransaction(ctx.db, async (m) => {
      const facilitator = await m.findOneBy(Facilitator, { id: input.facilitatorId });
      if (!facilitator || !mayReadFacilitatorsOf(ctx.scope, facilitator.organisationId)) {
        throw notFound('Facilitator', input.facilitatorId, 'input.facilitatorId');
      }
      const course = await courseFor(m, ctx.scope, input.courseId);
      if (!course || !mayReadCourse(ctx.scope, course)) throw notFound('TrainingCourse', input.courseId, 'input.courseId');
      const expiresOn = input.expiresOn ?? defaultExpiry(course, input.completedOn);
      checkExpiry(input.completedOn, expiresOn);
      await checkNotRecorded(m, { facilitatorId: facilitator.id, courseId: course.id, completedOn: input.completedOn });
      return m.save(
        TrainingRecord,
        m.create(TrainingRecord, {
          id: newId(facilitator.organisationId, 'trr'),
          organisationId: facilitator.organisationId,
          facilitatorId: facilitator.id,
          courseId: course.id,
          completedOn: input.completedOn,
          accreditationLevel: input.accreditationLevel,
          expiresOn,
        }),
      );
    });
  }

  @Mutation(() => TrainingRecord, { description: 'By the facilitator\'s organisation\'s administrators.' })
  updateTrainingRecord(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateTrainingRecordInput,
    @Ctx() ctx: FacilitatorsContext,
  ): Promise<TrainingRecord> {
    checkRecordId(id, 'trr', 'id');
    if (input.completedOn != null) checkNotFuture(input.completedOn, 'input.completedOn');
    checkMayRecord(ctx.scope, id, 'TrainingRecord', 'id');
    return inTransaction(ctx.db, async (m) => {
      const record = await m.findOne(TrainingRecord, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!record || !mayReadFacilitatorsOf(ctx.scope, record.organisationId)) throw notFound('TrainingRecord', id);
      if (input.accreditationLevel != null) record.accreditationLevel = input.accreditationLevel;
      if (input.completedOn != null && input.completedOn !== record.completedOn) {
        record.completedOn = input.completedOn;
        await checkNotRecorded(m, record, id);
        if (input.expiresOn == null) {
          const course = await courseFor(m, ctx.scope, record.courseId);
          if (!course || !mayReadCourse(ctx.scope, course)) throw badField('input.expiresOn', 'is needed: the course of this record is outside the caller\'s reach');
          record.expiresOn = defaultExpiry(course, record.completedOn);
        }
      }
      if (input.expiresOn != null) record.expiresOn = input.expiresOn;
      checkExpiry(record.completedOn, record.expiresOn);
      return m.save(TrainingRecord, record);
    });
  }
}
