import { Client } from 'pg';
import { isRecordId, SUBGRAPH_NAMES, type SubgraphName } from '@hub/core';
import { datasetShape, generateDataset, type GenerateSummary } from '../bench/src/generate';
import { NATIONAL_DASHBOARD, NationalFloor } from '../bench/src/workloads';
import { startTestHub, type TestHub } from './support/hub';

/** Runs SQL directly on one subgraph's own database: the ground truth the gateway must match. */
async function sql<T = Record<string, any>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

const SCALE = 0.05;

describe('the benchmark dataset generator', () => {
  let hub: TestHub;
  let summary: GenerateSummary;
  let urls: Record<SubgraphName, string>;

  beforeAll(async () => {
    hub = await startTestHub({ accessScopeTtlMs: 60_000 });
    urls = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, hub.configs[n].databaseUrl])) as Record<SubgraphName, string>;
    summary = await generateDataset({ scale: SCALE, databaseUrls: urls, progress: false });
  }, 120_000);
  afterAll(() => hub.stop());

  it('documents the sizes of each scale, ten times the national program at scale 10', () => {
    expect(datasetShape(1)).toMatchObject({ deliveryPartners: 8, facilitators: 150, groups: 200, communitiesOfPractice: 5, sessions: 10_020 });
    const ten = datasetShape(10);
    expect(ten).toMatchObject({ deliveryPartners: 80, facilitators: 1_500, groups: 2_000, communitiesOfPractice: 50, sessions: 100_200 });
    expect(ten.attendance).toBeGreaterThan(950_000);
    expect(ten.attendance).toBeLessThan(1_050_000);
    expect(ten.feedbackResponses).toBeGreaterThan(190_000);
    expect(ten.feedbackResponses).toBeLessThan(210_000);
    expect(() => datasetShape(0)).toThrow();
  });

  it('writes the rows the scale asks for, as it reports them', async () => {
    const shape = datasetShape(SCALE);
    const count = async (db: SubgraphName, table: string, where = 'true') => (await sql<{ n: number }>(urls[db], `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`))[0].n;
    expect(await count('partners', 'program_partner')).toBe(shape.deliveryPartners);
    expect(await count('partners', 'organisation', `kind = 'DELIVERY_PARTNER'`)).toBe(shape.deliveryPartners);
    expect(await count('facilitators', 'facilitator')).toBe(shape.facilitators);
    expect(await count('sessions', 'community', `kind = 'GROUP'`)).toBe(shape.groups);
    expect(await count('sessions', 'community', `kind = 'COMMUNITY_OF_PRACTICE'`)).toBe(shape.communitiesOfPractice);
    expect(await count('sessions', 'session')).toBe(shape.sessions);
    // drawn at random: within 15% of the expected value at this small scale
    const attendance = await count('sessions', 'attendance');
    expect(Math.abs(attendance - shape.attendance) / shape.attendance).toBeLessThan(0.15);
    const responses = await count('feedback', 'response');
    expect(Math.abs(responses - shape.feedbackResponses) / shape.feedbackResponses).toBeLessThan(0.15);
    // one participation row per answered poll, its hashes sorted, one per answer
    const participation = await sql<{ polls: number; answered: number; hashes: number; unsorted: number }>(
      urls.feedback,
      `SELECT (SELECT count(*)::int FROM participation) AS polls,
              (SELECT count(DISTINCT poll_id)::int FROM response) AS answered,
              (SELECT coalesce(sum(cardinality(hashes)), 0)::int FROM participation) AS hashes,
              (SELECT count(*)::int FROM participation WHERE hashes <> ARRAY(SELECT unnest(hashes) ORDER BY 1)) AS unsorted`,
    );
    expect(participation[0]).toEqual({ polls: participation[0].answered, answered: participation[0].answered, hashes: responses, unsorted: 0 });

    // the summary says what is there
    for (const db of SUBGRAPH_NAMES) {
      for (const [table, n] of Object.entries(summary.rows[db])) expect({ db, table, n: await count(db, table) }).toEqual({ db, table, n });
    }
    expect(summary.totalRows).toBe(SUBGRAPH_NAMES.reduce((s, db) => s + Object.values(summary.rows[db]).reduce((a, b) => a + b, 0), 0));
    const [session] = await sql<{ id: string }>(urls.sessions, 'SELECT id FROM session LIMIT 1');
    expect(isRecordId(session.id, 'ses')).toBe(true);
  });

  it('refuses to write into databases that hold a program already', async () => {
    await expect(generateDataset({ scale: SCALE, databaseUrls: urls, progress: false })).rejects.toThrow(/fresh databases/);
  });

  it('gives a national dashboard through the gateway equal to SQL on each subgraph\'s own database', async () => {
    const manager = await hub.as({ role: 'national-manager', org: summary.nationalId, programs: [summary.programId] });
    const res = await manager.query(NATIONAL_DASHBOARD, { program: summary.programId, from: summary.from, to: summary.to });
    expect(res.errors).toBeUndefined();
    const partners = (res.data?.program.deliveryPartners as Record<string, any>[]).map(({ name: _name, ...figures }) => figures);
    expect(partners.map((p) => p.id).sort()).toEqual([...summary.partnerIds].sort());

    const p = summary.programId;
    const by = (rows: { id: string; n: number }[], id: string) => rows.find((r) => r.id === id)?.n ?? 0;
    const facilitators = await sql<{ id: string; n: number }>(urls.facilitators, `SELECT organisation_id AS id, count(*)::int AS n FROM facilitator WHERE status = 'ACTIVE' GROUP BY 1`);
    const groups = await sql<{ id: string; n: number }>(urls.sessions, `SELECT organisation_id AS id, count(*)::int AS n FROM community WHERE kind = 'GROUP' AND program_id = $1 GROUP BY 1`, [p]);
    const held = await sql<{ id: string; n: number }>(
      urls.sessions,
      `SELECT organisation_id AS id, count(*)::int AS n FROM session WHERE status = 'ENDED' AND program_id = $1 AND starts_at >= $2 AND starts_at < $3 GROUP BY 1`,
      [p, summary.from, summary.to],
    );
    const attendance = await sql<{ id: string; n: number }>(
      urls.sessions,
      `SELECT s.organisation_id AS id, (sum(s.unidentified_attendees) + (SELECT count(*) FROM attendance a JOIN session t ON t.id = a.session_id
         WHERE t.organisation_id = s.organisation_id AND t.program_id = $1 AND t.starts_at >= $2 AND t.starts_at < $3))::int AS n
       FROM session s WHERE s.program_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 GROUP BY 1`,
      [p, summary.from, summary.to],
    );
    const responses = await sql<{ id: string; n: number }>(
      urls.feedback,
      `SELECT id, sum(n)::int AS n FROM (
         SELECT p.organisation_id AS id, p.id AS poll, count(*) AS n FROM response r JOIN poll p ON p.id = r.poll_id
         WHERE p.program_id = $1 AND r.submitted_on >= $2::date AND r.submitted_on < $3::date GROUP BY 1, 2
       ) per_poll WHERE n >= 5 GROUP BY 1`,
      [p, summary.from, summary.to],
    );
    const expected = partners.map(({ id }) => ({
      id,
      facilitatorCount: by(facilitators, id),
      groups: by(groups, id),
      sessionsHeld: by(held, id),
      attendanceCount: by(attendance, id),
      feedbackResponseCount: by(responses, id),
    }));
    expect(partners).toEqual(expected);
    expect(expected.every((e) => e.facilitatorCount > 0 && e.groups > 0 && e.sessionsHeld > 0 && e.attendanceCount > 0 && e.feedbackResponseCount > 0)).toBe(true);

    // the benchmark's SQL floor computes the same numbers
    const floor = new NationalFloor(urls);
    try {
      const figures = await floor.figures(summary);
      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
      expect([...figures].sort(byId)).toEqual([...expected].sort(byId));
    } finally {
      await floor.close();
    }
  });
});
