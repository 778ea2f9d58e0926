import { newId, newUntimedId } from '@hub/core';
import { Participation, participantHash, Poll, PollResponse } from '@hub/feedback';
import type { DataSource } from 'typeorm';
import { insertAll } from './insert-all';

/** A community of the demo with its sessions (in order) and who attended them. */
export interface FeedbackTarget {
  organisationId: string;
  communityId: string;
  sessions: { id: string; past: boolean; day: string; attendees: string[] }[];
  members: string[];
}

/**
 * Anonymous feedback for the demo: a quarterly check-in in every group ("is this group still
 * meeting your needs?", 1–5), a mid-year outcome rating, and a choice poll in each CoP session.
 * Answers come from that session's attendees, so small sessions show as suppressed.
 */
export async function seedDemoFeedback(
  ds: DataSource,
  options: { programId: string; targets: FeedbackTarget[]; random: () => number },
): Promise<Record<string, number>> {
  const { programId, random } = options;
  const polls: Partial<Poll>[] = [];
  const responses: Partial<PollResponse>[] = [];
  const participations: Partial<Participation>[] = [];

  const ask = (
    target: FeedbackTarget,
    session: FeedbackTarget['sessions'][number],
    poll: Pick<Poll, 'kind' | 'question' | 'answerType'> & { options?: string[] },
    answer: () => Partial<PollResponse>,
  ) => {
    const id = newId(target.organisationId, 'pol');
    polls.push({
      id,
      organisationId: target.organisationId,
      programId,
      sessionId: session.id,
      communityId: null,
      kind: poll.kind,
      question: poll.question,
      answerType: poll.answerType,
      options: poll.options ?? null,
      status: (session.past ? 'CLOSED' : 'OPEN') as Poll['status'],
      opensAt: null,
      closesAt: null,
    });
    if (!session.past) return;
    const hashes: string[] = [];
    for (const ref of session.attendees) {
      if (random() < 0.15) continue; // not everyone answers
      hashes.push(participantHash(id, ref));
      responses.push({ id: newUntimedId(target.organisationId, 'rsp'), pollId: id, submittedOn: session.day, choice: null, rating: null, text: null, ...answer() });
    }
    if (hashes.length) participations.push({ pollId: id, hashes: hashes.sort() });
  };
  const rating = (skew: number) => () => ({ rating: Math.max(1, Math.min(5, Math.round(3 + skew + (random() - 0.5) * 2.4))) });

  for (const target of options.targets) {
    const isCop = target.organisationId === 'prc';
    target.sessions.forEach((session, i) => {
      if (isCop) {
        ask(target, session, { kind: 'POLL' as Poll['kind'], question: 'Which topic should we take up next time?', answerType: 'CHOICE' as Poll['answerType'], options: ['Engaging families', 'Online facilitation', 'Self-care', 'Working with schools'] }, () => ({
          choice: Math.floor(random() * 4),
        }));
      } else if (i === 11 || i === 22) {
        // outcome ratings mid-year and at the end (checked first: 11 is also a check-in session)
        ask(target, session, { kind: 'OUTCOME' as Poll['kind'], question: 'Since joining, how connected do you feel to other parents?', answerType: 'RATING' as Poll['answerType'] }, rating(i === 11 ? 0.8 : 1.1));
      } else if (i % 6 === 5) {
        ask(target, session, { kind: 'CHECK_IN' as Poll['kind'], question: 'Is this group still meeting your needs?', answerType: 'RATING' as Poll['answerType'] }, rating(0.8 - i * 0.02));
      }
    });
  }
  // answers carry the day of their session, not the day of seeding
  await ds.transaction(async (m) => {
    await insertAll(m, Poll, polls);
    await insertAll(m, PollResponse, responses);
    await insertAll(m, Participation, participations);
  });
  return { polls: polls.length, feedbackResponses: responses.length };
}
