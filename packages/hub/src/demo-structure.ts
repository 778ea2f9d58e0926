import { newId } from '@hub/core';
import { Community, CommunityDocument, CommunityResource, nthStart, Session, SessionCadence, SessionFacilitator, SessionLearning, SESSION_TEMPLATES } from '@hub/sessions';
import type { Hub } from './hub';
import { insertAll } from './insert-all';

/** The co-designed community the seed adds; its presence means the structure demo is there already. */
export const DEMO_STRUCTURE_COMMUNITY = 'Engagement practitioners CoP (co-designed)';

const DAY = 86_400_000;

export interface DemoStructureSummary {
  communityId: string | null;
  counts: Record<string, number>;
}

const LEARNINGS = [
  { text: 'Mapping upcoming engagements showed two teams were about to survey the same families: coordinating the asks avoids community fatigue.', tags: ['mapping', 'fatigue'] },
  { text: 'Keep each session to one topic at a time; the Apply phase works best when everyone names one thing to try before next time.', tags: ['format'] },
  { text: 'Anonymous polls at the start of a session surfaced confidence levels people would not say out loud.', tags: ['feedback', 'confidence'] },
  { text: 'Reporting back to the community what changed because of their input kept people coming to later sessions.', tags: ['reporting'] },
  { text: 'Early-career staff valued hearing how experienced colleagues handle difficult conversations in groups.', tags: ['mentoring'] },
  { text: 'Online groups stay lively when facilitators rotate and each brings a short story to share.', tags: ['online', 'facilitation'] },
];

const RESOURCES = [
  { title: 'Community engagement plan template', url: 'https://example.org/resources/engagement-plan', description: 'A template for planning an engagement project, used across the seven-session program.', tags: ['planning'] },
  { title: 'Engagement mapping canvas', url: 'https://example.org/resources/mapping', description: 'For mapping upcoming engagements across teams and spotting overlaps before they cause community fatigue.', tags: ['mapping'] },
  { title: 'Share, Discuss, Apply session plan', url: null, description: 'A one-page plan for running a session in three phases, with timings for a 90-minute meeting.', tags: ['format'] },
  { title: 'Anonymous check-in questions', url: null, description: 'Questions for regular check-ins: is the CoP still meeting your needs?', tags: ['feedback'] },
];

/**
 * Seeds examples of co-design and structure (issue 6 items 1 and 8) into the sessions database,
 * through its owner connection, unless they are there already:
 * - a partner's co-designed community of practice with purpose, scope and expectations, its terms
 *   of reference and code of practice in two versions each, and a seven-session 'Share, Discuss,
 *   Apply' program from the template, fortnightly, its first three sessions held;
 * - learnings recorded at those held sessions and at the national CoPs' held sessions;
 * - resources shared in the new community and in the national CoPs.
 * Needs the demo program seeded first (`seedDemo`): it builds on its partners, CoPs and sessions.
 */
export async function seedDemoStructure(hub: Pick<Hub, 'subgraphs'>, programId: string, now = new Date()): Promise<DemoStructureSummary> {
  const ds = hub.subgraphs.sessions.dataSource;
  const existing = await ds.getRepository(Community).findOneBy({ programId, name: DEMO_STRUCTURE_COMMUNITY });
  if (existing) return { communityId: existing.id, counts: {} };

  // the partner with the most groups hosts the co-designed CoP; its group facilitators rotate through it
  const [host] = (await ds.query(
    `SELECT organisation_id AS id FROM community WHERE program_id = $1 AND kind = 'GROUP' GROUP BY organisation_id ORDER BY count(*) DESC, organisation_id LIMIT 1`,
    [programId],
  )) as { id: string }[];
  if (!host) return { communityId: null, counts: {} };
  const rota = ((await ds.query(
    `SELECT DISTINCT sf.facilitator_id AS id FROM session_facilitator sf JOIN session s ON s.id = sf.session_id
     WHERE s.organisation_id = $1 AND s.program_id = $2 ORDER BY sf.facilitator_id LIMIT 3`,
    [host.id, programId],
  )) as { id: string }[]).map((r) => r.id);
  const nationalCops = await ds.getRepository(Community).find({ where: { programId, kind: 'COMMUNITY_OF_PRACTICE' as Community['kind'] }, order: { name: 'ASC' } });

  const template = SESSION_TEMPLATES.find((t) => t.key === 'seven-session-share-discuss-apply') ?? SESSION_TEMPLATES[0];
  const adminSubject = `partner-admin@${host.id}`;
  const facilitatorSubject = (id: string) => `facilitator:${id}`;
  const at = (daysAgo: number) => new Date(Math.floor((now.getTime() - daysAgo * DAY) / 1000) * 1000);

  const terms = [
    'The CoP is a peer-led network for officer-level staff who plan and deliver community engagement. It meets online.',
    'The CoP is a peer-led network for officer-level staff who plan and deliver community engagement. It meets online every fortnight for 90 minutes; members take turns to facilitate a session on something their team wants feedback or support on.',
  ];
  const code = [
    'We respect each other\'s experience. What is shared in the CoP stays in the CoP.',
    'We respect each other\'s experience. What is shared in the CoP stays in the CoP unless the person agrees. We share our own learnings and tools, we share the facilitation workload, and we give anonymous feedback through regular check-ins.',
  ];
  const community: Partial<Community> = {
    id: newId(host.id, 'com'),
    organisationId: host.id,
    programId,
    kind: 'COMMUNITY_OF_PRACTICE' as Community['kind'],
    tier: null,
    name: DEMO_STRUCTURE_COMMUNITY,
    purpose: 'Build staff capability and confidence in planning and delivering community engagement, peer to peer.',
    scope: 'Planning, delivering and reporting back on community engagement across our teams; mapping upcoming engagements to avoid duplication. Not a decision-making body.',
    expectations: 'Come when you can and tell us when you cannot; take a turn to facilitate; keep it simple; give feedback at check-ins.',
    termsOfReference: terms[1],
    codeOfPractice: code[1],
    cadence: 'fortnightly',
    mode: 'ONLINE' as Community['mode'],
    regionId: null,
    maturityStage: 'COALESCING' as Community['maturityStage'],
    formatPhases: template.formatPhases,
  };
  const documents: Partial<CommunityDocument>[] = [];
  const version = (kind: 'TERMS_OF_REFERENCE' | 'CODE_OF_PRACTICE', v: number, text: string, changedBy: string, changeNote: string, changedAt: Date) =>
    documents.push({ id: newId(host.id, 'doc'), communityId: community.id, organisationId: host.id, programId, kind: kind as CommunityDocument['kind'], version: v, text, changeNote, changedBy, changedAt });
  version('TERMS_OF_REFERENCE', 1, terms[0], adminSubject, 'Drafted after the co-design session', at(60));
  version('TERMS_OF_REFERENCE', 2, terms[1], adminSubject, 'Meeting length, frequency and rotating facilitation agreed by the group', at(50));
  version('CODE_OF_PRACTICE', 1, code[0], adminSubject, 'Drafted after the co-design session', at(60));
  version('CODE_OF_PRACTICE', 2, code[1], rota[0] ? facilitatorSubject(rota[0]) : adminSubject, 'Behaviours, values and commitments added by members', at(45));

  // the seven-session program: fortnightly, 90 minutes, its first three sessions held
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23, 0) - 6 * 7 * DAY);
  const sessions: Partial<Session>[] = [];
  const sessionFacilitators: Partial<SessionFacilitator>[] = [];
  template.suggestedTopics.forEach((topic, i) => {
    const startsAt = nthStart(first, i, SessionCadence.FORTNIGHTLY, null);
    const endsAt = new Date(startsAt.getTime() + template.suggestedLengthMinutes * 60_000);
    const id = newId(host.id, 'ses');
    sessions.push({
      id,
      communityId: community.id,
      organisationId: host.id,
      programId,
      topic,
      startsAt,
      endsAt,
      mode: community.mode,
      location: null,
      status: (endsAt.getTime() < now.getTime() ? 'ENDED' : 'SCHEDULED') as Session['status'],
      formatPhases: template.formatPhases,
      currentPhase: null,
      unidentifiedAttendees: 0,
    });
    if (rota.length) sessionFacilitators.push({ sessionId: id, facilitatorId: rota[i % rota.length], position: 0 });
  });

  // learnings at held sessions: the new CoP's, and the national CoPs' first held ones
  const held = sessions.filter((s) => s.status === 'ENDED').map((s) => ({ id: s.id as string, organisationId: host.id, endsAt: s.endsAt as Date, by: sessionFacilitators.find((f) => f.sessionId === s.id)?.facilitatorId }));
  const nationalHeld = nationalCops.length
    ? ((await ds.query(
        `SELECT DISTINCT ON (s.community_id) s.id, s.organisation_id AS "organisationId", s.ends_at AS "endsAt", sf.facilitator_id AS by
         FROM session s LEFT JOIN session_facilitator sf ON sf.session_id = s.id AND sf.position = 0
         WHERE s.community_id = ANY ($1) AND s.status = 'ENDED' ORDER BY s.community_id, s.starts_at`,
        [nationalCops.map((c) => c.id)],
      )) as { id: string; organisationId: string; endsAt: Date; by: string | null }[])
    : [];
  const learnings: Partial<SessionLearning>[] = [...held, ...nationalHeld].map((s, i) => ({
    id: newId(s.organisationId, 'lrn'),
    sessionId: s.id,
    organisationId: s.organisationId,
    text: LEARNINGS[i % LEARNINGS.length].text,
    tags: LEARNINGS[i % LEARNINGS.length].tags,
    recordedBy: s.by ? facilitatorSubject(s.by) : adminSubject,
    recordedAt: new Date(Math.floor(new Date(s.endsAt).getTime() / 1000) * 1000 + 3_600_000),
  }));

  // resources: the host shares its templates in its CoP and in the first national CoP
  const resources: Partial<CommunityResource>[] = RESOURCES.map((r, i) => {
    const target = i % 2 === 1 && nationalCops[0] ? nationalCops[0] : (community as Community);
    return {
      id: newId(host.id, 'res'),
      communityId: target.id,
      communityOrganisationId: target.organisationId,
      programId,
      organisationId: host.id,
      title: r.title,
      url: r.url,
      description: r.description,
      tags: r.tags,
      sharedBy: rota[i % Math.max(1, rota.length)] ? facilitatorSubject(rota[i % rota.length]) : adminSubject,
      sharedAt: at(40 - i * 7),
    };
  });

  // the demo's other communities wrote their terms and codes before versioning: those are their version 1
  const earlier = await ds.getRepository(Community).findBy({ programId });
  const versioned = new Set(((await ds.query(`SELECT DISTINCT community_id AS id FROM community_document WHERE program_id = $1`, [programId])) as { id: string }[]).map((r) => r.id));
  for (const c of earlier.filter((e) => !versioned.has(e.id))) {
    const first = (kind: 'TERMS_OF_REFERENCE' | 'CODE_OF_PRACTICE', text: string) =>
      text && documents.push({ id: newId(c.organisationId, 'doc'), communityId: c.id, organisationId: c.organisationId, programId, kind: kind as CommunityDocument['kind'], version: 1, text, changeNote: 'First version', changedBy: 'hub', changedAt: new Date(Math.floor(c.createdAt.getTime() / 1000) * 1000) });
    first('TERMS_OF_REFERENCE', c.termsOfReference);
    first('CODE_OF_PRACTICE', c.codeOfPractice);
  }

  await ds.transaction(async (m) => {
    await insertAll(m, Community, [community]);
    await insertAll(m, CommunityDocument, documents);
    await insertAll(m, Session, sessions);
    await insertAll(m, SessionFacilitator, sessionFacilitators);
    await insertAll(m, SessionLearning, learnings);
    await insertAll(m, CommunityResource, resources);
  });
  return {
    communityId: community.id as string,
    counts: { documentVersions: documents.length, plannedSessions: sessions.length, learnings: learnings.length, resources: resources.length },
  };
}
