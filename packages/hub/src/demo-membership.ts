import { CommunityMembership, CommunityMembershipRules, TrainingCourse } from '@hub/facilitators';
import { Region, RegionLevel } from '@hub/partners';
import { Community } from '@hub/sessions';
import { In, IsNull } from 'typeorm';
import type { Hub } from './hub';
import { insertAll } from './insert-all';

/** What each of the demo's national CoPs asks of its members (by CoP name; others get the default). */
const RULES: Record<string, { courses: [string, string][]; regions: 'any' | 'regional'; facilitatesOneIn: number | null }> = {
  'New facilitators CoP': { courses: [['Group facilitation foundations', 'FOUNDATION']], regions: 'any', facilitatesOneIn: null },
  'Regional and remote CoP': { courses: [['Group facilitation foundations', 'FOUNDATION']], regions: 'regional', facilitatesOneIn: 30 },
};
const DEFAULT_RULES = { courses: [['Group facilitation foundations', 'FOUNDATION']] as [string, string][], regions: 'any' as const, facilitatesOneIn: 30 };

/**
 * Example membership rules for the demo program's national communities of practice (issue 6):
 * required training, an accepted-region list (regions are the partners subgraph's hierarchy, so the
 * rule lists every accepted region itself), confidentiality, and a facilitation share. One member of
 * the first CoP has since withdrawn its confidentiality agreement, so `Community.ruleBreaches`
 * shows it. Writes through each subgraph's table-owner connection, after `seedDemo` has seeded the
 * program; does nothing when the CoPs already have rules. Returns counts for the seed's summary.
 */
export async function seedDemoMembershipRules(hub: Pick<Hub, 'subgraphs'>, options: { programId: string }): Promise<Record<string, number>> {
  const cops = await hub.subgraphs.sessions.dataSource
    .getRepository(Community)
    .find({ where: { programId: options.programId, kind: 'COMMUNITY_OF_PRACTICE' as Community['kind'] }, order: { name: 'ASC', id: 'ASC' } });
  const national = cops.filter((c) => c.organisationId === c.id.split('.')[0]);
  if (national.length === 0) return {};
  const facilitators = hub.subgraphs.facilitators.dataSource;
  if (await facilitators.getRepository(CommunityMembershipRules).existsBy({ communityId: In(national.map((c) => c.id)) })) return {};
  const courses = await facilitators.getRepository(TrainingCourse).findBy({ programId: options.programId });
  const courseId = (name: string) => courses.find((c) => c.name === name)?.id;
  const regions = await hub.subgraphs.partners.dataSource.getRepository(Region).find({ order: { id: 'ASC' } });
  // regional and remote: every region-level region (and its state, for facilitators recorded at state level)
  const regional = regions.filter((r) => r.level === RegionLevel.REGION || r.level === RegionLevel.STATE).map((r) => r.id);

  const rules: Partial<CommunityMembershipRules>[] = national.map((c) => {
    const plan = RULES[c.name] ?? DEFAULT_RULES;
    return {
      communityId: c.id,
      organisationId: c.organisationId,
      requiredTraining: plan.courses
        .map(([name, level]) => ({ courseId: courseId(name), minimumLevel: level }))
        .filter((r): r is CommunityMembershipRules['requiredTraining'][number] => r.courseId !== undefined),
      acceptedRegionIds: plan.regions === 'regional' ? regional : [],
      confidentialityRequired: true,
      facilitatesOneIn: plan.facilitatesOneIn,
    };
  });
  let withdrawn = 0;
  await facilitators.transaction(async (m) => {
    await insertAll(m, CommunityMembershipRules, rules);
    // a member who has since withdrawn its confidentiality agreement: reported in Community.ruleBreaches
    const member = await m.getRepository(CommunityMembership).findOne({ where: { communityId: national[0].id, leftOn: IsNull() }, order: { joinedOn: 'ASC', id: 'ASC' } });
    if (member) {
      await m.getRepository(CommunityMembership).update({ id: member.id }, { confidentialityAgreed: false });
      withdrawn = 1;
    }
  });
  return { membershipRules: rules.length, ruleBreachesSeeded: withdrawn };
}
