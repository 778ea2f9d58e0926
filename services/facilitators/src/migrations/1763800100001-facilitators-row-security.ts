import { dropRowSecuritySql, DROP_ROW_SECURITY_FUNCTIONS, ROW_SECURITY_FUNCTIONS, rowSecuritySql, tenantPolicy, type TablePolicy } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisation-owned rows (a facilitator, its training and its memberships, stored under the
 * facilitator's organisation): the tenant wall. A participant never writes them.
 */
function facilitatorRecords(table: string): TablePolicy {
  const tenant = tenantPolicy(table);
  return { ...tenant, write: `(${tenant.write}) AND hub_role() IS DISTINCT FROM 'participant'` };
}

/** Every table of this subgraph (but `migrations`, which the request role cannot touch at all). */
const POLICIES: TablePolicy[] = [
  facilitatorRecords('facilitator'),
  facilitatorRecords('training_record'),
  facilitatorRecords('community_membership'),
  // The training catalogue is the program's: read by its members and within the wall, written by
  // the program's national manager.
  {
    table: 'training_course',
    read: `program_id = ANY (hub_programs()) OR organisation_id = ANY (hub_orgs())`,
    write: `hub_role() = 'national-manager' AND program_id = ANY (hub_programs())`,
  },
];

/** Row-level security, the second wall (docs/access.md): every request runs under its caller's scope. */
export class FacilitatorsRowSecurity1763800100001 implements MigrationInterface {
  name = 'FacilitatorsRowSecurity1763800100001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ROW_SECURITY_FUNCTIONS);
    await q.query(rowSecuritySql(POLICIES));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(dropRowSecuritySql(POLICIES.map((p) => p.table)));
    await q.query(DROP_ROW_SECURITY_FUNCTIONS);
  }
}
