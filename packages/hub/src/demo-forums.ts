import { newId } from '@hub/core';
import { Community, CommunityKind, ForumItem, ForumItemEvent, ForumItemEventKind, ForumItemStatus, MaturityStage, MeetingMode, PlannedEngagement } from '@hub/sessions';
import type { Hub } from './hub';
import { insertAll } from './insert-all';

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export interface DemoForumsOptions {
  /** The program's managing organisation, which owns the forums. */
  nationalId: string;
  /** Two delivery partners whose planned engagements overlap. */
  partnerIds: [string, string];
  /** A region both partners serve (an overlap needs the same region ID). */
  regionId: string;
  /** Tier keys top first; default strategic / state / regional. Match Program.tiers where the program has them. */
  tiers?: [string, string, string];
  now?: Date;
}

/**
 * Issue 6 items 3–4 for the demo: a three-tier forum structure of the national manager
 * (strategic leadership, state-wide practitioners, two regional forums) with items at every stage,
 * one of them escalated twice, answered at the top and returned down; and planned engagements of
 * two partners that overlap. Written through the sessions subgraph's owner connection, like the
 * rest of the demo seed. Returns the rows inserted per table.
 */
export async function seedDemoForums(hub: Pick<Hub, 'subgraphs'>, programId: string, options: DemoForumsOptions): Promise<Record<string, number>> {
  const { nationalId, partnerIds, regionId } = options;
  const [topTier, stateTier, regionalTier] = options.tiers ?? ['strategic', 'state', 'regional'];
  const now = options.now ?? new Date();
  const at = (daysAgo: number, hours = 0) => new Date(now.getTime() - daysAgo * DAY + hours * 3_600_000);

  const forum = (name: string, tier: string, tierLevel: number, purpose: string): Partial<Community> => ({
    id: newId(nationalId, 'com'),
    organisationId: nationalId,
    programId,
    kind: CommunityKind.FORUM,
    tier,
    tierLevel,
    name,
    purpose,
    termsOfReference: '',
    codeOfPractice: '',
    cadence: 'quarterly',
    mode: MeetingMode.ONLINE,
    regionId: null,
    maturityStage: MaturityStage.MATURING,
    formatPhases: ['Share', 'Discuss', 'Apply'],
  });
  const top = forum('Strategic leadership forum (demo)', topTier, 1, 'Program leaders decide on what practitioners raise.');
  const state = forum('State-wide practitioner forum (demo)', stateTier, 2, 'Practitioners from every region compare practice and carry issues up.');
  const north = forum('Northern regional forum (demo)', regionalTier, 3, 'Facilitators of the northern region meet.');
  const south = forum('Southern regional forum (demo)', regionalTier, 3, 'Facilitators of the southern region meet.');
  const forums = [top, state, north, south];

  const items: Partial<ForumItem>[] = [];
  const events: Partial<ForumItemEvent>[] = [];
  /** An item raised in `path[0]` `raisedDaysAgo` days ago; each step moves or answers it a few days later. */
  const item = (
    title: string,
    description: string,
    raisedDaysAgo: number,
    steps: { kind: ForumItemEventKind; to?: Partial<Community>; text?: string; decision?: string }[],
    raisedIn: Partial<Community>,
  ) => {
    const id = newId(nationalId, 'fit');
    let current = raisedIn;
    let status = ForumItemStatus.OPEN;
    let day = raisedDaysAgo;
    const event = (kind: ForumItemEventKind, forumAt: Partial<Community>, from: Partial<Community> | null, text?: string, decision?: string) =>
      events.push({
        id: newId(nationalId, 'fie'),
        itemId: id,
        organisationId: nationalId,
        forumOrganisationId: nationalId,
        kind,
        forumId: forumAt.id,
        fromForumId: from?.id ?? null,
        tier: forumAt.tier,
        text: text ?? null,
        decision: decision ?? null,
        actor: kind === ForumItemEventKind.RAISED ? 'demo-facilitator' : 'demo-national-manager',
        at: at(day),
      });
    event(ForumItemEventKind.RAISED, raisedIn, null);
    for (const step of steps) {
      day = Math.max(0, day - 6);
      if (step.kind === ForumItemEventKind.ESCALATED || step.kind === ForumItemEventKind.RETURNED) {
        const to = step.to as Partial<Community>;
        event(step.kind, to, current, step.text);
        current = to;
        if (step.kind === ForumItemEventKind.ESCALATED) status = ForumItemStatus.ESCALATED;
      } else {
        event(step.kind, current, null, step.text, step.decision);
        status = step.kind === ForumItemEventKind.CLOSED ? ForumItemStatus.CLOSED : ForumItemStatus.RESPONDED;
      }
    }
    items.push({
      id,
      organisationId: nationalId,
      programId,
      raisedInForumId: raisedIn.id,
      forumId: current.id,
      forumOrganisationId: nationalId,
      tier: current.tier,
      tierLevel: current.tierLevel,
      title,
      description,
      raisedBy: 'demo-facilitator',
      status,
      raisedAt: at(raisedDaysAgo),
      updatedAt: at(day),
    });
  };
  const { ESCALATED, RESPONDED, RETURNED, CLOSED } = ForumItemEventKind;
  item('Interpreters for culturally diverse groups', 'Several groups turn families away for want of an interpreter.', 70, [
    { kind: ESCALATED, to: state, text: 'Seen in every region' },
    { kind: ESCALATED, to: top, text: 'Needs a funding decision' },
    { kind: RESPONDED, text: 'An interpreter budget is approved for the next two reporting periods.', decision: 'Approved: interpreter budget' },
    { kind: RETURNED, to: state, text: 'For the state forum to share' },
    { kind: RETURNED, to: north, text: 'Back to the region that raised it' },
  ], north);
  item('Venue costs in rural towns', 'Hall hire has doubled in two towns.', 40, [{ kind: ESCALATED, to: state }, { kind: ESCALATED, to: top }], south);
  item('Shared reading list for new facilitators', 'Could the state forum keep one list?', 30, [
    { kind: ESCALATED, to: state },
    { kind: RESPONDED, text: 'The state forum will keep the list in its resources.' },
  ], north);
  item('Evening sessions for working parents', 'Attendance drops for daytime sessions.', 12, [], south);
  item('Training dates clash with school holidays', 'Move the spring training?', 55, [{ kind: RESPONDED, text: 'Moved to the week after.' }, { kind: CLOSED }], north);

  const inDays = (n: number) => isoDay(new Date(now.getTime() + n * DAY));
  const engagements: Partial<PlannedEngagement>[] = [
    { id: newId(partnerIds[0], 'eng'), organisationId: partnerIds[0], programId, title: 'Family consultation days', regionIds: [regionId], audiences: ['parents', 'carers'], startsOn: inDays(20), endsOn: inDays(34) },
    { id: newId(partnerIds[1], 'eng'), organisationId: partnerIds[1], programId, title: 'Parent wellbeing survey', regionIds: [regionId], audiences: ['parents'], startsOn: inDays(28), endsOn: inDays(45) },
    { id: newId(partnerIds[1], 'eng'), organisationId: partnerIds[1], programId, title: 'Grandparents morning teas', regionIds: [regionId], audiences: ['grandparents'], startsOn: inDays(20), endsOn: inDays(30) },
  ];

  await hub.subgraphs.sessions.dataSource.transaction(async (m) => {
    await insertAll(m, Community, forums);
    await insertAll(m, ForumItem, items);
    await insertAll(m, ForumItemEvent, events);
    await insertAll(m, PlannedEngagement, engagements);
  });
  return { forums: forums.length, forumItems: items.length, forumItemEvents: events.length, plannedEngagements: engagements.length };
}
