import { assertManage, badField, inTransaction, newId, notFound, recordIdPattern } from '@hub/core';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsInt, IsOptional, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import { Community, DEFAULT_FORMAT_PHASES, MeetingMode } from './community.entity';
import type { SessionsContext } from './context';
import { Session, SessionStatus } from './session.entity';
import { SessionFacilitator } from './session-facilitator.entity';
import { publishSessionChange } from './session-events';
import { readable } from './wall';

export enum SessionCadence {
  WEEKLY = 'WEEKLY',
  FORTNIGHTLY = 'FORTNIGHTLY',
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
}
registerEnumType(SessionCadence, {
  name: 'SessionCadence',
  description: 'How often a planned program meets. MONTHLY and QUARTERLY keep the day of the month (the last day when a month is shorter).',
});

@ObjectType({ description: 'A built-in pattern for a session program: a client fills planSessionProgram\'s input from it, and the members change what they like.' })
export class SessionTemplate {
  @Field(() => ID)
  key: string;

  @Field()
  name: string;

  @Field()
  description: string;

  @Field(() => [String], { description: 'The phases each session runs through.' })
  formatPhases: string[];

  @Field(() => [String], { description: 'One suggested topic per session, in order.' })
  suggestedTopics: string[];

  @Field(() => SessionCadence)
  suggestedCadence: SessionCadence;

  @Field(() => Int)
  suggestedLengthMinutes: number;
}

/** The templates, in the words of the source documents (docs: ../shared/seeds/000 and 003). */
export const SESSION_TEMPLATES: SessionTemplate[] = [
  {
    key: 'seven-session-share-discuss-apply',
    name: 'Seven-session CoP: Share, Discuss, Apply',
    description:
      'A seven-session program planned after a co-design session, one topic at a time. In each session members share, discuss and apply; members take turns to facilitate a session on something their team wants feedback or support on.',
    formatPhases: [...DEFAULT_FORMAT_PHASES],
    suggestedTopics: [
      'Purpose, scope and expectations of our CoP',
      'Planning a community engagement project',
      'Mapping upcoming engagements to avoid duplication and community fatigue',
      'Choosing formats and methods for engagement',
      'Collecting data and anonymous feedback',
      'Reporting back to the community',
      'Reviewing our CoP: outcomes, achievements and what next',
    ],
    suggestedCadence: SessionCadence.MONTHLY,
    suggestedLengthMinutes: 90,
  },
  {
    key: 'quarterly-facilitator-cop',
    name: 'Quarterly facilitator CoP',
    description:
      'A facilitator Community of Practice meeting online four times a year, where facilitators share successes, challenges and ideas, and the program manager hears directly from them.',
    formatPhases: [...DEFAULT_FORMAT_PHASES],
    suggestedTopics: [
      'Successes and challenges this quarter',
      'Practice challenges: coaching and peer support',
      'Ideas to strengthen our groups',
      'What the program could improve: hearing from facilitators',
    ],
    suggestedCadence: SessionCadence.QUARTERLY,
    suggestedLengthMinutes: 90,
  },
];

const FACILITATOR_ID = recordIdPattern('fac');
const DAY = 86_400_000;

@InputType({ description: 'A program of sessions for a community, one per topic, from firstStartsAt at the chosen cadence. Give cadence or cadenceDays.' })
export class PlanSessionProgramInput {
  @Field(() => ID)
  @Matches(recordIdPattern('com'), { message: 'must be a community ID' })
  communityId: string;

  @Field(() => [String], { description: 'One topic per session, in order (the members\' learning priorities).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(52)
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  topics: string[];

  @Field({ description: 'When the first session starts.' })
  firstStartsAt: Date;

  @Field(() => SessionCadence, { nullable: true })
  @IsOptional()
  cadence?: SessionCadence | null;

  @Field(() => Int, { nullable: true, description: 'Days between sessions, instead of cadence.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  cadenceDays?: number | null;

  @Field(() => Int, { description: 'How long each session lasts.' })
  @IsInt()
  @Min(15)
  @Max(720)
  lengthMinutes: number;

  @Field(() => [String], { nullable: true, description: 'The community\'s format phases unless given (Share, Discuss, Apply by default).' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique()
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  formatPhases?: string[] | null;

  @Field(() => [ID], { defaultValue: [], description: 'Facilitation rotates through them: session n is led by the n-th (round and round).' })
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(FACILITATOR_ID, { each: true, message: 'must be facilitator IDs' })
  facilitatorIds: string[];

  @Field(() => Int, { defaultValue: 1, description: 'How many of facilitatorIds facilitate each session (the lead and the next ones in turn).' })
  @IsInt()
  @Min(1)
  @Max(5)
  facilitatorsPerSession: number;

  @Field(() => MeetingMode, { nullable: true, description: 'The community\'s mode unless given.' })
  mode?: MeetingMode | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(300)
  location?: string | null;
}

/** The start of session `n` (0-based) of a program. */
export function nthStart(first: Date, n: number, cadence: SessionCadence | null | undefined, cadenceDays: number | null | undefined): Date {
  const days = cadence === SessionCadence.WEEKLY ? 7 : cadence === SessionCadence.FORTNIGHTLY ? 14 : cadenceDays;
  if (days) return new Date(first.getTime() + n * days * DAY);
  const months = (cadence === SessionCadence.QUARTERLY ? 3 : 1) * n;
  const y = first.getUTCFullYear();
  const m = first.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(first.getUTCDate(), lastDay), first.getUTCHours(), first.getUTCMinutes(), first.getUTCSeconds(), first.getUTCMilliseconds()));
}

@Resolver()
export class SessionProgramResolver {
  @Query(() => [SessionTemplate], { description: 'Built-in session program templates, e.g. the seven-session Share, Discuss, Apply program.' })
  sessionTemplates(): SessionTemplate[] {
    return SESSION_TEMPLATES.map((t) => Object.assign(new SessionTemplate(), t));
  }

  @Mutation(() => [Session], {
    description: 'Schedules a program of sessions for a community in one go, one per topic, at the chosen cadence and length, facilitation rotating through facilitatorIds. For the administrators of the community\'s organisation.',
  })
  planSessionProgram(@Arg('input') input: PlanSessionProgramInput, @Ctx() ctx: SessionsContext): Promise<Session[]> {
    if ((input.cadence ? 1 : 0) + (input.cadenceDays ? 1 : 0) !== 1) throw badField('input.cadence', 'give either cadence or cadenceDays');
    if (input.facilitatorIds.length && input.facilitatorsPerSession > input.facilitatorIds.length) {
      throw badField('input.facilitatorsPerSession', 'is more than the facilitators given');
    }
    return inTransaction(ctx.db, async (m) => {
      const community = readable(ctx.scope, await m.findOneBy(Community, { id: input.communityId }));
      if (!community) throw notFound('Community', input.communityId, 'input.communityId');
      assertManage(ctx.scope, community.organisationId, 'input.communityId');
      const n = input.facilitatorIds.length;
      const sessions = input.topics.map((topic, i) => {
        const startsAt = nthStart(input.firstStartsAt, i, input.cadence, input.cadenceDays);
        return m.create(Session, {
          id: newId(community.organisationId, 'ses'),
          communityId: community.id,
          organisationId: community.organisationId,
          programId: community.programId,
          topic,
          startsAt,
          endsAt: new Date(startsAt.getTime() + input.lengthMinutes * 60_000),
          mode: input.mode ?? community.mode,
          location: input.location ?? null,
          status: SessionStatus.SCHEDULED,
          formatPhases: input.formatPhases ?? community.formatPhases,
          currentPhase: null,
          unidentifiedAttendees: 0,
        });
      });
      await m.insert(Session, sessions);
      const saved = sessions;
      const rota = saved.flatMap((s, i) =>
        n ? Array.from({ length: input.facilitatorsPerSession }, (_, k) => ({ sessionId: s.id, facilitatorId: input.facilitatorIds[(i + k) % n], position: k })) : [],
      );
      if (rota.length) await m.insert(SessionFacilitator, rota);
      for (const s of saved) await publishSessionChange(m, s);
      return saved;
    });
  }
}
