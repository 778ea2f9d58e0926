import { PARTNER_REPORT_COLUMNS } from '@hub/gateway';
import { createSmallProgram, mutate, type SmallProgram } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

/** "Report once": a delivery partner downloads its sessions, attendance and outcomes for a period. */
describe('the partner report (CSV)', () => {
  let hub: TestHub;
  let program: SmallProgram;
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

  const download = async (token: string | undefined, query: string) =>
    fetch(new URL(`/export/partner-report.csv?${query}`, hub.gatewayUrl), { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    hub = await startTestHub();
    program = await createSmallProgram(hub, { partners: 2, facilitators: 2, groups: 1, sessionsPerGroup: 2, answersPerSession: 5 });
    // an outcome rating on one of partner-0's sessions, answered by five participants
    const admin = program.partners[0].admin;
    const session = (await admin.query(`{ sessions(first: 1, filter: { status: ENDED }) { nodes { id } } }`)).data?.sessions.nodes[0].id;
    const { createPoll } = await mutate(admin, `mutation($p: ID!, $s: ID!) { createPoll(input: { organisationId: "partner-0", programId: $p, sessionId: $s, kind: OUTCOME, question: "How connected do you feel?", answerType: RATING }) { id } }`, {
      p: program.programId,
      s: session,
    });
    for (const [n, rating] of [4, 5, 5, 3, 5].entries()) {
      const participant = await hub.as({ role: 'participant', org: 'partner-0', programs: [program.programId], sub: `outcome-${n}` });
      await mutate(participant, `mutation($p: ID!, $r: Int!) { submitResponse(input: { pollId: $p, rating: $r }) { accepted } }`, { p: createPoll.id, r: rating });
    }
  }, 60_000);
  afterAll(() => hub.stop());

  it('gives the partner its sessions held in the period, with attendance and outcome ratings, in the documented layout', async () => {
    const res = await download(program.partners[0].admin.token, `from=${monthAgo}&to=${today}`);
    if (res.status !== 200) throw new Error(await res.text());
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="partner-0-sessions-${monthAgo}-to-${today}.csv"`);
    const [header, ...lines] = (await res.text()).trim().split('\n').map((l) => l.split(','));
    expect(header).toEqual([...PARTNER_REPORT_COLUMNS]);
    expect(lines).toHaveLength(2);
    const rows = lines.map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]])));
    for (const row of rows) {
      expect(row).toMatchObject({ organisation_id: 'partner-0', program_id: program.programId, community_name: 'Group 0', status: 'ENDED', mode: 'IN_PERSON', facilitator_count: '2' });
      // five identified attendees and one unidentified, as the fixture recorded them
      expect([row.attendance_identified, row.attendance_unidentified, row.attendance_total]).toEqual(['5', '1', '6']);
      expect(row.duration_minutes).toBe('120');
    }
    const rated = rows.filter((r) => r.outcome_responses !== '');
    expect(rated).toEqual([expect.objectContaining({ outcome_responses: '5', outcome_average: '4.4' })]);
  });

  it('holds nothing of another partner, refuses participants and callers without a token, and names a bad parameter', async () => {
    const other = await download(program.partners[1].admin.token, `from=${monthAgo}&to=${today}`);
    expect((await other.text()).includes('partner-0')).toBe(false);
    expect((await download(undefined, `from=${monthAgo}&to=${today}`)).status).toBe(401);
    const participant = await hub.as({ role: 'participant', org: 'partner-0', programs: [program.programId] });
    expect((await download(participant.token, `from=${monthAgo}&to=${today}`)).status).toBe(403);
    const bad = await download(program.partners[0].admin.token, `from=${monthAgo}&to=yesterday`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'to', message: 'must be a day, YYYY-MM-DD' }] } })] });
  });
});
