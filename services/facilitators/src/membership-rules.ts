import type { CommunityMembershipRules } from './membership-rules.entity';
import { MembershipRule } from './membership-rules.entity';
import { AccreditationLevel, type TrainingRecord } from './training-record.entity';

/** Accreditation levels from lowest to highest. */
export const LEVEL_ORDER: readonly AccreditationLevel[] = [
  AccreditationLevel.FOUNDATION,
  AccreditationLevel.PRACTITIONER,
  AccreditationLevel.ADVANCED,
  AccreditationLevel.TRAINER,
];

export const levelRank = (level: AccreditationLevel): number => LEVEL_ORDER.indexOf(level);

/** Is the record current on `day`: completed by then and not yet expired (expiresOn is the first day it no longer is)? */
export function isCurrentOn(record: Pick<TrainingRecord, 'completedOn' | 'expiresOn'>, day: string): boolean {
  return record.completedOn <= day && (record.expiresOn === null || record.expiresOn > day);
}

/** The highest accreditation level among the records current on `day`; null when none is. */
export function highestCurrentLevel(records: readonly TrainingRecord[], day: string): AccreditationLevel | null {
  let best: AccreditationLevel | null = null;
  for (const r of records) {
    if (isCurrentOn(r, day) && (best === null || levelRank(r.accreditationLevel) > levelRank(best))) best = r.accreditationLevel;
  }
  return best;
}

/** One broken rule and why, in words a person can act on. */
export interface Breach {
  rule: MembershipRule;
  reason: string;
  /** The course, for a training rule. */
  courseId: string | null;
}

/** What is checked of a (would-be) member. */
export interface Candidate {
  regionId: string | null;
  confidentialityAgreed: boolean;
  records: readonly TrainingRecord[];
}

const MAX_LISTED_REGIONS = 8;

function regionList(ids: readonly string[]): string {
  const shown = ids.slice(0, MAX_LISTED_REGIONS).join(', ');
  return ids.length > MAX_LISTED_REGIONS ? `${shown} and ${ids.length - MAX_LISTED_REGIONS} more` : shown;
}

/**
 * The rules `candidate` breaks on `day` (the joining day, or today for current members). The
 * facilitation share is not checked here: who facilitated which session is the sessions
 * subgraph's record.
 */
export function breachesOf(rules: CommunityMembershipRules | null, candidate: Candidate, day: string, courseName: (courseId: string) => string): Breach[] {
  if (!rules) return [];
  const breaches: Breach[] = [];
  for (const required of rules.requiredTraining) {
    const name = courseName(required.courseId);
    const wanted = `${name} (${required.minimumLevel} or above)`;
    const ofCourse = candidate.records.filter((r) => r.courseId === required.courseId && r.completedOn <= day);
    const atLevel = ofCourse.filter((r) => levelRank(r.accreditationLevel) >= levelRank(required.minimumLevel));
    if (atLevel.some((r) => isCurrentOn(r, day))) continue;
    let reason: string;
    if (atLevel.length > 0) {
      const lastExpiry = atLevel.map((r) => r.expiresOn as string).sort().at(-1);
      reason = `has completed ${wanted}, but it expired on ${lastExpiry}`;
    } else if (ofCourse.length > 0) {
      const best = ofCourse.reduce((a, b) => (levelRank(b.accreditationLevel) > levelRank(a.accreditationLevel) ? b : a));
      reason = `has completed ${name} only at ${best.accreditationLevel}; ${required.minimumLevel} or above is required`;
    } else {
      reason = `has not completed ${wanted}`;
    }
    breaches.push({ rule: MembershipRule.TRAINING, reason, courseId: required.courseId });
  }
  if (rules.acceptedRegionIds.length > 0 && !(candidate.regionId && rules.acceptedRegionIds.includes(candidate.regionId))) {
    const accepted = regionList(rules.acceptedRegionIds);
    breaches.push({
      rule: MembershipRule.REGION,
      reason: candidate.regionId
        ? `works in ${candidate.regionId}, which is not a region this community accepts (${accepted})`
        : `has no region recorded; this community accepts members working in ${accepted}`,
      courseId: null,
    });
  }
  if (rules.confidentialityRequired && !candidate.confidentialityAgreed) {
    breaches.push({ rule: MembershipRule.CONFIDENTIALITY, reason: 'has not agreed to keep what is shared in this community confidential', courseId: null });
  }
  return breaches;
}
