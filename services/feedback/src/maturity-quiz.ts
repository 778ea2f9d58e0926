import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

/**
 * The stages of development of a community of practice (Wenger, McDermott and Snyder), as in the
 * sessions subgraph's `Community.maturityStage` (the stage an administrator sets); same name and
 * values, so the two subgraphs share one enum in the supergraph.
 */
export enum MaturityStage {
  POTENTIAL = 'POTENTIAL',
  COALESCING = 'COALESCING',
  MATURING = 'MATURING',
  STEWARDSHIP = 'STEWARDSHIP',
  TRANSFORMATION = 'TRANSFORMATION',
}
registerEnumType(MaturityStage, { name: 'MaturityStage', description: 'Stages of development of a community of practice.' });

/** One question of the quiz: five options, scored 1 (an early stage) to 5 (a late one), in that order. */
export interface QuizQuestion {
  text: string;
  /** The option scored `i + 1` is `options[i]`. */
  options: [string, string, string, string, string];
}

/**
 * The two-minute maturity quiz ("Just getting started or already have a CoP up and running? Take
 * this 2-minute quiz to discover which stage you're in"): six questions on the CoP maturity model's
 * concerns (purpose, meeting, leadership, shared practice, value, checking in with members).
 * Fixed: assessments are comparable over time only while the questions stay the same.
 */
export const MATURITY_QUESTIONS: readonly QuizQuestion[] = [
  {
    text: 'How clear and shared is the community\'s purpose?',
    options: [
      'People share an interest, but there is no group or purpose yet',
      'We have met and are exploring what we could do together',
      'An agreed purpose and terms of reference guide what we do',
      'We review the purpose with members regularly and it still fits',
      'Our purpose reaches beyond the group: it shapes practice across organisations',
    ],
  },
  {
    text: 'How does the community meet?',
    options: [
      'We have not met regularly yet',
      'Some meetings; attendance depends on a few enthusiasts',
      'Regular meetings with a stable core of members',
      'Regular meetings; new members join and participation holds up over time',
      'The community runs itself and draws people from across the system',
    ],
  },
  {
    text: 'Who leads and facilitates?',
    options: [
      'One person or an outside organisation drives everything',
      'A small founding group organises things',
      'Members take turns facilitating sessions',
      'Leadership is shared and members look after the community\'s resources',
      'Members mentor other communities or lead change beyond this one',
    ],
  },
  {
    text: 'What practice and knowledge do members share?',
    options: [
      'Nothing shared yet',
      'Stories and ideas, informally',
      'We record learnings and build shared tools',
      'A body of shared knowledge is kept up to date and used',
      'What we produced is adopted as practice elsewhere',
    ],
  },
  {
    text: 'What value does the community bring?',
    options: [
      'It is not yet clear what it would bring',
      'Members see its potential',
      'Members can name ways it improved their practice',
      'Outcomes are measured and shared with members and organisations',
      'It changes how organisations work or how the system responds',
    ],
  },
  {
    text: 'How do you check the community still meets a need?',
    options: [
      'We have not asked members what they need',
      'We asked once, while setting up',
      'We check in now and then',
      'Regular check-ins, and we act on what they show',
      'Members\' feedback redesigns the community and informs others',
    ],
  },
];

/**
 * The stage from the mean score m of the answers (1 to 5), in five equal bands of 0.8:
 * m < 1.8 POTENTIAL; 1.8 ≤ m < 2.6 COALESCING; 2.6 ≤ m < 3.4 MATURING; 3.4 ≤ m < 4.2 STEWARDSHIP;
 * m ≥ 4.2 TRANSFORMATION. The mean is rounded to 2 decimals first (as stored).
 */
export const STAGE_BANDS: readonly { stage: MaturityStage; from: number; to: number | null; description: string }[] = [
  { stage: MaturityStage.POTENTIAL, from: 1, to: 1.8, description: 'People face similar situations and could benefit from a community; they are finding each other.' },
  { stage: MaturityStage.COALESCING, from: 1.8, to: 2.6, description: 'Members come together, recognise the potential and explore a shared purpose and format.' },
  { stage: MaturityStage.MATURING, from: 2.6, to: 3.4, description: 'The community meets regularly, sets its focus and boundaries, and builds shared practice.' },
  { stage: MaturityStage.STEWARDSHIP, from: 3.4, to: 4.2, description: 'The community sustains itself: shared leadership, renewal, and regular checks that it still meets a need.' },
  { stage: MaturityStage.TRANSFORMATION, from: 4.2, to: null, description: 'The community shapes practice beyond itself, or transforms into something new.' },
];

/** Mean of the answers, rounded to 2 decimals. */
export function maturityScore(answers: readonly number[]): number {
  return Math.round((answers.reduce((s, a) => s + a, 0) / answers.length) * 100) / 100;
}

export function stageOf(score: number): MaturityStage {
  return (STAGE_BANDS.find((b) => b.to === null || score < b.to) ?? STAGE_BANDS[STAGE_BANDS.length - 1]).stage;
}

@ObjectType({ description: 'An answer option of the maturity quiz; submit its score.' })
export class MaturityQuizOption {
  @Field(() => Int, { description: '1 (an early stage) to 5 (a late one).' })
  score: number;

  @Field()
  label: string;
}

@ObjectType({ description: 'A question of the maturity quiz.' })
export class MaturityQuizQuestion {
  @Field(() => Int, { description: 'Its position, from 1.' })
  number: number;

  @Field()
  text: string;

  @Field(() => [MaturityQuizOption], { description: 'Five options, scored 1 to 5, in that order.' })
  options: MaturityQuizOption[];
}

@ObjectType({ description: 'The scores placing a community at a stage: from minScore (inclusive) up to maxScore (exclusive; none for the last stage).' })
export class MaturityStageBand {
  @Field(() => MaturityStage)
  stage: MaturityStage;

  @Field(() => Float)
  minScore: number;

  @Field(() => Float, { nullable: true })
  maxScore: number | null;

  @Field()
  description: string;
}

@ObjectType({
  description:
    'The two-minute maturity quiz of a community of practice: answer every question with an option\'s score; the mean of the scores ' +
    '(rounded to 2 decimals) places the community at a stage by the bands in `stages`.',
})
export class MaturityQuiz {
  @Field(() => [MaturityQuizQuestion])
  questions: MaturityQuizQuestion[];

  @Field(() => [MaturityStageBand])
  stages: MaturityStageBand[];
}

export function maturityQuiz(): MaturityQuiz {
  return Object.assign(new MaturityQuiz(), {
    questions: MATURITY_QUESTIONS.map((q, i) =>
      Object.assign(new MaturityQuizQuestion(), {
        number: i + 1,
        text: q.text,
        options: q.options.map((label, j) => Object.assign(new MaturityQuizOption(), { score: j + 1, label })),
      }),
    ),
    stages: STAGE_BANDS.map((b) => Object.assign(new MaturityStageBand(), { stage: b.stage, minScore: b.from, maxScore: b.to, description: b.description })),
  });
}
