import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId, newUntimedId, SUBGRAPH_NAMES, type SubgraphName } from '@hub/core';
import { participantHash } from '@hub/feedback';
import { SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { csvLine } from './csv';
import { seededRandom, timedId } from './ids';
import { numberArg, parseArgs, prepare, startServer } from './setup';

/**
 * The benchmark's dataset: a national program at a scale factor, written straight into each
 * subgraph's own database with PostgreSQL COPY as the table owner (row-level security does not
 * apply to the owner; every CHECK constraint and foreign key does).
 *
 * Scale 1 has the demo program's shape (8 delivery partners, 150 facilitators, 200 groups, 5
 * communities of practice); its groups meet weekly for 40 weeks up to today and 10 weeks ahead,
 * so each unit of scale is about 10,000 sessions, 100,000 attendance records and 20,000 feedback
 * responses. Scale 10 is the "ten times the national program": 80 partners, 1,500
 * facilitators, 2,000 groups, 50 CoPs, 100,200 sessions, about 1,000,000 attendance records and
 * 200,000 feedback responses.
 */

/** The national manager organisation that runs the benchmark program. */
export const NATIONAL_ID = 'prc';
const DAY = 86_400_000;
const WEEK = 7 * DAY;
const GROUP_WEEKS_PAST = 40;
const GROUP_WEEKS_AHEAD = 10;
const COP_MEETINGS = 4;
const MEMBER_MIN = 12;
const MEMBER_SPREAD = 8;

/** What a scale factor gives: exact for the structure, expected values for the rest. */
export interface DatasetShape {
  deliveryPartners: number;
  facilitators: number;
  groups: number;
  communitiesOfPractice: number;
  sessions: number;
  /** Expected (the dataset is drawn at random): ±5% at scale 1 and above. */
  attendance: number;
  /** Expected, as attendance. */
  feedbackResponses: number;
}

/** The documented size of the dataset at a scale factor. */
export function datasetShape(scale: number): DatasetShape {
  if (!(scale > 0) || scale > 1000) throw new Error(`scale must be above 0 and at most 1000, not ${scale}`);
  const deliveryPartners = Math.max(2, Math.round(8 * scale));
  const facilitators = Math.max(2 * deliveryPartners, Math.round(150 * scale));
  const groups = Math.max(deliveryPartners, Math.round(200 * scale));
  const communitiesOfPractice = Math.max(1, Math.round(5 * scale));
  const sessions = groups * (GROUP_WEEKS_PAST + GROUP_WEEKS_AHEAD) + communitiesOfPractice * COP_MEETINGS;
  return {
    deliveryPartners,
    facilitators,
    groups,
    communitiesOfPractice,
    sessions,
    // 15.5 members a group, 84% of them at each of 40 weeks' sessions (2% cancelled); ~28 members a CoP, 70% at 3 meetings
    attendance: Math.round(groups * 508 + communitiesOfPractice * 60),
    // a poll every fourth session, answered by 80% of those who came
    feedbackResponses: Math.round(groups * 101 + communitiesOfPractice * 48),
  };
}

export interface Dataset {
  scale: number;
  programId: string;
  programName: string;
  nationalId: string;
  partnerIds: string[];
  /** The reporting period the dashboards ask about: the last year, [from, to). */
  from: string;
  to: string;
}

export interface GenerateSummary extends Dataset {
  /** Rows written, per database and table. */
  rows: Record<SubgraphName, Record<string, number>>;
  totalRows: number;
  /** Planning, COPY and VACUUM ANALYZE, in seconds. */
  seconds: { plan: number; copy: number; analyze: number; total: number };
}

export interface GenerateOptions {
  scale: number;
  /** Each subgraph's own database, migrated and empty, as its owner (e.g. `hub.configs[name].databaseUrl`). */
  databaseUrls: Record<SubgraphName, string>;
  seed?: number;
  now?: Date;
  /** A progress bar on stderr. Default: when stderr is a terminal. */
  progress?: boolean;
  log?: (line: string) => void;
}

export const programNameFor = (scale: number) => `Benchmark program (scale ${scale})`;

const STATES = ['au-vic', 'au-nsw', 'au-qld', 'au-sa', 'au-wa', 'au-tas', 'au-nt', 'au-act'];
const GIVEN = ['Aroha', 'Ben', 'Chloe', 'Deepa', 'Eli', 'Fatima', 'Grace', 'Hamish', 'Isla', 'Jun', 'Kiri', 'Liam', 'Maya', 'Nikhil', 'Olivia', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tahlia'];
const FAMILY = ['Anderson', 'Brown', 'Chen', 'Davies', 'Evans', 'Fraser', 'Gupta', 'Harris', 'Ito', 'Jones', 'Kaur', 'Lee', 'Martin', 'Nguyen', 'Okafor', 'Patel'];
const TOPICS = ['Welcome and getting to know each other', 'Looking after yourself', 'Navigating services', 'Sleep and routines', 'School and learning', 'Sibling relationships', 'Respite and support', 'Celebrating small wins', 'Managing stress', 'Planning ahead'];
const GROUP_PHASES = ['Welcome', 'Share', 'Discuss', 'Close'];
const COP_PHASES = ['Share', 'Discuss', 'Apply'];
const CHOICES = ['Engaging families', 'Online facilitation', 'Self-care', 'Working with schools'];

interface FacilitatorPlan {
  id: string;
  org: string;
  status: 'ACTIVE' | 'ON_LEAVE' | 'INACTIVE';
  state: string;
}
interface CommunityPlan {
  id: string;
  org: string;
  kind: 'GROUP' | 'COMMUNITY_OF_PRACTICE';
  name: string;
  mode: 'ONLINE' | 'IN_PERSON';
  state: string;
  /** Attendee refs: participants of a group, facilitator IDs of a CoP. */
  members: string[];
}
interface SessionPlan {
  id: string;
  community: CommunityPlan;
  start: number;
  status: 'ENDED' | 'SCHEDULED' | 'CANCELLED';
  facilitators: string[];
  /** Indexes into community.members of who came. */
  attendees: number[];
  unidentified: number;
  topic: string;
}
interface PollPlan {
  id: string;
  session: SessionPlan;
  kind: 'CHECK_IN' | 'OUTCOME' | 'POLL';
  /** Indexes into the session's community members of who answered. */
  respondents: number[];
}

interface Plan extends Dataset {
  facilitators: FacilitatorPlan[];
  communities: CommunityPlan[];
  sessions: SessionPlan[];
  polls: PollPlan[];
  attendance: number;
  responses: number;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const midnight = (ms: number) => Math.floor(ms / DAY) * DAY;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

function plan(scale: number, seed: number, now: number): Plan {
  const shape = datasetShape(scale);
  const rnd = seededRandom(seed);
  const programId = newId(NATIONAL_ID, 'prg');
  const today = midnight(now);
  const width = Math.max(3, String(shape.deliveryPartners).length);
  const partnerIds = Array.from({ length: shape.deliveryPartners }, (_, i) => `partner-${pad(i + 1, width)}`);
  const stateOf = (i: number) => STATES[i % STATES.length];

  const facilitators: FacilitatorPlan[] = [];
  const teams = partnerIds.map(() => [] as FacilitatorPlan[]);
  for (let i = 0; i < shape.facilitators; i++) {
    const p = i % partnerIds.length;
    const n = Math.floor(i / partnerIds.length);
    const f: FacilitatorPlan = { id: newId(partnerIds[p], 'fac'), org: partnerIds[p], status: n % 20 === 2 ? 'ON_LEAVE' : n % 20 === 5 ? 'INACTIVE' : 'ACTIVE', state: stateOf(p) };
    facilitators.push(f);
    teams[p].push(f);
  }

  const communities: CommunityPlan[] = [];
  const sessions: SessionPlan[] = [];
  const polls: PollPlan[] = [];
  let attendance = 0;
  let responses = 0;
  const answering = (who: number[], share: number) => who.filter(() => rnd() < share);

  for (let g = 0; g < shape.groups; g++) {
    const p = g % partnerIds.length;
    const org = partnerIds[p];
    const team = teams[p].filter((f) => f.status !== 'INACTIVE');
    const members = Array.from({ length: MEMBER_MIN + Math.floor(rnd() * MEMBER_SPREAD) }, (_, k) => `g${g + 1}-p${k + 1}`);
    const community: CommunityPlan = { id: newId(org, 'com'), org, kind: 'GROUP', name: `Parents group ${g + 1}`, mode: rnd() < 0.25 ? 'ONLINE' : 'IN_PERSON', state: stateOf(p), members };
    communities.push(community);
    const lead = team[g % team.length].id;
    const co = team[(g + 1) % team.length].id;
    const first = today - GROUP_WEEKS_PAST * WEEK + (g % 7) * DAY + (8 + (g % 10)) * 3_600_000;
    for (let s = 0; s < GROUP_WEEKS_PAST + GROUP_WEEKS_AHEAD; s++) {
      const start = first + s * WEEK;
      const past = start + 2 * 3_600_000 < now;
      const cancelled = past && rnd() < 0.02;
      // attendance drifts down over the year
      const stay = 0.92 - (0.17 * s) / GROUP_WEEKS_PAST;
      const attendees = past && !cancelled ? members.map((_, k) => k).filter(() => rnd() < stay) : [];
      const session: SessionPlan = {
        id: timedId(org, 'ses', start - 30 * DAY),
        community,
        start,
        status: cancelled ? 'CANCELLED' : past ? 'ENDED' : 'SCHEDULED',
        facilitators: s % 4 === 3 || lead === co ? [lead] : [lead, co],
        attendees,
        unidentified: past && !cancelled ? Math.floor(rnd() * 3) : 0,
        topic: TOPICS[s % TOPICS.length],
      };
      sessions.push(session);
      attendance += attendees.length;
      if (session.status === 'ENDED' && s % 4 === 3) {
        const respondents = answering(attendees, 0.8);
        polls.push({ id: timedId(org, 'pol', start), session, kind: s % 8 === 7 ? 'OUTCOME' : 'CHECK_IN', respondents });
        responses += respondents.length;
      }
    }
  }

  const everyone = facilitators.filter((f) => f.status !== 'INACTIVE');
  for (let c = 0; c < shape.communitiesOfPractice; c++) {
    const members = everyone.filter((_, i) => i % shape.communitiesOfPractice === c).map((f) => f.id);
    if (members.length === 0) members.push(everyone[c % everyone.length].id);
    const community: CommunityPlan = { id: newId(NATIONAL_ID, 'com'), org: NATIONAL_ID, kind: 'COMMUNITY_OF_PRACTICE', name: `Facilitators CoP ${c + 1}`, mode: 'ONLINE', state: 'au', members };
    communities.push(community);
    for (let q = 0; q < COP_MEETINGS; q++) {
      const start = today - (COP_MEETINGS - 1 - q) * 91 * DAY - 60 * DAY + (c % 24) * 3_600_000;
      const past = start + 2 * 3_600_000 < now;
      const attendees = past ? members.map((_, k) => k).filter(() => rnd() < 0.7) : [];
      const session: SessionPlan = {
        id: timedId(NATIONAL_ID, 'ses', start - 60 * DAY),
        community,
        start,
        status: past ? 'ENDED' : 'SCHEDULED',
        facilitators: [members[q % members.length]],
        attendees,
        unidentified: 0,
        topic: `Practice exchange ${q + 1}`,
      };
      sessions.push(session);
      attendance += attendees.length;
      if (past) {
        const respondents = answering(attendees, 0.8);
        polls.push({ id: timedId(NATIONAL_ID, 'pol', start), session, kind: 'POLL', respondents });
        responses += respondents.length;
      }
    }
  }

  return {
    scale,
    programId,
    programName: programNameFor(scale),
    nationalId: NATIONAL_ID,
    partnerIds,
    from: new Date(midnight(now - 365 * DAY)).toISOString(),
    to: new Date(today + DAY).toISOString(),
    facilitators,
    communities,
    sessions,
    polls,
    attendance,
    responses,
  };
}

/** A table's rows as CSV lines, with their number known up front (for the progress bar). */
interface TableRows {
  table: string;
  columns: string[];
  count: number;
  lines: () => Iterable<string>;
}

function* map<T>(items: Iterable<T>, line: (item: T) => unknown[] | null): Iterable<string> {
  for (const item of items) {
    const values = line(item);
    if (values) yield csvLine(values);
  }
}

function partnersTables(p: Plan): TableRows[] {
  const regions: unknown[][] = [['au', 'Australia', 'COUNTRY', null], ...STATES.map((s) => [s, s.slice(3).toUpperCase(), 'STATE', 'au'])];
  const orgs: unknown[][] = [
    [NATIONAL_ID, 'National Parenting Centre (benchmark)', 'NATIONAL_MANAGER', null],
    ...p.partnerIds.map((id, i) => [id, `Delivery partner ${i + 1}`, 'DELIVERY_PARTNER', null]),
  ];
  const orgRegions: unknown[][] = [[NATIONAL_ID, 'au'], ...p.partnerIds.map((id, i) => [id, STATES[i % STATES.length]])];
  const program = [
    p.programId,
    p.programName,
    'Generated by bench/src/generate.ts: a national program at a scale factor.',
    NATIONAL_ID,
    5,
    JSON.stringify([]),
    JSON.stringify([{ name: 'Benchmark year', startsOn: p.from.slice(0, 10), endsOn: day(Date.parse(p.to) - DAY) }]),
  ];
  const joined = day(Date.parse(p.from) - 365 * DAY);
  const partners = p.partnerIds.map((id, i) => [p.programId, id, joined, i % 3 === 0, true, i % 2 === 0]);
  const table = (name: string, columns: string[], rows: unknown[][]): TableRows => ({ table: name, columns, count: rows.length, lines: () => map(rows, (r) => r) });
  return [
    table('region', ['id', 'name', 'level', 'parent_id'], regions),
    table('organisation', ['id', 'name', 'kind', 'website'], orgs),
    table('organisation_region', ['organisation_id', 'region_id'], orgRegions),
    table('program', ['id', 'name', 'description', 'managing_organisation_id', 'minimum_group_size', 'tiers', 'reporting_periods'], [program]),
    table('program_partner', ['program_id', 'organisation_id', 'joined_on', 'share_facilitator_contacts', 'share_session_details', 'share_engagement_plans'], partners),
  ];
}

function facilitatorsTables(p: Plan, rnd: () => number): TableRows[] {
  const courses = [
    { id: newId(NATIONAL_ID, 'trc'), name: 'Group facilitation foundations', months: null },
    { id: newId(NATIONAL_ID, 'trc'), name: 'Trauma-informed practice', months: 24 },
    { id: newId(NATIONAL_ID, 'trc'), name: 'Child safety refresher', months: 12 },
  ];
  const year = new Date(p.to).getUTCFullYear();
  const records: unknown[][] = [];
  const levels = ['FOUNDATION', 'PRACTITIONER', 'ADVANCED', 'TRAINER'];
  for (const f of p.facilitators) {
    courses.forEach((c, ci) => {
      if (ci > 0 && rnd() < 0.3) return;
      const completed = Date.UTC(year - 1 - Math.floor(rnd() * 3), Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 27));
      const expires = c.months ? day(new Date(completed).setUTCMonth(new Date(completed).getUTCMonth() + c.months)) : null;
      records.push([newId(f.org, 'trr'), f.org, f.id, c.id, day(completed), levels[Math.floor(rnd() * 4)], expires]);
    });
  }
  const memberships: unknown[][] = [];
  for (const c of p.communities) {
    if (c.kind !== 'COMMUNITY_OF_PRACTICE') continue;
    const owner = (id: string) => id.split('.')[0];
    for (const f of c.members) memberships.push([newId(owner(f), 'mem'), owner(f), f, c.id, 'MEMBER', day(Date.parse(p.from) - 60 * DAY), null, true]);
  }
  return [
    {
      table: 'facilitator',
      columns: ['id', 'organisation_id', 'given_name', 'family_name', 'email', 'phone', 'region_id', 'status'],
      count: p.facilitators.length,
      lines: () =>
        map(p.facilitators.entries(), ([i, f]) => {
          const given = GIVEN[i % GIVEN.length];
          const family = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length];
          return [f.id, f.org, given, family, `${given}.${family}.${i}@${f.org}.example`.toLowerCase(), null, f.state, f.status];
        }),
    },
    {
      table: 'training_course',
      columns: ['id', 'program_id', 'organisation_id', 'name', 'description', 'valid_for_months'],
      count: courses.length,
      lines: () => map(courses, (c) => [c.id, p.programId, NATIONAL_ID, c.name, '', c.months]),
    },
    {
      table: 'training_record',
      columns: ['id', 'organisation_id', 'facilitator_id', 'course_id', 'completed_on', 'accreditation_level', 'expires_on'],
      count: records.length,
      lines: () => map(records, (r) => r),
    },
    {
      table: 'community_membership',
      columns: ['id', 'organisation_id', 'facilitator_id', 'community_id', 'role', 'joined_on', 'left_on', 'confidentiality_agreed'],
      count: memberships.length,
      lines: () => map(memberships, (r) => r),
    },
  ];
}

function sessionsTables(p: Plan): TableRows[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  return [
    {
      table: 'community',
      columns: ['id', 'organisation_id', 'program_id', 'kind', 'name', 'purpose', 'cadence', 'mode', 'region_id', 'maturity_stage', 'format_phases'],
      count: p.communities.length,
      lines: () =>
        map(p.communities, (c) => {
          const group = c.kind === 'GROUP';
          return [c.id, c.org, p.programId, c.kind, c.name, group ? 'Peer support for parents and carers.' : 'Facilitators share practice.', group ? 'weekly' : 'quarterly', c.mode, c.state, 'MATURING', group ? GROUP_PHASES : COP_PHASES];
        }),
    },
    {
      table: 'session',
      columns: ['id', 'community_id', 'organisation_id', 'program_id', 'topic', 'starts_at', 'ends_at', 'mode', 'location', 'status', 'format_phases', 'unidentified_attendees'],
      count: p.sessions.length,
      lines: () =>
        map(p.sessions, (s) => {
          const c = s.community;
          return [s.id, c.id, c.org, p.programId, s.topic, iso(s.start), iso(s.start + 2 * 3_600_000), c.mode, c.mode === 'ONLINE' ? null : 'Community centre', s.status, c.kind === 'GROUP' ? GROUP_PHASES : COP_PHASES, s.unidentified];
        }),
    },
    {
      table: 'session_facilitator',
      columns: ['session_id', 'facilitator_id', 'position'],
      count: p.sessions.reduce((n, s) => n + s.facilitators.length, 0),
      lines: function* () {
        for (const s of p.sessions) for (let i = 0; i < s.facilitators.length; i++) yield `${s.id},${s.facilitators[i]},${i}\n`;
      },
    },
    {
      table: 'attendance',
      columns: ['id', 'session_id', 'organisation_id', 'attendee_ref', 'kind', 'recorded_at'],
      count: p.attendance,
      lines: function* () {
        for (const s of p.sessions) {
          if (!s.attendees.length) continue;
          const org = s.community.org;
          const kind = s.community.kind === 'GROUP' ? 'PARTICIPANT' : 'FACILITATOR';
          const at = iso(s.start + 600_000);
          for (const k of s.attendees) yield `${timedId(org, 'att', s.start + 600_000)},${s.id},${org},${s.community.members[k]},${kind},${at}\n`;
        }
      },
    },
  ];
}

function feedbackTables(p: Plan, rnd: () => number): TableRows[] {
  const question = { CHECK_IN: 'Is this group still meeting your needs?', OUTCOME: 'Since joining, how connected do you feel to other parents?', POLL: 'Which topic should we take up next time?' };
  return [
    {
      table: 'poll',
      columns: ['id', 'organisation_id', 'program_id', 'session_id', 'community_id', 'kind', 'question', 'answer_type', 'options', 'status'],
      count: p.polls.length,
      lines: () =>
        map(p.polls, (poll) => [
          poll.id,
          poll.session.community.org,
          p.programId,
          poll.session.id,
          null,
          poll.kind,
          question[poll.kind],
          poll.kind === 'POLL' ? 'CHOICE' : 'RATING',
          poll.kind === 'POLL' ? CHOICES : null,
          'CLOSED',
        ]),
    },
    {
      table: 'response',
      columns: ['id', 'poll_id', 'choice', 'rating', 'submitted_on'],
      count: p.responses,
      lines: function* () {
        for (const poll of p.polls) {
          const org = poll.session.community.org;
          const on = day(poll.session.start);
          for (let i = 0; i < poll.respondents.length; i++) {
            const id = newUntimedId(org, 'rsp');
            if (poll.kind === 'POLL') yield `${id},${poll.id},${Math.floor(rnd() * CHOICES.length)},,${on}\n`;
            else yield `${id},${poll.id},,${Math.max(1, Math.min(5, Math.round(3.6 + (rnd() - 0.5) * 2.6)))},${on}\n`;
          }
        }
      },
    },
    {
      table: 'participation',
      columns: ['poll_id', 'hashes'],
      count: p.polls.filter((poll) => poll.respondents.length).length,
      lines: () =>
        map(p.polls, (poll) => {
          if (!poll.respondents.length) return null;
          const members = poll.session.community.members;
          return [poll.id, poll.respondents.map((k) => participantHash(poll.id, members[k])).sort()];
        }),
    },
  ];
}

/** Writes the tables of one database in one transaction, each with COPY … FROM STDIN (FORMAT csv). */
async function copyInto(url: string, tables: TableRows[], progress: (rows: number, table: string) => void): Promise<Record<string, number>> {
  const client = new Client({ connectionString: url, application_name: 'hub-bench-generate' });
  await client.connect();
  const written: Record<string, number> = {};
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL synchronous_commit = off');
    for (const t of tables) {
      let rows = 0;
      async function* chunks(): AsyncGenerator<string> {
        let chunk = '';
        let n = 0;
        for (const line of t.lines()) {
          chunk += line;
          n++;
          if (chunk.length >= 1 << 16) {
            rows += n;
            progress(n, t.table);
            yield chunk;
            chunk = '';
            n = 0;
          }
        }
        if (chunk) {
          rows += n;
          progress(n, t.table);
          yield chunk;
        }
      }
      const copy = client.query(copyFrom(`COPY ${t.table} (${t.columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
      await pipeline(Readable.from(chunks()), copy);
      written[t.table] = rows;
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return written;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'hub-bench-generate' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Generates the dataset into each subgraph's own database (migrated and empty), then VACUUM
 * ANALYZE, as autovacuum would have left a database that grew to this size.
 */
export async function generateDataset(options: GenerateOptions): Promise<GenerateSummary> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const existing = await withClient(options.databaseUrls.partners, async (c) => (await c.query('SELECT count(*)::int AS n FROM program')).rows[0].n as number);
  if (existing > 0) throw new Error('the partners database already holds a program: generate into fresh databases');
  const seed = options.seed ?? 20_251_124;
  const p = plan(options.scale, seed, (options.now ?? new Date()).getTime());
  const planned = Date.now();
  const tables: Record<SubgraphName, TableRows[]> = {
    partners: partnersTables(p),
    facilitators: facilitatorsTables(p, seededRandom(seed + 1)),
    sessions: sessionsTables(p),
    feedback: feedbackTables(p, seededRandom(seed + 2)),
  };
  const total = SUBGRAPH_NAMES.reduce((n, name) => n + tables[name].reduce((m, t) => m + t.count, 0), 0);
  log(`Generating scale ${p.scale}: ${total.toLocaleString('en')} rows into 4 databases (planned in ${((planned - started) / 1000).toFixed(1)} s)`);
  const showBar = options.progress ?? Boolean(process.stderr.isTTY);
  const bar = showBar ? new SingleBar({ format: '  {bar} {percentage}% | {value}/{total} rows | {eta}s left | {table}', hideCursor: true, stream: process.stderr, etaBuffer: 50 }) : undefined;
  bar?.start(total, 0, { table: '' });
  let done = 0;
  const progress = (n: number, table: string) => {
    done += n;
    bar?.update(done, { table });
  };
  let rows: Record<SubgraphName, Record<string, number>>;
  try {
    const written = await Promise.all(SUBGRAPH_NAMES.map((name) => copyInto(options.databaseUrls[name], tables[name], progress)));
    rows = Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, written[i]])) as GenerateSummary['rows'];
  } finally {
    bar?.stop();
  }
  const copied = Date.now();
  await Promise.all(
    SUBGRAPH_NAMES.map((name) =>
      withClient(options.databaseUrls[name], async (c) => {
        for (const t of tables[name]) await c.query(`VACUUM (ANALYZE) ${t.table}`);
      }),
    ),
  );
  const finished = Date.now();
  const { facilitators: _f, communities: _c, sessions: _s, polls: _p, attendance: _a, responses: _r, ...dataset } = p;
  return {
    ...dataset,
    rows,
    totalRows: done,
    seconds: { plan: (planned - started) / 1000, copy: (copied - planned) / 1000, analyze: (finished - copied) / 1000, total: (finished - started) / 1000 },
  };
}

/** The dataset of this scale already in the databases (for `--reuse`), or null. */
export async function findDataset(databaseUrls: Record<SubgraphName, string>, scale: number): Promise<Dataset | null> {
  const name = programNameFor(scale);
  const program = await withClient(databaseUrls.partners, async (c) => {
    const found = await c.query(`SELECT id, reporting_periods FROM program WHERE name = $1`, [name]);
    if (!found.rows.length) return null;
    const partners = await c.query(`SELECT organisation_id AS id FROM program_partner WHERE program_id = $1 ORDER BY 1`, [found.rows[0].id]);
    return { id: found.rows[0].id as string, period: found.rows[0].reporting_periods[0] as { startsOn: string; endsOn: string }, partnerIds: partners.rows.map((r) => r.id as string) };
  });
  if (!program) return null;
  // the feedback database is written by the same run: without its polls the run did not finish
  const polls = await withClient(databaseUrls.feedback, async (c) => (await c.query('SELECT count(*)::int AS n FROM poll WHERE program_id = $1', [program.id])).rows[0].n as number);
  if (!polls) return null;
  return {
    scale,
    programId: program.id,
    programName: name,
    nationalId: NATIONAL_ID,
    partnerIds: program.partnerIds,
    from: `${program.period.startsOn}T00:00:00.000Z`,
    to: new Date(Date.parse(`${program.period.endsOn}T00:00:00.000Z`) + DAY).toISOString(),
  };
}

/** The rows written, per database and table, as a Markdown table. */
export function rowsTable(summary: Pick<GenerateSummary, 'rows'>): string {
  const lines = ['| database | table | rows |', '|---|---|---:|'];
  for (const name of SUBGRAPH_NAMES) for (const [table, n] of Object.entries(summary.rows[name])) lines.push(`| ${name} | ${table} | ${n.toLocaleString('en')} |`);
  return lines.join('\n');
}

/**
 * `npm run generate -- [--scale 10] [--reuse]`: the dataset into fresh databases `bench_s<scale>_*`
 * on DATABASE_URL (or an embedded PostgreSQL in .data/bench-pg), where `npm run bench` finds it.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const scale = numberArg(args, 'scale', 10);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const server = await startServer(log);
  try {
    const { hub, generated, dataset } = await prepare({ serverUrl: server.url, scale, reuse: args.has('reuse'), log });
    await hub.stop();
    if (!generated) {
      log(`The scale ${scale} dataset is there already (program ${dataset.programId}).`);
      return;
    }
    const shape = datasetShape(scale);
    log(`\n${rowsTable(generated)}\n`);
    log(`Scale ${scale}: ${shape.deliveryPartners} delivery partners, ${shape.facilitators} facilitators, ${shape.groups} groups, ${shape.communitiesOfPractice} CoPs`);
    log(`${generated.totalRows.toLocaleString('en')} rows in ${generated.seconds.total.toFixed(1)} s (plan ${generated.seconds.plan.toFixed(1)} s, COPY ${generated.seconds.copy.toFixed(1)} s, VACUUM ANALYZE ${generated.seconds.analyze.toFixed(1)} s)`);
    log(`Program ${generated.programId}, period ${generated.from} to ${generated.to}`);
  } finally {
    await server.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`generate failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
