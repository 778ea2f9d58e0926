import type { MigrationInterface, QueryRunner } from 'typeorm';

const ORG = `[a-z][a-z0-9-]{1,31}`;
const ULID = `[0-9A-HJKMNP-TV-Z]{26}`;
/** A record ID of one kind whose prefix is the organisation in `organisation_id`. */
const ownedId = (kind: string) => `id ~ '^${ORG}\\.${kind}_${ULID}$' AND split_part(id, '.', 1) = organisation_id`;
const MODES = `'ONLINE', 'IN_PERSON', 'HYBRID'`;
const PHASES = (column: string) =>
  `cardinality(${column}) BETWEEN 1 AND 12 AND array_position(${column}, NULL) IS NULL`;
const PERSON_REF = `'^[A-Za-z0-9._:~-]{1,100}$'`;

export class SessionsInitial1763800000000 implements MigrationInterface {
  name = 'SessionsInitial1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE community (
        id text PRIMARY KEY CHECK (${ownedId('com')}),
        organisation_id text NOT NULL CHECK (organisation_id ~ '^${ORG}$'),
        program_id text NOT NULL CHECK (program_id ~ '^${ORG}\\.prg_${ULID}$'),
        kind text NOT NULL CHECK (kind IN ('GROUP', 'COMMUNITY_OF_PRACTICE', 'FORUM')),
        tier text CHECK (tier ~ '^[a-z][a-z0-9-]{0,31}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        purpose text NOT NULL DEFAULT '' CHECK (length(purpose) <= 2000),
        terms_of_reference text NOT NULL DEFAULT '' CHECK (length(terms_of_reference) <= 20000),
        code_of_practice text NOT NULL DEFAULT '' CHECK (length(code_of_practice) <= 20000),
        cadence text CHECK (length(cadence) BETWEEN 1 AND 50),
        mode text NOT NULL CHECK (mode IN (${MODES})),
        region_id text CHECK (region_id ~ '^[a-z][a-z0-9-]{1,63}$'),
        maturity_stage text NOT NULL DEFAULT 'POTENTIAL'
          CHECK (maturity_stage IN ('POTENTIAL', 'COALESCING', 'MATURING', 'STEWARDSHIP', 'TRANSFORMATION')),
        format_phases text[] NOT NULL DEFAULT ARRAY['Share', 'Discuss', 'Apply'] CHECK (${PHASES('format_phases')}),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- target of the session foreign key that keeps sessions' copied owner and program true
        UNIQUE (id, organisation_id, program_id)
      )`);
    await q.query(`CREATE INDEX community_organisation ON community(organisation_id, kind)`);
    await q.query(`CREATE INDEX community_program ON community(program_id, kind)`);
    await q.query(`CREATE INDEX community_program_tier ON community(program_id, tier)`);
    await q.query(`CREATE INDEX community_region ON community(region_id)`);
    await q.query(`CREATE INDEX community_name ON community(name, id)`);
    await q.query(`
      CREATE TABLE session (
        id text PRIMARY KEY CHECK (${ownedId('ses')}),
        community_id text NOT NULL,
        organisation_id text NOT NULL,
        program_id text NOT NULL,
        topic text NOT NULL CHECK (length(topic) BETWEEN 1 AND 200),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        mode text NOT NULL CHECK (mode IN (${MODES})),
        location text CHECK (length(location) BETWEEN 1 AND 300),
        status text NOT NULL DEFAULT 'SCHEDULED' CHECK (status IN ('SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED')),
        format_phases text[] NOT NULL CHECK (${PHASES('format_phases')}),
        current_phase text CHECK (current_phase IS NULL OR (status = 'LIVE' AND current_phase = ANY (format_phases))),
        unidentified_attendees integer NOT NULL DEFAULT 0 CHECK (unidentified_attendees >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at),
        FOREIGN KEY (community_id, organisation_id, program_id) REFERENCES community(id, organisation_id, program_id),
        -- target of the RSVP and attendance foreign keys that keep their owner true
        UNIQUE (id, organisation_id)
      )`);
    await q.query(`CREATE INDEX session_community ON session(community_id, starts_at, id)`);
    await q.query(`CREATE INDEX session_organisation ON session(organisation_id, starts_at)`);
    await q.query(`CREATE INDEX session_program ON session(program_id, starts_at)`);
    await q.query(`CREATE INDEX session_starts ON session(starts_at, id)`);
    await q.query(`CREATE INDEX session_status ON session(status, starts_at)`);
    await q.query(`
      CREATE TABLE session_facilitator (
        session_id text NOT NULL REFERENCES session(id) ON DELETE CASCADE,
        facilitator_id text NOT NULL CHECK (facilitator_id ~ '^${ORG}\\.fac_${ULID}$'),
        position integer NOT NULL CHECK (position >= 0),
        PRIMARY KEY (session_id, facilitator_id),
        UNIQUE (session_id, position)
      )`);
    await q.query(`CREATE INDEX session_facilitator_facilitator ON session_facilitator(facilitator_id)`);
    await q.query(`
      CREATE TABLE rsvp (
        id text PRIMARY KEY CHECK (${ownedId('rsv')}),
        session_id text NOT NULL,
        organisation_id text NOT NULL,
        participant_ref text NOT NULL CHECK (participant_ref ~ ${PERSON_REF}),
        response text NOT NULL CHECK (response IN ('GOING', 'MAYBE', 'NOT_GOING')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (session_id, organisation_id) REFERENCES session(id, organisation_id) ON DELETE CASCADE,
        UNIQUE (session_id, participant_ref)
      )`);
    await q.query(`CREATE INDEX rsvp_organisation ON rsvp(organisation_id)`);
    await q.query(`
      CREATE TABLE attendance (
        id text PRIMARY KEY CHECK (${ownedId('att')}),
        session_id text NOT NULL,
        organisation_id text NOT NULL,
        attendee_ref text NOT NULL CHECK (attendee_ref ~ ${PERSON_REF}),
        kind text NOT NULL CHECK (kind IN ('PARTICIPANT', 'FACILITATOR')),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (session_id, organisation_id) REFERENCES session(id, organisation_id) ON DELETE CASCADE,
        UNIQUE (session_id, attendee_ref)
      )`);
    await q.query(`CREATE INDEX attendance_organisation ON attendance(organisation_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attendance`);
    await q.query(`DROP TABLE rsvp`);
    await q.query(`DROP TABLE session_facilitator`);
    await q.query(`DROP TABLE session`);
    await q.query(`DROP TABLE community`);
  }
}
