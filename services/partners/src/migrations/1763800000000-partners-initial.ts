import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PartnersInitial1763800000000 implements MigrationInterface {
  name = 'PartnersInitial1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE region (
        id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,63}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        level text NOT NULL CHECK (level IN ('COUNTRY', 'STATE', 'REGION')),
        parent_id text REFERENCES region(id)
      )`);
    await q.query(`CREATE INDEX region_parent ON region(parent_id)`);
    await q.query(`
      CREATE TABLE organisation (
        id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,31}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('NATIONAL_MANAGER', 'DELIVERY_PARTNER')),
        website text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE organisation_region (
        organisation_id text NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        region_id text NOT NULL REFERENCES region(id),
        PRIMARY KEY (organisation_id, region_id)
      )`);
    await q.query(`CREATE INDEX organisation_region_region ON organisation_region(region_id)`);
    await q.query(`
      CREATE TABLE program (
        id text PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '',
        managing_organisation_id text NOT NULL REFERENCES organisation(id),
        minimum_group_size integer NOT NULL DEFAULT 5 CHECK (minimum_group_size >= 3),
        tiers jsonb NOT NULL DEFAULT '[]',
        reporting_periods jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX program_manager ON program(managing_organisation_id)`);
    await q.query(`
      CREATE TABLE program_partner (
        program_id text NOT NULL REFERENCES program(id) ON DELETE CASCADE,
        organisation_id text NOT NULL REFERENCES organisation(id),
        joined_on date NOT NULL DEFAULT current_date,
        share_facilitator_contacts boolean NOT NULL DEFAULT false,
        share_session_details boolean NOT NULL DEFAULT true,
        share_engagement_plans boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (program_id, organisation_id)
      )`);
    await q.query(`CREATE INDEX program_partner_organisation ON program_partner(organisation_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE program_partner`);
    await q.query(`DROP TABLE program`);
    await q.query(`DROP TABLE organisation_region`);
    await q.query(`DROP TABLE organisation`);
    await q.query(`DROP TABLE region`);
  }
}
