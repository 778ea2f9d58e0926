import { randomBytes } from 'node:crypto';
import { newId, newUntimedId, ownerOf } from '@hub/core';
import { ConfidencePair, MATURITY_QUESTIONS, MaturityAssessment, maturityScore, pairCode, Participation, participantHash, Poll, PollResponse, stageOf } from '@hub/feedback';
import type { DataSource } from 'typeorm';
import type { FeedbackTarget } from './demo-feedback';
import { insertAll } from './insert-all';

const DAY = 86_400_000;

/**
 * Stage paths of the demo's national CoPs, oldest assessment first: the first two end at
 * MATURING and the others at COALESCING, the stages demo-seed.ts gives their `maturityStage`.
 * Each number is the mean score aimed at (see STAGE_BANDS in @hub/feedback).
 */
const PATHS: number[][] = [
  [1.5, 2.2, 3.0],
  [2.2, 3.2],
  [1.3, 2.0, 2.3],
  [1.5, 2.3],
  [1.2, 1.7, 2.2],
];

/**
 * Maturity quiz assessments and a confidence before/after pair for the demo, written straight
 * into the feedback database (as its owner, like demo-feedback.ts):
 * - every national CoP (the targets owned by `nationalOrganisationId`) assessed two or three times
 *   over the past year by one of its member facilitators, its stage rising;
 * - a confidence pair ("How confident do you feel facilitating with parents of children with
 *   additional needs?") in the past CoP session with the most attendees, every attendee answering
 *   before and after, each answer carrying its anonymous pairing code (from a random code per
 *   attendee, as their device would hold it), so the change shows.
 * `random` as in seedDemoFeedback (demo-plan's seededRandom), `now` the seed's day.
 */
export async function seedDemoMaturity(
  ds: DataSource,
  options: { programId: string; nationalOrganisationId: string; targets: FeedbackTarget[]; random: () => number; now?: Date },
): Promise<Record<string, number>> {
  const { programId, random } = options;
  const now = options.now ?? new Date();
  const cops = options.targets.filter((t) => t.organisationId === options.nationalOrganisationId);

  const assessments: Partial<MaturityAssessment>[] = [];
  cops.forEach((cop, c) => {
    const path = PATHS[c % PATHS.length];
    path.forEach((target, i) => {
      // answers spread around the target mean, each 1 to 5
      const answers = MATURITY_QUESTIONS.map((_, q) => Math.max(1, Math.min(5, Math.round(target + ((q % 3) - 1) * 0.6 + (random() - 0.5) * 0.6))));
      const score = maturityScore(answers);
      const assessor = cop.members.length ? cop.members[(c + i) % cop.members.length] : null;
      assessments.push({
        id: newId(cop.organisationId, 'mat'),
        organisationId: cop.organisationId,
        communityId: cop.communityId,
        answers,
        score,
        stage: stageOf(score),
        assessedByOrganisationId: (assessor && ownerOf(assessor)) || cop.organisationId,
        assessedByFacilitatorId: assessor,
        assessedBySubject: assessor ?? 'demo-seed',
        // roughly every four months, the latest a few weeks ago
        assessedAt: new Date(now.getTime() - ((path.length - 1 - i) * 120 + 20 + c) * DAY),
      });
    });
  });

  const polls: Partial<Poll>[] = [];
  const pairs: Partial<ConfidencePair>[] = [];
  const responses: Partial<PollResponse>[] = [];
  const participations: Partial<Participation>[] = [];
  const candidates = cops.flatMap((cop) => cop.sessions.filter((s) => s.past).map((s) => ({ cop, session: s })));
  const best = candidates.sort((a, b) => b.session.attendees.length - a.session.attendees.length)[0];
  if (best && best.session.attendees.length >= 5) {
    const { cop, session } = best;
    const question = 'How confident do you feel facilitating with parents of children with additional needs?';
    const poll = (): Partial<Poll> => ({
      id: newId(cop.organisationId, 'pol'),
      organisationId: cop.organisationId,
      programId,
      sessionId: session.id,
      communityId: null,
      kind: 'CONFIDENCE' as Poll['kind'],
      question,
      answerType: 'RATING' as Poll['answerType'],
      options: null,
      status: 'CLOSED' as Poll['status'],
      opensAt: null,
      closesAt: null,
    });
    const [before, after] = [poll(), poll()];
    polls.push(before, after);
    const pairId = newId(cop.organisationId, 'cfp');
    pairs.push({ id: pairId, organisationId: cop.organisationId, programId, sessionId: session.id, communityId: null, question, beforePollId: before.id, afterPollId: after.id });
    // everyone present answers both (a few answers without a partner would withhold the change);
    // most feel a little more confident after
    const ratings = session.attendees.map(() => {
      const first = 2 + Math.floor(random() * 2);
      return [first, Math.min(5, first + (random() < 0.75 ? 1 + Math.floor(random() * 2) : 0))];
    });
    // each attendee's pairing code, as their device would generate and keep it: random (not from
    // `random`, so it cannot be recomputed from the seed), sent with both answers, then forgotten here
    const deviceCodes = session.attendees.map(() => randomBytes(32).toString('base64url'));
    for (const [pollId, phase] of [[before.id as string, 0], [after.id as string, 1]] as const) {
      participations.push({ pollId, hashes: session.attendees.map((ref) => participantHash(pollId, ref)).sort() });
      session.attendees.forEach((_ref, i) => {
        responses.push({ id: newUntimedId(cop.organisationId, 'rsp'), pollId, submittedOn: session.day, choice: null, rating: ratings[i][phase], text: null, pairCode: pairCode(pairId, deviceCodes[i]) });
      });
    }
  }
  // stored in no particular order: the order of attendees must not show in the order of answers
  for (let i = responses.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [responses[i], responses[j]] = [responses[j], responses[i]];
  }

  await ds.transaction(async (m) => {
    await insertAll(m, MaturityAssessment, assessments);
    await insertAll(m, Poll, polls);
    await insertAll(m, ConfidencePair, pairs);
    await insertAll(m, PollResponse, responses);
    await insertAll(m, Participation, participations);
  });
  return { maturityAssessments: assessments.length, confidencePairs: pairs.length, confidenceAnswers: responses.length };
}
