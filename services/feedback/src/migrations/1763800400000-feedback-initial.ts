import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FeedbackInitial1763800400000 implements MigrationInterface {
  name = 'FeedbackInitial1763800400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE poll (
        id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,31}\\.pol_[0-9A-HJKMNP-TV-Z]{26}$'),
        organisation_id text NOT NULL CHECK (organisation_id ~ '^[a-z][a-z0-9-]{1,31}$'),
        program_id text NOT NULL CHECK (program_id ~ '\\.prg_'),
        session_id text CHECK (session_id ~ '\\.ses_'),
        community_id text CHECK (community_id ~ '\\.com_'),
        kind text NOT NULL CHECK (kind IN ('POLL', 'CHECK_IN', 'EVALUATION', 'CONFIDENCE', 'OUTCOME')),
        question text NOT NULL CHECK (length(question) BETWEEN 1 AND 500),
        answer_type text NOT NULL CHECK (answer_type IN ('CHOICE', 'RATING', 'TEXT')),
        options text[] CHECK (options IS NULL OR cardinality(options) BETWEEN 2 AND 20),
        minimum_group_size integer NOT NULL DEFAULT 5 CHECK (minimum_group_size BETWEEN 3 AND 1000),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
        opens_at timestamptz,
        closes_at timestamptz,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (id LIKE organisation_id || '.%'),
        CHECK ((session_id IS NULL) <> (community_id IS NULL)),
        CHECK ((answer_type = 'CHOICE') = (options IS NOT NULL)),
        CHECK (kind NOT IN ('CONFIDENCE', 'OUTCOME') OR answer_type = 'RATING'),
        CHECK (closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at)
      )`);
    // Lists are newest first, filtered by what the poll belongs to.
    await q.query(`CREATE INDEX poll_session ON poll(session_id, created_at DESC, id DESC) WHERE session_id IS NOT NULL`);
    await q.query(`CREATE INDEX poll_community ON poll(community_id, created_at DESC, id DESC) WHERE community_id IS NOT NULL`);
    await q.query(`CREATE INDEX poll_organisation ON poll(organisation_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX poll_program ON poll(program_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX poll_created ON poll(created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX poll_kind ON poll(kind)`);
    await q.query(`CREATE INDEX poll_status ON poll(status)`);
    // No identity, no participation link and no time of day: see poll-response.entity.ts.
    await q.query(`
      CREATE TABLE response (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        poll_id text NOT NULL REFERENCES poll(id) ON DELETE CASCADE,
        choice integer CHECK (choice BETWEEN 0 AND 19),
        rating integer CHECK (rating BETWEEN 1 AND 5),
        text text CHECK (length(text) BETWEEN 1 AND 2000),
        submitted_on date NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')::date,
        CHECK (num_nonnulls(choice, rating, text) = 1)
      )`);
    await q.query(`CREATE INDEX response_poll ON response(poll_id, submitted_on)`);
    await q.query(`
      CREATE TABLE participation (
        poll_id text NOT NULL REFERENCES poll(id) ON DELETE CASCADE,
        participant_hash text NOT NULL CHECK (participant_hash ~ '^[0-9a-f]{64}$'),
        PRIMARY KEY (poll_id, participant_hash)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE participation`);
    await q.query(`DROP TABLE response`);
    await q.query(`DROP TABLE poll`);
  }
}
