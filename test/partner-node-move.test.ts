import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyOrganisationRows, deleteRows, asSystem } from '@hub/node';
import { createSmallProgram, type SmallProgram } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';
import { liveClient, subscribe, waitFor } from './support/live';
import { move, registerNode, summaries, testNode, type TestNode } from './support/nodes';

const DASHBOARD = `query($p: ID!) { program(id: $p) { deliveryPartners { id facilitatorCount groups: communityCount(kind: GROUP) sessionCount attendanceCount feedbackResponseCount } } }`;
const HISTORY = `{ partnerNodes { organisationId hosting history { action after { hosting } } } }`;

describe('moving an organisation to its own node and back', () => {
  let hub: TestHub;
  let program: SmallProgram;
  let node: TestNode;
  let original: Awaited<ReturnType<typeof summaries>>;
  let dashboard: unknown;
  const ask = () => program.manager.query(DASHBOARD, { p: program.programId });

  beforeAll(async () => {
    hub = await startTestHub({ accessScopeTtlMs: 0 });
    program = await createSmallProgram(hub, { partners: 2, facilitators: 2, groups: 1, sessionsPerGroup: 2, answersPerSession: 5 });
    original = await summaries(hub.subgraphs, 'partner-0');
    dashboard = (await ask()).data;
    node = testNode(hub, 'partner-0');
    await node.start();
    await registerNode(hub, program.manager, node);
  });
  afterAll(async () => {
    await node?.destroy();
    await hub?.stop();
  });

  it('refuses to move onto a node that already holds some of the organisation\'s rows, changing nothing', async () => {
    await copyOrganisationRows(hub.subgraphs.facilitators.dataSource, node.running!.subgraphs.facilitators.dataSource, 'facilitators', 'partner-0');
    await expect(move(hub, program.manager, node, 'NODE')).rejects.toThrow(/nothing was moved: the target's facilitators database already holds partner-0's rows/);
    expect(await summaries(hub.subgraphs, 'partner-0')).toEqual(original);
    const onNode = await summaries(node.running!.subgraphs, 'partner-0');
    expect(onNode.facilitators).toEqual(original.facilitators); // not doubled
    expect(onNode.sessions.session.count).toBe(0); // nothing else arrived
    expect((await program.manager.query(HISTORY)).data?.partnerNodes).toEqual([
      { organisationId: 'partner-0', hosting: 'HUB', history: [{ action: 'REGISTER', after: { hosting: 'HUB' } }] },
    ]);
    await asSystem(node.running!.subgraphs.facilitators.dataSource, (m) => deleteRows(m, 'facilitators', 'partner-0'));
  });

  it('moves the organisation to its node with the same counts and checksums, leaving the hub none and refusing new ones there', async () => {
    const report = await move(hub, program.manager, node, 'NODE');
    expect(report.before).toEqual(original);
    expect(report.after).toEqual(original);
    expect(await summaries(node.running!.subgraphs, 'partner-0')).toEqual(original);
    const left = await summaries(hub.subgraphs, 'partner-0');
    expect(Object.values(left).flatMap((t) => Object.values(t)).every((t) => t.count === 0)).toBe(true);
    expect((await ask()).data).toEqual(dashboard);
    // a row of partner-0 written to the hub now would be read by nobody: the hub refuses it
    await expect(copyOrganisationRows(node.running!.subgraphs.sessions.dataSource, hub.subgraphs.sessions.dataSource, 'sessions', 'partner-0')).rejects.toThrow(/node_hosted_partner-0/);
  });

  it('moves it back to the hub losing and duplicating nothing, and the hub takes its writes again', async () => {
    const report = await move(hub, program.manager, node, 'HUB');
    expect(report.after).toEqual(original);
    expect(await summaries(hub.subgraphs, 'partner-0')).toEqual(original);
    const onNode = await summaries(node.running!.subgraphs, 'partner-0');
    expect(Object.values(onNode).flatMap((t) => Object.values(t)).every((t) => t.count === 0)).toBe(true);
    expect((await ask()).data).toEqual(dashboard);
    const created = await program.partners[0].admin.query(`mutation { createFacilitator(input: { organisationId: "partner-0", givenName: "Back", familyName: "Home", email: "back@partner-0.example" }) { id } }`);
    expect(created.errors).toBeUndefined();
    expect((await hub.subgraphs.facilitators.dataSource.query(`SELECT count(*)::int AS n FROM facilitator WHERE organisation_id = 'partner-0'`))[0].n).toBe(3);
    const history = (await program.manager.query(HISTORY)).data?.partnerNodes[0].history.map((h: any) => [h.action, h.after.hosting]);
    expect(history).toEqual([['REGISTER', 'HUB'], ['MOVE', 'NODE'], ['MOVE', 'HUB']]);
  });

  it('does the same from the command line: npm run move-organisation -- --node-config … --to node, then --to hub', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'move-'));
    const config = path.join(dir, 'partner-node.json');
    writeFileSync(config, JSON.stringify({ organisation: 'partner-0', databases: node.config.databaseUrls, trustedHubKeys: node.config.trustedHubKeys }));
    const env = {
      ...process.env,
      ...Object.fromEntries(['facilitators', 'sessions', 'feedback'].map((n) => [`${n.toUpperCase()}_DATABASE_URL`, hub.configs[n as 'sessions'].databaseUrl])),
      PARTNERS_URL: hub.subgraphs.partners.url(),
      HUB_GATEWAY_PRIVATE_KEY: hub.keys.gateway.privateKey,
      HUB_GATEWAY_PUBLIC_KEY: hub.keys.gateway.publicKey,
    };
    // asynchronously: the hub it talks to runs in this process
    const run = (to: string) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [path.resolve(__dirname, '../packages/node/dist/move-main.js'), '--node-config', config, '--to', to], { env }, (error, stdout, stderr) =>
          resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const before = await summaries(hub.subgraphs, 'partner-0');
    const there = await run('node');
    expect(there.stderr).toBe('');
    expect(there.status).toBe(0);
    expect(there.stdout).toMatch(/partner-0's records are now hosted by the node/);
    expect(await summaries(node.running!.subgraphs, 'partner-0')).toEqual(before);
    const back = await run('hub');
    expect(back.status).toBe(0);
    expect(await summaries(hub.subgraphs, 'partner-0')).toEqual(before);
    const history = (await program.manager.query(`{ partnerNodes { history { action changedBy after { hosting } } } }`)).data?.partnerNodes[0].history.slice(-2);
    expect(history).toEqual([
      { action: 'MOVE', changedBy: expect.stringMatching(/^move-organisation \(/), after: { hosting: 'NODE' } },
      { action: 'MOVE', changedBy: expect.stringMatching(/^move-organisation \(/), after: { hosting: 'HUB' } },
    ]);
    expect((await run('sideways')).status).toBe(1);
  });

  it('keeps a live subscription following the organisation\'s session as the session moves to the node and back, missing nothing at the switch', async () => {
    const admin = program.partners[0].admin;
    const startsAt = new Date(Date.now() + 3_600_000);
    const scheduled = await admin.query(
      `mutation($c: ID!, $s: DateTimeISO!, $e: DateTimeISO!, $f: [ID!]!) { scheduleSession(input: { communityId: $c, topic: "Moving", startsAt: $s, endsAt: $e, facilitatorIds: $f }) { id } }`,
      { c: program.partners[0].groupIds[0], s: startsAt.toISOString(), e: new Date(startsAt.getTime() + 3_600_000).toISOString(), f: program.partners[0].facilitatorIds.slice(0, 1) },
    );
    expect(scheduled.errors).toBeUndefined();
    const id: string = scheduled.data?.scheduleSession.id;
    const client = liveClient(hub.gatewayUrl, admin.token);
    try {
      const live = subscribe(client, `subscription($id: ID!) { sessionChanged(id: $id) { id status } }`, { id });
      const counts = () => [hub.subgraphs.sessions.events.subscriptionCount, node.running!.subgraphs.sessions.events.subscriptionCount];
      // partner-0 has an active node: the gateway subscribes there too, on standby, before anything moves
      await waitFor(() => counts()[0] === 1 && counts()[1] === 1);
      await move(hub, program.manager, node, 'NODE');
      // so the switch changes no subscription, and a change right after it reaches the client
      expect(counts()).toEqual([1, 1]);
      expect((await admin.query(`mutation($id: ID!) { startSession(id: $id) { status } }`, { id })).errors).toBeUndefined();
      expect((await live.next()).data?.sessionChanged).toEqual({ id, status: 'LIVE' });
      await move(hub, program.manager, node, 'HUB');
      expect(counts()).toEqual([1, 1]);
      expect((await admin.query(`mutation($id: ID!) { endSession(id: $id) { status } }`, { id })).errors).toBeUndefined();
      expect((await live.next()).data?.sessionChanged).toEqual({ id, status: 'ENDED' });
      live.close();
    } finally {
      await client.dispose();
    }
  });
});
