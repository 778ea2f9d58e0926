import net from 'node:net';
import { generateGatewayKeyPair, keyFingerprint, nodeAudience, NODE_SUBGRAPH_NAMES, SCOPE_HEADER, ScopeSigner, withScope, SYSTEM_SCOPE } from '@hub/core';
import { copyOrganisationRows, ORGANISATION_TABLES } from '@hub/node';
import { NATIONAL_DASHBOARD } from '../bench/src/workloads';
import { createSmallProgram, type SmallProgram } from './support/fixtures';
import { postGraphQL } from './support/graphql';
import { startTestHub, type TestHub } from './support/hub';
import { liveClient, subscribe, waitFor } from './support/live';
import { move, registerNode, summaries, testNode, type TestNode } from './support/nodes';
import { partnerAdmin } from './support/scopes';

describe('partner nodes: two partners keep their own data on their own nodes behind one gateway', () => {
  let hub: TestHub;
  let program: SmallProgram;
  let nodeA: TestNode; // partner-0's node
  let nodeB: TestNode; // partner-1's node; partner-2 stays hub-hosted
  let allHubHosted: unknown;
  let programAllHubHosted: unknown;
  let nationalCop: string;
  let catalogueCourse: string;
  let moves: Awaited<ReturnType<typeof move>>[];
  const period = { from: new Date(Date.now() - 30 * 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
  const dashboard = () => program.manager.query(NATIONAL_DASHBOARD, { program: program.programId, ...period });
  const PROGRAM_FIGURES = `query($p: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { program(id: $p) {
    held: sessionCount(status: ENDED) feedbackResponseCount pollCount
    participationByPartner(from: $from, to: $to) { organisation { id } communities sessionsHeld attendance averagePerSession members }
    outcomeSummary { organisation { id } responseCount averageRating }
    retention(maxSessions: 4) { sessionNumber communities cohort retained share attendance }
    shares: retention(maxSessions: 4) { share }
    attendanceTrend(from: $from, to: $to, interval: WEEK) { periodStart sessionsHeld attendance averagePerSession }
    forumSummary { tier tierLevel openItems responses averageDaysToResponse }
  } }`;
  const programFigures = () => program.manager.query(PROGRAM_FIGURES, { p: program.programId, ...period });

  beforeAll(async () => {
    hub = await startTestHub({ accessScopeTtlMs: 0 });
    program = await createSmallProgram(hub, { partners: 3, facilitators: 2, groups: 2, sessionsPerGroup: 2, answersPerSession: 5 });
    const before = await dashboard();
    expect(before.errors).toBeUndefined();
    allHubHosted = before.data;
    const figures = await programFigures();
    expect(figures.errors).toBeUndefined();
    programAllHubHosted = figures.data;
    // a course of the program's catalogue (kept at the hub) that partner-0's facilitator completed before partner-0 moves
    const course = await program.manager.query(
      `mutation($p: ID!) { createTrainingCourse(input: { programId: $p, organisationId: "natmgr", name: "Trauma-informed practice", validForMonths: 24 }) { id } }`,
      { p: program.programId },
    );
    expect(course.errors).toBeUndefined();
    catalogueCourse = course.data?.createTrainingCourse.id;
    const trained = await program.partners[0].admin.query(
      `mutation($f: ID!, $c: ID!) { recordTraining(input: { facilitatorId: $f, courseId: $c, completedOn: "2026-06-01", accreditationLevel: PRACTITIONER }) { id } }`,
      { f: program.partners[0].facilitatorIds[0], c: catalogueCourse },
    );
    expect(trained.errors).toBeUndefined();
    // a national community of practice with members from every partner, joined on different days, before two partners move
    const cop = await program.manager.query(
      `mutation($p: ID!) { createCommunity(input: { organisationId: "natmgr", programId: $p, kind: COMMUNITY_OF_PRACTICE, name: "National practice", mode: ONLINE }) { id } }`,
      { p: program.programId },
    );
    expect(cop.errors).toBeUndefined();
    nationalCop = cop.data?.createCommunity.id;
    const joins: [number, number, string][] = [[1, 0, '2026-01-01'], [0, 0, '2026-02-01'], [2, 0, '2026-03-01'], [0, 1, '2026-04-01']];
    for (const [partner, facilitator, joinedOn] of joins) {
      const p = program.partners[partner];
      const res = await p.admin.query(`mutation($f: ID!, $c: ID!, $d: String!) { joinCommunity(input: { facilitatorId: $f, communityId: $c, joinedOn: $d }) { id } }`, { f: p.facilitatorIds[facilitator], c: nationalCop, d: joinedOn });
      expect(res.errors).toBeUndefined();
    }
    nodeA = testNode(hub, 'partner-0');
    nodeB = testNode(hub, 'partner-1', { sharing: 'hub' }); // follows the agreement its admins keep at the hub
    await Promise.all([nodeA.start(), nodeB.start()]);
    // partner-0's own admin moves it; the national manager moves partner-1
    await registerNode(hub, program.partners[0].admin, nodeA);
    await registerNode(hub, program.manager, nodeB, 4000);
    moves = [await move(hub, program.partners[0].admin, nodeA, 'NODE'), await move(hub, program.manager, nodeB, 'NODE')];
  });
  afterAll(async () => {
    await Promise.all([nodeA?.destroy(), nodeB?.destroy()]);
    await hub?.stop();
  });

  it('moves each organisation\'s rows to its node with the same counts and checksums, and none stay at the hub', async () => {
    for (const { before, after } of moves) {
      expect(after).toEqual(before);
      expect(before.sessions.session.count).toBe(4);
      expect(before.feedback.response.count).toBe(20);
    }
    for (const org of ['partner-0', 'partner-1']) {
      const left = await summaries(hub.subgraphs, org);
      for (const tables of Object.values(left)) for (const t of Object.values(tables)) expect(t.count).toBe(0);
    }
  });

  it('answers the national dashboard with the same numbers as when every partner was hub-hosted', async () => {
    const res = await dashboard();
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual(allHubHosted);
    expect(res.data?.program.deliveryPartners.map((p: any) => p.sessionsHeld)).toEqual([4, 4, 4]);
  });

  it('adds up the program\'s counts, puts together its per-partner rows and folds its retention and trend across the hub and both nodes, as when all was hub-hosted', async () => {
    const res = await programFigures();
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual(programAllHubHosted);
    expect(res.data?.program.held).toBe(12);
    expect(res.data?.program.participationByPartner.map((p: any) => p.organisation.id)).toEqual(['partner-0', 'partner-1', 'partner-2']);
    // retention and the trend folded across the three deployments: counts added, ratios from the added counts
    expect(res.data?.program.retention[0]).toMatchObject({ sessionNumber: 1, communities: 6 });
    expect(res.data?.program.retention[0].cohort).toBeGreaterThan(0);
    expect(res.data?.program.shares).toEqual(res.data?.program.retention.map((r: any) => ({ share: r.share })));
    expect(res.data?.program.attendanceTrend.reduce((n: number, p: any) => n + p.sessionsHeld, 0)).toBe(12);
  });

  it('keeps each node\'s databases to its own organisation\'s rows, and the database refuses any other', async () => {
    for (const node of [nodeA, nodeB]) {
      for (const name of NODE_SUBGRAPH_NAMES) {
        const owner = node.running!.subgraphs[name].dataSource;
        await withScope(owner, SYSTEM_SCOPE, async (m) => {
          for (const { table, owner: column } of ORGANISATION_TABLES[name]) {
            const [row] = await m.query(`SELECT count(*) FILTER (WHERE ${column} = $1)::int AS own, count(*) FILTER (WHERE ${column} <> $1)::int AS other FROM "${table}"`, [node.organisation]);
            expect({ table, other: row.other }).toEqual({ table, other: 0 });
          }
        });
      }
      const facilitators = await node.running!.subgraphs.facilitators.dataSource.query(`SELECT DISTINCT organisation_id FROM facilitator`);
      expect(facilitators).toEqual([{ organisation_id: node.organisation }]);
    }
    // partner-2's rows written into partner-0's node are refused by PostgreSQL itself
    await expect(copyOrganisationRows(hub.subgraphs.sessions.dataSource, nodeA.running!.subgraphs.sessions.dataSource, 'sessions', 'partner-2')).rejects.toThrow(/partner_node_organisation/);
  });

  it('gives partner A\'s admin nothing of partner B through the gateway, though B\'s admin sees it', async () => {
    const query = `{ organisation(id: "partner-1") { facilitatorCount groups: communityCount(kind: GROUP) facilitators { totalCount } communities { totalCount } } }`;
    const a = await program.partners[0].admin.query(query);
    const b = await program.partners[1].admin.query(query);
    expect(b.data?.organisation).toEqual({ facilitatorCount: 2, groups: 2, facilitators: { totalCount: 2 }, communities: { totalCount: 2 } });
    expect(a.errors).toBeUndefined();
    expect(a.data?.organisation).toEqual({ facilitatorCount: 0, groups: 0, facilitators: { totalCount: 0 }, communities: { totalCount: 0 } });
  });

  it('refuses partner A\'s admin on B\'s node: its own token, a scope signed for A\'s node or for the hub, and narrows even a scope signed for B', async () => {
    const url = nodeB.running!.endpoints.facilitators.url;
    const ask = (headers: Record<string, string>) => postGraphQL(url, `{ facilitators { totalCount } }`, {}, headers);
    const signer = new ScopeSigner(hub.keys.gateway.privateKey);
    const adminA = partnerAdmin('partner-0', ['natmgr'], [program.programId]);
    expect((await ask({ authorization: `Bearer ${program.partners[0].admin.token}` })).status).toBe(401);
    expect((await ask({ [SCOPE_HEADER]: await signer.sign(adminA, nodeAudience('partner-0')) })).status).toBe(403);
    expect((await ask({ [SCOPE_HEADER]: await signer.sign(adminA) })).status).toBe(403);
    const narrowed = await ask({ [SCOPE_HEADER]: await signer.sign(adminA, nodeAudience('partner-1')) });
    expect(narrowed.data).toEqual({ facilitators: { totalCount: 0 } });
    // and a hub key the node does not trust gets nothing, signed for it or not
    const stranger = new ScopeSigner(generateGatewayKeyPair().privateKey);
    expect((await ask({ [SCOPE_HEADER]: await stranger.sign(SYSTEM_SCOPE, nodeAudience('partner-1')) })).status).toBe(403);
  });

  it('applies the node\'s own sharing agreement whatever the hub says (partner-0 shares no contacts), or the one kept at the hub when the node follows it (partner-1)', async () => {
    const agree = (share: boolean) => `mutation($p: ID!) { setSharingAgreement(programId: $p, input: { shareFacilitatorContacts: ${share} }) { shareFacilitatorContacts } }`;
    for (const p of program.partners.slice(0, 2)) expect((await p.admin.query(agree(true), { p: program.programId })).errors).toBeUndefined();
    const emails = async () => {
      const res = await program.manager.query(`{ a: organisation(id: "partner-0") { facilitators { nodes { email } } } b: organisation(id: "partner-1") { facilitators { nodes { email } } } }`);
      expect(res.errors).toBeUndefined();
      return { a: res.data?.a.facilitators.nodes.map((f: any) => f.email).sort(), b: res.data?.b.facilitators.nodes.map((f: any) => f.email).sort() };
    };
    expect(await emails()).toEqual({ a: [null, null], b: ['f0@partner-1.example', 'f1@partner-1.example'] });
    // partner-1's admin withdraws it at the hub: its node stops sending the contacts at once
    expect((await program.partners[1].admin.query(agree(false), { p: program.programId })).errors).toBeUndefined();
    expect(await emails()).toEqual({ a: [null, null], b: [null, null] });
    expect((await program.partners[1].admin.query(agree(true), { p: program.programId })).errors).toBeUndefined();
    expect((await emails()).b).toEqual(['f0@partner-1.example', 'f1@partner-1.example']);
  });

  it('pages through national session and poll lists merged across the hub and both nodes, in order, nothing twice', async () => {
    const own = await Promise.all(
      program.partners.map((p) => p.admin.query(`query($o: ID!) { sessions(filter: { organisationId: $o }, first: 100) { nodes { id startsAt } } }`, { o: p.id })),
    );
    const expected = own
      .flatMap((r) => r.data?.sessions.nodes as { id: string; startsAt: string }[])
      .sort((a, b) => (a.startsAt === b.startsAt ? (a.id < b.id ? -1 : 1) : a.startsAt < b.startsAt ? -1 : 1))
      .map((s) => s.id);
    expect(expected).toHaveLength(12);
    const pageThrough = async (list: 'sessions' | 'polls') => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const res: any = await program.manager.query(
          `query($after: String) { list: ${list}(first: 5, after: $after) { totalCount nodes { id ${list === 'sessions' ? 'community { name }' : ''} } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        expect(res.errors).toBeUndefined();
        expect(res.data.list.totalCount).toBe(12);
        seen.push(...res.data.list.nodes.map((n: { id: string }) => n.id));
        if (!res.data.list.pageInfo.hasNextPage) break;
        after = res.data.list.pageInfo.endCursor;
      }
      return seen;
    };
    expect(await pageThrough('sessions')).toEqual(expected);
    const polls = await pageThrough('polls');
    expect(new Set(polls).size).toBe(12);
    expect(new Set(polls.map((id) => id.split('.')[0]))).toEqual(new Set(['partner-0', 'partner-1', 'partner-2']));
  });

  it('pages through the national community list and the program\'s communities merged across the hub and both nodes, by name whatever its case, nothing twice', async () => {
    // names whose order depends on case and accents, each organisation on its own deployment
    const names: Record<string, string[]> = { 'partner-0': ['beta circle', 'Ōtautahi circle'], 'partner-1': ['Alpha circle', 'gamma circle'], 'partner-2': ['Delta circle', 'alpha circle'] };
    for (const p of program.partners) {
      for (const name of names[p.id]) {
        const res = await p.admin.query(
          `mutation($o: ID!, $p: ID!, $n: String!) { createCommunity(input: { organisationId: $o, programId: $p, kind: COMMUNITY_OF_PRACTICE, name: $n, mode: ONLINE }) { id } }`,
          { o: p.id, p: program.programId, n: name },
        );
        expect(res.errors).toBeUndefined();
      }
    }
    // each organisation's own list, read from its own deployment: the merged list must hold these, in name order (case aside)
    const owners = [...program.partners.map((p) => ({ caller: p.admin, id: p.id })), { caller: program.manager, id: 'natmgr' }];
    const own = await Promise.all(owners.map((o) => o.caller.query(`query($o: ID!) { communities(filter: { organisationId: $o }, first: 100) { nodes { id name } } }`, { o: o.id })));
    const all = own.flatMap((r) => r.data?.communities.nodes as { id: string; name: string }[]);
    expect(all).toHaveLength(13); // and the national community of practice
    const key = (c: { id: string; name: string }) => [c.name.toLowerCase(), c.id] as const;
    const expected = [...all].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x[0] === y[0] ? (x[1] < y[1] ? -1 : 1) : x[0] < y[0] ? -1 : 1;
    });
    expect(expected.map((c) => c.name).slice(0, 5)).toEqual(['Alpha circle', 'alpha circle', 'beta circle', 'Delta circle', 'gamma circle']);
    expect(expected.at(-1)?.name).toBe('Ōtautahi circle');
    const pageThrough = async (root: boolean) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const list = `communities(first: 5, after: $after) { totalCount nodes { id name } pageInfo { hasNextPage endCursor } }`;
        const res: any = root
          ? await program.manager.query(`query($after: String) { list: ${list} }`, { after })
          : await program.manager.query(`query($p: ID!, $after: String) { program(id: $p) { list: ${list} } }`, { p: program.programId, after });
        expect(res.errors).toBeUndefined();
        const connection = root ? res.data.list : res.data.program.list;
        expect(connection.totalCount).toBe(13);
        expect(connection.nodes.length).toBeLessThanOrEqual(5);
        seen.push(...connection.nodes.map((n: { id: string }) => n.id));
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      return seen;
    };
    expect(await pageThrough(true)).toEqual(expected.map((c) => c.id));
    expect(await pageThrough(false)).toEqual(expected.map((c) => c.id));
  });

  it('pages through the program\'s forum items, newest first, and sums its forum summary across the hub and both nodes', async () => {
    // a partner forum on each node, one at the hub (partner-2), an item raised in each, a second later each
    const raised: string[] = [];
    for (const p of [program.partners[0], program.partners[2], program.partners[1]]) {
      const forum = await p.admin.query(
        `mutation($o: ID!, $p: ID!) { createCommunity(input: { organisationId: $o, programId: $p, kind: FORUM, name: "Local forum", mode: ONLINE, tier: "local", tierLevel: 3 }) { id } }`,
        { o: p.id, p: program.programId },
      );
      expect(forum.errors).toBeUndefined();
      const item = await p.admin.query(`mutation($f: ID!) { raiseForumItem(input: { forumId: $f, title: "Interpreters", description: "" }) { id } }`, { f: forum.data?.createCommunity.id });
      expect(item.errors).toBeUndefined();
      raised.push(item.data?.raiseForumItem.id);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res: any = await program.manager.query(
        `query($p: ID!, $after: String) { program(id: $p) { forumItems(first: 2, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } } }`,
        { p: program.programId, after },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.program.forumItems.totalCount).toBe(3);
      seen.push(...res.data.program.forumItems.nodes.map((n: { id: string }) => n.id));
      if (!res.data.program.forumItems.pageInfo.hasNextPage) break;
      after = res.data.program.forumItems.pageInfo.endCursor;
    }
    expect(seen).toEqual([...raised].reverse());
    const summary = await program.manager.query(`query($p: ID!) { program(id: $p) { forumSummary { tier tierLevel openItems responses averageDaysToResponse } } }`, { p: program.programId });
    expect(summary.errors).toBeUndefined();
    expect(summary.data?.program.forumSummary).toEqual([{ tier: 'local', tierLevel: 3, openItems: 3, responses: 0, averageDaysToResponse: null }]);
  });

  it('pages through the national facilitator list merged across the hub and both nodes: names it may see by name, withheld ones after them', async () => {
    // both agree at the hub to share facilitator contacts with the national manager; partner-1's node agrees too, partner-0's does not; partner-2 (hub-hosted) does not share
    const open = `mutation($p: ID!) { setSharingAgreement(programId: $p, input: { shareFacilitatorContacts: true }) { shareFacilitatorContacts } }`;
    for (const p of program.partners.slice(0, 2)) expect((await p.admin.query(open, { p: program.programId })).errors).toBeUndefined();
    const own = await Promise.all(program.partners.map((p) => p.admin.query(`query($o: ID!) { facilitators(filter: { organisationId: $o }, first: 100) { nodes { id } } }`, { o: p.id })));
    const ids = own.flatMap((r) => (r.data?.facilitators.nodes as { id: string }[]).map((f) => f.id));
    expect(ids).toHaveLength(6);
    const seen: { id: string; displayName: string | null }[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: any = await program.manager.query(
        `query($after: String) { facilitators(first: 4, after: $after) { totalCount nodes { id displayName } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.facilitators.totalCount).toBe(6);
      seen.push(...res.data.facilitators.nodes);
      if (!res.data.facilitators.pageInfo.hasNextPage) break;
      after = res.data.facilitators.pageInfo.endCursor;
    }
    expect(seen.map((f) => f.id).sort()).toEqual([...ids].sort());
    const named = seen.filter((f) => f.displayName !== null);
    const withheld = seen.filter((f) => f.displayName === null);
    expect(named.length).toBeGreaterThan(0);
    expect(withheld.length).toBeGreaterThan(0);
    // every visible name before every withheld one, the withheld by ID
    expect(seen.slice(0, named.length)).toEqual(named);
    expect(withheld.map((f) => f.id)).toEqual([...withheld.map((f) => f.id)].sort());
  });

  it("pages through a national community's members from the hub and both nodes in the order they joined, and counts them all", async () => {
    const expected = [program.partners[1].facilitatorIds[0], program.partners[0].facilitatorIds[0], program.partners[2].facilitatorIds[0], program.partners[0].facilitatorIds[1]];
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res: any = await program.manager.query(
        `query($c: ID!, $after: String) { community(id: $c) { name memberCount members(first: 3, after: $after) { totalCount nodes { facilitator { id } joinedOn } pageInfo { hasNextPage endCursor } } } }`,
        { c: nationalCop, after },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.community.memberCount).toBe(4);
      expect(res.data.community.members.totalCount).toBe(4);
      seen.push(...res.data.community.members.nodes.map((m: any) => m.facilitator.id));
      if (!res.data.community.members.pageInfo.hasNextPage) break;
      after = res.data.community.members.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('searches learnings and resources across the hub and both nodes, best match first, paging without repeats', async () => {
    // some mention interpreters more than others, on every deployment
    const texts = ['Interpreters', 'Interpreters help; interpreters for every group, interpreters booked early', 'Book interpreters for the interpreters course'];
    for (const [i, p] of program.partners.entries()) {
      const session = await p.admin.query(`query($o: ID!) { sessions(filter: { organisationId: $o, status: ENDED }, first: 1) { nodes { id } } }`, { o: p.id });
      const learned = await p.admin.query(`mutation($s: ID!, $t: String!) { recordLearning(input: { sessionId: $s, text: $t }) { id } }`, { s: session.data?.sessions.nodes[0].id, t: texts[i] });
      expect(learned.errors).toBeUndefined();
      const shared = await p.admin.query(`mutation($c: ID!, $t: String!) { shareResource(input: { communityId: $c, title: "Interpreters", description: $t }) { id } }`, { c: p.groupIds[0], t: texts[(i + 1) % 3] });
      expect(shared.errors).toBeUndefined();
    }
    for (const list of ['searchLearnings', 'searchResources']) {
      // each organisation's own matches with their ranks, from its own deployment
      const own = await Promise.all(
        program.partners.map((p) => p.admin.query(`query($c: ID!) { list: ${list}(communityId: $c, query: "interpreters", first: 10) { edges { cursor node { id } } } }`, { c: p.groupIds[0] })),
      );
      const ranked = own.flatMap((r) => r.data?.list.edges as { cursor: string; node: { id: string } }[]).map((e) => ({ id: e.node.id, rank: Number(JSON.parse(Buffer.from(e.cursor, 'base64url').toString())[0]) }));
      expect(ranked).toHaveLength(3);
      expect(new Set(ranked.map((r) => r.rank)).size).toBe(3);
      const expected = [...ranked].sort((a, b) => b.rank - a.rank).map((r) => r.id);
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 5; page++) {
        const res: any = await program.manager.query(`query($p: ID!, $after: String) { list: ${list}(programId: $p, query: "interpreters", first: 1, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`, { p: program.programId, after });
        expect(res.errors).toBeUndefined();
        expect(res.data.list.totalCount).toBe(3);
        seen.push(...res.data.list.nodes.map((n: { id: string }) => n.id));
        if (!res.data.list.pageInfo.hasNextPage) break;
        after = res.data.list.pageInfo.endCursor;
      }
      expect({ list, seen }).toEqual({ list, seen: expected });
    }
  });

  it("gives a node-hosted facilitator's training records their course from the program's catalogue at the hub, which the node does not hold", async () => {
    const query = `query($f: ID!) { facilitator(id: $f) { trainingRecords { courseId accreditationLevel course { id name validForMonths } } } }`;
    for (const caller of [program.partners[0].admin, program.manager]) {
      const res = await caller.query(query, { f: program.partners[0].facilitatorIds[0] });
      expect(res.errors).toBeUndefined();
      expect(res.data?.facilitator.trainingRecords).toEqual([
        { courseId: catalogueCourse, accreditationLevel: 'PRACTITIONER', course: { id: catalogueCourse, name: 'Trauma-informed practice', validForMonths: 24 } },
      ]);
    }
    // the node itself holds the record but not the course
    const [held] = await nodeA.running!.subgraphs.facilitators.dataSource.query(`SELECT (SELECT count(*)::int FROM training_record) AS records, (SELECT count(*)::int FROM training_course) AS courses`);
    expect(held).toEqual({ records: 1, courses: 0 });
  });

  it('answers without a stopped node, naming its organisation, and in full again once it is back', async () => {
    await nodeB.stop();
    const res = await dashboard();
    const partners = res.data?.program.deliveryPartners;
    const expected = (allHubHosted as any).program.deliveryPartners;
    expect(partners[0]).toEqual(expected[0]);
    expect(partners[2]).toEqual(expected[2]);
    expect(partners[1]).toEqual({ id: 'partner-1', name: 'partner-1', facilitatorCount: null, groups: null, sessionsHeld: null, attendanceCount: null, feedbackResponseCount: null });
    const missing = res.errors?.filter((e) => e.extensions?.code === 'PARTNER_NODE_UNAVAILABLE') ?? [];
    expect(new Set(missing.map((e) => e.extensions?.organisation))).toEqual(new Set(['partner-1']));
    expect(new Set(missing.map((e) => e.extensions?.serviceName))).toEqual(new Set(['facilitators', 'sessions', 'feedback']));
    expect(missing[0].path).toEqual(['program', 'deliveryPartners', 1]);
    expect(JSON.stringify(res)).not.toMatch(/127\.0\.0\.1|localhost|https?:\/\/|ECONNREFUSED/);
    await nodeB.start();
    const again = await dashboard();
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(allHubHosted);
  });

  it('stops connecting to a node that hangs once its breaker opens, answering with the others\' data', async () => {
    // a new time budget is a new registration: the gateway starts its breakers afresh
    await registerNode(hub, program.manager, nodeB, 500);
    await nodeB.stop();
    // something that accepts connections on the node's ports and never answers
    let connections = 0;
    const sockets = new Set<net.Socket>();
    const servers = await Promise.all(
      NODE_SUBGRAPH_NAMES.map(
        (name) =>
          new Promise<net.Server>((resolve) => {
            const server = net.createServer((socket) => {
              connections++;
              sockets.add(socket);
              socket.on('close', () => sockets.delete(socket));
            });
            server.listen(nodeB.config.ports[name], '127.0.0.1', () => resolve(server));
          }),
      ),
    );
    try {
      const reasons: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await dashboard();
        expect(res.data?.program.deliveryPartners[0]).toEqual((allHubHosted as any).program.deliveryPartners[0]);
        const error = res.errors?.find((e) => e.extensions?.organisation === 'partner-1');
        expect(error?.extensions?.code).toBe('PARTNER_NODE_UNAVAILABLE');
        reasons.push(error!.message);
      }
      expect(reasons[0]).toMatch(/did not answer within its time budget/);
      const afterOpening = connections;
      expect(afterOpening).toBeGreaterThan(0);
      for (let i = 0; i < 3; i++) {
        const res = await dashboard();
        expect(res.errors?.find((e) => e.extensions?.organisation === 'partner-1')?.message).toMatch(/skipped/);
      }
      expect(connections).toBe(afterOpening);
    } finally {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    }
  });

  it('sends a partner\'s own root fields and mutations to its node', async () => {
    const admin = program.partners[0].admin;
    const created = await admin.query(`mutation { createFacilitator(input: { organisationId: "partner-0", givenName: "New", familyName: "Person", email: "new@partner-0.example" }) { id } }`);
    expect(created.errors).toBeUndefined();
    const id: string = created.data?.createFacilitator.id;
    expect(id).toMatch(/^partner-0\.fac_/);
    expect(await nodeA.running!.subgraphs.facilitators.dataSource.query(`SELECT given_name FROM facilitator WHERE id = $1`, [id])).toEqual([{ given_name: 'New' }]);
    expect(await hub.subgraphs.facilitators.dataSource.query(`SELECT id FROM facilitator WHERE organisation_id = 'partner-0'`)).toEqual([]);
    const read = await admin.query(`query($id: ID!) { facilitator(id: $id) { givenName } sessions(filter: { organisationId: "partner-0" }) { totalCount } }`, { id });
    expect(read).toMatchObject({ data: { facilitator: { givenName: 'New' }, sessions: { totalCount: 4 } } });
    expect(read.errors).toBeUndefined();
  });

  it('follows a node-hosted session live through the gateway, subscribed at the partner\'s node', async () => {
    const admin = program.partners[0].admin;
    const startsAt = new Date(Date.now() + 3_600_000);
    const { data } = await admin.query(
      `mutation($c: ID!, $s: DateTimeISO!, $e: DateTimeISO!, $f: [ID!]!) { scheduleSession(input: { communityId: $c, topic: "Live", startsAt: $s, endsAt: $e, facilitatorIds: $f }) { id } }`,
      { c: program.partners[0].groupIds[0], s: startsAt.toISOString(), e: new Date(startsAt.getTime() + 3_600_000).toISOString(), f: program.partners[0].facilitatorIds },
    );
    const id: string = data?.scheduleSession.id;
    const client = liveClient(hub.gatewayUrl, admin.token);
    try {
      const live = subscribe(client, `subscription($id: ID!) { sessionChanged(id: $id) { id status facilitators { displayName } } }`, { id });
      await waitFor(() => nodeA.running!.subgraphs.sessions.events.subscriptionCount === 1);
      // and on standby at the hub, where the session would be if partner-0 moved back
      await waitFor(() => hub.subgraphs.sessions.events.subscriptionCount === 1);
      expect((await admin.query(`mutation($id: ID!) { startSession(id: $id) { status } }`, { id })).errors).toBeUndefined();
      const event = await live.next();
      expect(event.errors).toBeUndefined();
      expect(event.data?.sessionChanged).toEqual({ id, status: 'LIVE', facilitators: [{ displayName: 'Fac Ilitator' }, { displayName: 'Fac Ilitator' }] });
      live.close();
    } finally {
      await client.dispose();
    }
  });

  it('follows the whole program live across the hub and the nodes, one upstream subscription at each (partner-1\'s node is down: the others\' events still come)', async () => {
    const schedule = async (partner: SmallProgram['partners'][number]) => {
      const startsAt = new Date(Date.now() + 3_600_000);
      const res = await partner.admin.query(
        `mutation($c: ID!, $s: DateTimeISO!, $e: DateTimeISO!, $f: [ID!]!) { scheduleSession(input: { communityId: $c, topic: "Live", startsAt: $s, endsAt: $e, facilitatorIds: $f }) { id } }`,
        { c: partner.groupIds[1], s: startsAt.toISOString(), e: new Date(startsAt.getTime() + 3_600_000).toISOString(), f: partner.facilitatorIds },
      );
      expect(res.errors).toBeUndefined();
      return res.data?.scheduleSession.id as string;
    };
    const onNode = await schedule(program.partners[0]);
    const atHub = await schedule(program.partners[2]);
    const client = liveClient(hub.gatewayUrl, program.manager.token);
    try {
      const live = subscribe(client, `subscription($p: ID!) { liveSessions(programId: $p) { id status community { name } } }`, { p: program.programId });
      await waitFor(() => nodeA.running!.subgraphs.sessions.events.subscriptionCount === 1 && hub.subgraphs.sessions.events.subscriptionCount === 1);
      for (const [partner, id] of [[program.partners[0], onNode], [program.partners[2], atHub]] as const) {
        expect((await partner.admin.query(`mutation($id: ID!) { startSession(id: $id) { status } }`, { id })).errors).toBeUndefined();
        const event = await live.next();
        expect(event.errors).toBeUndefined();
        expect(event.data?.liveSessions).toEqual({ id, status: 'LIVE', community: { name: 'Group 1' } });
      }
      live.close();
      await waitFor(() => nodeA.running!.subgraphs.sessions.events.subscriptionCount === 0 && hub.subgraphs.sessions.events.subscriptionCount === 0);
    } finally {
      await client.dispose();
    }
  });

  it('says which node-hosted organisations\' plans engagement overlaps could not be matched with (test/partner-node-engagements.test.ts has the matching)', async () => {
    // neither node lets its engagement plans out to the national manager, so the hub cannot match them
    const overlaps = `query($p: ID!) { program(id: $p) { engagementOverlaps { id } } }`;
    const national = await program.manager.query(overlaps, { p: program.programId });
    expect(national.data?.program.engagementOverlaps).toEqual([]);
    const missing = (national.errors ?? []).filter((e) => e.extensions?.code === 'PARTNER_NODE_UNAVAILABLE').map((e) => e.extensions?.organisation);
    expect(missing.sort()).toEqual(['partner-0', 'partner-1']);
    // a hub-hosted partner's admin is told other partners' plans on their nodes are not matched, without their names
    const hubHosted = await program.partners[2].admin.query(overlaps, { p: program.programId });
    expect(hubHosted.errors?.map((e) => [e.extensions?.code, e.extensions?.organisation])).toEqual([['PARTNER_NODE_UNAVAILABLE', undefined]]);
  });


  it('refuses one operation across a node-hosted organisation and another, naming the node-hosted one', async () => {
    const res = await program.manager.query(`query($a: ID!, $c: ID!) { a: facilitator(id: $a) { id } c: facilitator(id: $c) { id } }`, {
      a: program.partners[0].facilitatorIds[0],
      c: program.partners[2].facilitatorIds[0],
    });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'PARTNER_NODE_UNAVAILABLE', organisation: 'partner-0' });
  });

  it('loses the hub\'s access to a node that revokes the hub\'s key, naming the organisation', async () => {
    nodeA.config.trustedHubKeys = [generateGatewayKeyPair().publicKey];
    await nodeA.stop();
    await nodeA.start();
    const res = await dashboard();
    expect(res.data?.program.deliveryPartners[0]).toMatchObject({ id: 'partner-0', facilitatorCount: null, sessionsHeld: null });
    const refused = res.errors?.filter((e) => e.extensions?.organisation === 'partner-0') ?? [];
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.extensions?.code === 'PARTNER_NODE_UNAVAILABLE' && /refuses this hub's requests/.test(e.message))).toBe(true);
    expect(res.data?.program.deliveryPartners[2]).toEqual((allHubHosted as any).program.deliveryPartners[2]);
  });

  it('sends nothing to a node registered as trusting another hub key, and says so', async () => {
    const otherKey = generateGatewayKeyPair().publicKey;
    const res = await program.partners[0].admin.query(`mutation($i: RegisterPartnerNodeInput!) { registerPartnerNode(input: $i) { hubKeyFingerprint } }`, {
      i: {
        organisationId: 'partner-0',
        hubKeyFingerprint: keyFingerprint(otherKey),
        endpoints: NODE_SUBGRAPH_NAMES.map((n) => ({ subgraph: n.toUpperCase(), ...nodeA.running!.endpoints[n] })),
      },
    });
    expect(res.errors).toBeUndefined();
    const before = nodeA.running!.subgraphs.sessions.statements.count;
    const answer = await dashboard();
    const errors = answer.errors?.filter((e) => e.extensions?.organisation === 'partner-0') ?? [];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => /does not trust the key this hub signs with/.test(e.message))).toBe(true);
    expect(nodeA.running!.subgraphs.sessions.statements.count).toBe(before);
  });
});
