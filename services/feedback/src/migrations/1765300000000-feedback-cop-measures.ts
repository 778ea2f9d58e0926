import { dropRowSecuritySql, rowSecuritySql, tenantPolicy, type TablePolicy } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const ORG = `'^[a-z][a-z0-9-]{1,31}$'`;
/** Denies the operation to every request role (the system scope still passes). */
const NOBODY = 'false';

const POLICIES: TablePolicy[] = [
  tenantPolicy('confidence_pair'),
  // An assessment is about a community (readable within the community owner's wall) and is written
  // by someone of an organisation that can read it, in its own name; history: never changed or removed.
  {
    table: 'maturity_assessment',
    read: 'organisation_id = ANY (hub_orgs())',
    insert: 'organisation_id = ANY (hub_orgs()) AND assessed_by_organisation_id = ANY (hub_write_orgs())',
    update: NOBODY,
    delete: NOBODY,
    owner: 'organisation_id',
  },
];

/**
 * CoP measures (issue 6, items 6 and 7):
 * - confidence before/after: a pair of CONFIDENCE polls, and on each answer to one of them an
 *   anonymous pairing code (SHA-256 of the pair and a code only the participant's device holds, see
 *   pair-code.ts) that links a person's before and after answers to each other and to nobody;
 * - the maturity quiz's assessments of a community, with who assessed (not anonymous).
 */
export class FeedbackCopMeasures1765300000000 implements MigrationInterface {
  name = 'FeedbackCopMeasures1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE confidence_pair (
        id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,31}\\.cfp_[0-9A-HJKMNP-TV-Z]{26}$'),
        organisation_id text NOT NULL CHECK (organisation_id ~ ${ORG}),
        program_id text NOT NULL CHECK (program_id ~ '\\.prg_'),
        session_id text CHECK (session_id ~ '\\.ses_'),
        community_id text CHECK (community_id ~ '\\.com_'),
        question text NOT NULL CHECK (length(question) BETWEEN 1 AND 500),
        before_poll_id text NOT NULL UNIQUE REFERENCES poll(id) ON DELETE CASCADE,
        after_poll_id text NOT NULL UNIQUE REFERENCES poll(id) ON DELETE CASCADE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (id LIKE organisation_id || '.%'),
        CHECK ((session_id IS NULL) <> (community_id IS NULL)),
        CHECK (before_poll_id <> after_poll_id)
      )`);
    await q.query(`CREATE INDEX confidence_pair_session ON confidence_pair(session_id, created_at DESC, id DESC) WHERE session_id IS NOT NULL`);
    await q.query(`CREATE INDEX confidence_pair_community ON confidence_pair(community_id, created_at DESC, id DESC) WHERE community_id IS NOT NULL`);
    await q.query(`CREATE INDEX confidence_pair_organisation ON confidence_pair(organisation_id)`);

    // the code is set only on answers to a confidence pair's polls; one answer per code and poll
    await q.query(`ALTER TABLE response ADD COLUMN pair_code text CONSTRAINT response_pair_code_check CHECK (pair_code ~ '^[0-9a-f]{64}$')`);
    await q.query(`CREATE UNIQUE INDEX response_pair_code ON response(poll_id, pair_code) WHERE pair_code IS NOT NULL`);

    await q.query(`
      CREATE TABLE maturity_assessment (
        id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,31}\\.mat_[0-9A-HJKMNP-TV-Z]{26}$'),
        organisation_id text NOT NULL CHECK (organisation_id ~ ${ORG}),
        community_id text NOT NULL CHECK (community_id ~ '\\.com_'),
        answers integer[] NOT NULL CHECK (cardinality(answers) BETWEEN 1 AND 50 AND 1 <= ALL (answers) AND 5 >= ALL (answers)),
        score numeric(3, 2) NOT NULL CHECK (score BETWEEN 1 AND 5),
        stage text NOT NULL CHECK (stage IN ('POTENTIAL', 'COALESCING', 'MATURING', 'STEWARDSHIP', 'TRANSFORMATION')),
        assessed_by_organisation_id text NOT NULL CHECK (assessed_by_organisation_id ~ ${ORG}),
        assessed_by_facilitator_id text CHECK (assessed_by_facilitator_id ~ '\\.fac_'),
        assessed_by_subject text NOT NULL CHECK (length(assessed_by_subject) BETWEEN 1 AND 200),
        assessed_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (id LIKE organisation_id || '.%'),
        CHECK (community_id LIKE organisation_id || '.%')
      )`);
    await q.query(`CREATE INDEX maturity_assessment_community ON maturity_assessment(community_id, assessed_at DESC, id DESC)`);

    await q.query(rowSecuritySql(POLICIES));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(dropRowSecuritySql(POLICIES.map((p) => p.table)));
    await q.query(`DROP TABLE maturity_assessment`);
    await q.query(`DROP INDEX response_pair_code`);
    await q.query(`ALTER TABLE response DROP COLUMN pair_code`);
    await q.query(`DROP TABLE confidence_pair`);
  }
}
