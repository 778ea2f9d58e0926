import type { MigrationInterface, QueryRunner } from 'typeorm';

const ORG = `'^[a-z][a-z0-9-]{1,31}$'`;
const recordId = (kind: string) => `'^[a-z][a-z0-9-]{1,31}\\.${kind}_[0-9A-HJKMNP-TV-Z]{26}$'`;

export class FacilitatorsInitial1763800100000 implements MigrationInterface {
  name = 'FacilitatorsInitial1763800100000';

  async up(q: QueryRunner): Promise<void> {
    // Organisations, programs, regions and communities live in other subgraphs' databases: their
    // IDs are checked for shape here, never by foreign key. A record's ID names its owner.
    await q.query(`
      CREATE TABLE facilitator (
        id text PRIMARY KEY CHECK (id ~ ${recordId('fac')}),
        organisation_id text NOT NULL CHECK (organisation_id ~ ${ORG}),
        given_name text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
        family_name text NOT NULL CHECK (length(family_name) BETWEEN 1 AND 100),
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320 AND position('@' in email) > 1),
        phone text CHECK (length(phone) BETWEEN 6 AND 30),
        region_id text,
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ON_LEAVE', 'INACTIVE')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (split_part(id, '.', 1) = organisation_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX facilitator_email ON facilitator(organisation_id, lower(email))`);
    // Lists are ordered by name: per organisation (Organisation.facilitators) and overall.
    await q.query(`CREATE INDEX facilitator_organisation_name ON facilitator(organisation_id, family_name, given_name, id)`);
    await q.query(`CREATE INDEX facilitator_name ON facilitator(family_name, given_name, id)`);
    await q.query(`CREATE INDEX facilitator_region ON facilitator(region_id)`);
    await q.query(`CREATE INDEX facilitator_status ON facilitator(status)`);

    await q.query(`
      CREATE TABLE training_course (
        id text PRIMARY KEY CHECK (id ~ ${recordId('trc')}),
        program_id text NOT NULL CHECK (program_id ~ ${recordId('prg')}),
        organisation_id text NOT NULL CHECK (organisation_id ~ ${ORG}),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
        valid_for_months integer CHECK (valid_for_months BETWEEN 1 AND 120),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (split_part(id, '.', 1) = organisation_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX training_course_program_name ON training_course(program_id, lower(name))`);
    await q.query(`CREATE INDEX training_course_organisation ON training_course(organisation_id)`);

    await q.query(`
      CREATE TABLE training_record (
        id text PRIMARY KEY CHECK (id ~ ${recordId('trr')}),
        organisation_id text NOT NULL CHECK (organisation_id ~ ${ORG}),
        facilitator_id text NOT NULL REFERENCES facilitator(id),
        course_id text NOT NULL REFERENCES training_course(id),
        completed_on date NOT NULL,
        accreditation_level text NOT NULL CHECK (accreditation_level IN ('FOUNDATION', 'PRACTITIONER', 'ADVANCED', 'TRAINER')),
        expires_on date CHECK (expires_on > completed_on),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (split_part(id, '.', 1) = organisation_id),
        CHECK (split_part(facilitator_id, '.', 1) = organisation_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX training_record_completion ON training_record(facilitator_id, course_id, completed_on)`);
    await q.query(`CREATE INDEX training_record_course ON training_record(course_id)`);
    await q.query(`CREATE INDEX training_record_organisation ON training_record(organisation_id)`);
    await q.query(`CREATE INDEX training_record_expires ON training_record(expires_on)`);

    await q.query(`
      CREATE TABLE community_membership (
        id text PRIMARY KEY CHECK (id ~ ${recordId('mem')}),
        organisation_id text NOT NULL CHECK (organisation_id ~ ${ORG}),
        facilitator_id text NOT NULL REFERENCES facilitator(id),
        community_id text NOT NULL CHECK (community_id ~ ${recordId('com')}),
        role text NOT NULL DEFAULT 'MEMBER' CHECK (role IN ('MEMBER', 'CO_FACILITATOR', 'LEAD')),
        joined_on date NOT NULL,
        left_on date CHECK (left_on >= joined_on),
        confidentiality_agreed boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (split_part(id, '.', 1) = organisation_id),
        CHECK (split_part(facilitator_id, '.', 1) = organisation_id)
      )`);
    // One active membership per facilitator and community; rejoining after leaving is a new row.
    await q.query(`CREATE UNIQUE INDEX community_membership_active ON community_membership(facilitator_id, community_id) WHERE left_on IS NULL`);
    await q.query(`CREATE INDEX community_membership_community ON community_membership(community_id, joined_on, id)`);
    await q.query(`CREATE INDEX community_membership_facilitator ON community_membership(facilitator_id, joined_on)`);
    await q.query(`CREATE INDEX community_membership_organisation ON community_membership(organisation_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE community_membership`);
    await q.query(`DROP TABLE training_record`);
    await q.query(`DROP TABLE training_course`);
    await q.query(`DROP TABLE facilitator`);
  }
}
