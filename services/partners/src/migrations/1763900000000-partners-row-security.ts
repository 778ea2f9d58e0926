import { DROP_ROW_SECURITY_FUNCTIONS, dropRowSecuritySql, ROW_SECURITY_FUNCTIONS, rowSecuritySql, type TablePolicy } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Anyone signed in: a connection outside a scoped transaction has no role and sees nothing. */
const SIGNED_IN = `hub_role() IS NOT NULL`;
/** The administrators of the organisation in `column` (a partner admin, a national manager for its own organisation). */
const adminsOf = (column: string) => `(${column} = hub_org() AND hub_role() IN ('partner-admin', 'national-manager'))`;
const NATIONAL_MANAGER = `hub_role() = 'national-manager'`;
/** The national manager of the program in `column` (its token's programs that its organisation manages). */
const managerOfProgram = (column: string) => `(${column} = ANY (hub_programs()) AND ${NATIONAL_MANAGER})`;

/** Every table of this service but `migrations`. */
const POLICIES: TablePolicy[] = [
  { table: 'region', read: SIGNED_IN, write: NATIONAL_MANAGER },
  // a national manager registers organisations (and the regions they serve); their admins change them
  { table: 'organisation', read: SIGNED_IN, write: adminsOf('id'), insert: `${NATIONAL_MANAGER} OR ${adminsOf('id')}`, owner: 'id' },
  {
    table: 'organisation_region',
    read: SIGNED_IN,
    write: adminsOf('organisation_id'),
    insert: `${NATIONAL_MANAGER} OR ${adminsOf('organisation_id')}`,
    owner: 'organisation_id',
  },
  {
    table: 'program',
    read: SIGNED_IN,
    write: `managing_organisation_id = hub_org() AND ${NATIONAL_MANAGER} AND id = ANY (hub_programs())`,
    // a national manager creates programs for its own organisation (not yet among its token's programs)
    insert: `managing_organisation_id = hub_org() AND ${NATIONAL_MANAGER}`,
    owner: 'managing_organisation_id',
  },
  {
    table: 'program_partner',
    // the partner itself, not everyone whose wall it is in: another program's national manager reads
    // the organisation's records but not what it agreed with a program that manager does not run
    read: `organisation_id = hub_org() OR ${managerOfProgram('program_id')}`,
    // the program's national manager adds (and removes) partners; only the partner's admins change what it shares
    write: managerOfProgram('program_id'),
    update: adminsOf('organisation_id'),
    owner: 'organisation_id',
  },
];

/**
 * Row-level security for the program registry (docs/access.md). Regions, organisations and programs
 * are the directory everyone signed in reads; sharing agreements only the partner and the program's
 * national manager. Writes: regions and new organisations by a national manager, an organisation by
 * its own admins, a program by its national manager, an agreement added by the program's national
 * manager and changed by the partner's admins.
 */
export class PartnersRowSecurity1763900000000 implements MigrationInterface {
  name = 'PartnersRowSecurity1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ROW_SECURITY_FUNCTIONS);
    await q.query(rowSecuritySql(POLICIES));
    // new agreements open nothing until the partner does
    await q.query(`ALTER TABLE program_partner ALTER COLUMN share_session_details SET DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE program_partner ALTER COLUMN share_session_details SET DEFAULT true`);
    await q.query(dropRowSecuritySql(POLICIES.map((p) => p.table)));
    await q.query(DROP_ROW_SECURITY_FUNCTIONS);
  }
}
