import { dropRowSecuritySql, rowSecuritySql, tenantPolicy } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const ORG = `'^[a-z][a-z0-9-]{1,31}$'`;
const COMMUNITY_ID = `'^[a-z][a-z0-9-]{1,31}\\.com_[0-9A-HJKMNP-TV-Z]{26}$'`;

/**
 * Each community's membership rules (issue 6): required training at a minimum level, accepted
 * regions (an explicit list: the region hierarchy lives in the partners subgraph), confidentiality,
 * and the facilitation share expected of each member. One row per community, owned by the
 * community's organisation (the owner its ID names); the tenant wall applies.
 */
export class MembershipRules1765200000000 implements MigrationInterface {
  name = 'MembershipRules1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE community_membership_rules (
        community_id text PRIMARY KEY CHECK (community_id ~ ${COMMUNITY_ID}),
        organisation_id text NOT NULL CHECK (organisation_id ~ ${ORG}),
        required_training jsonb NOT NULL DEFAULT '[]'
          CHECK (jsonb_typeof(required_training) = 'array' AND jsonb_array_length(required_training) <= 20),
        accepted_region_ids text[] NOT NULL DEFAULT '{}' CHECK (cardinality(accepted_region_ids) <= 200),
        confidentiality_required boolean NOT NULL DEFAULT false,
        facilitates_one_in integer CHECK (facilitates_one_in BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (split_part(community_id, '.', 1) = organisation_id)
      )`);
    await q.query(`CREATE INDEX community_membership_rules_organisation ON community_membership_rules(organisation_id)`);
    await q.query(rowSecuritySql([tenantPolicy('community_membership_rules')]));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(dropRowSecuritySql(['community_membership_rules']));
    await q.query(`DROP TABLE community_membership_rules`);
  }
}
