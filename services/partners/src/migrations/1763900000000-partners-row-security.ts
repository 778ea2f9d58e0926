import { DROP_ROW_SECURITY_FUNCTIONS, dropRowSecuritySql, ROW_SECURITY_FUNCTIONS, rowSecuritySql } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Anyone signed in: a connection outside a scoped transaction has no role and sees nothing. */
const SIGNED_IN = `hub_role() IS NOT NULL`;
/** The administrators of the organisation in `column` (a partner admin, a national manager for its own organisation). */
const adminsOf = (column: string) => `(${column} = hub_org() AND hub_role() IN ('partner-admin', 'national-manager'))`;
const NATIONAL_MANAGER = `hub_role() = 'national-manager'`;
/** The national manager of the program in `column` (its token's programs that its organisation manages). */
const managerOfProgram = (column: string) => `(${column} = ANY (hub_programs()) AND ${NATIONAL_MANAGER})`;

const TABLES = ['region', 'organisation', 'organisation_region', 'program', 'program_partner'];

/**
 * A policy whose insert differs from its update and delete: `rowSecuritySql` gives one write rule
 * for all three, so the insert (or update) policy is replaced under the same name, which
 * `dropRowSecuritySql` removes again.
 */
function replacePolicy(table: string, policy: 'hub_insert' | 'hub_update', sql: string): string {
  const system = (rule: string) => `hub_is_system() OR (${rule})`;
  const body = policy === 'hub_insert' ? `FOR INSERT WITH CHECK (${system(sql)})` : `FOR UPDATE USING (${system(SIGNED_IN)}) WITH CHECK (${system(sql)})`;
  return `DROP POLICY ${policy} ON "${table}"; CREATE POLICY ${policy} ON "${table}" ${body};`;
}

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
    await q.query(
      rowSecuritySql([
        { table: 'region', read: SIGNED_IN, write: NATIONAL_MANAGER },
        { table: 'organisation', read: SIGNED_IN, write: adminsOf('id') },
        { table: 'organisation_region', read: SIGNED_IN, write: adminsOf('organisation_id') },
        {
          table: 'program',
          read: SIGNED_IN,
          write: `managing_organisation_id = hub_org() AND ${NATIONAL_MANAGER} AND id = ANY (hub_programs())`,
        },
        {
          table: 'program_partner',
          read: `organisation_id = ANY (hub_orgs()) OR ${managerOfProgram('program_id')}`,
          write: managerOfProgram('program_id'),
        },
      ]),
    );
    // a national manager registers organisations (and the regions they serve); their admins change them
    await q.query(replacePolicy('organisation', 'hub_insert', `${NATIONAL_MANAGER} OR ${adminsOf('id')}`));
    await q.query(replacePolicy('organisation_region', 'hub_insert', `${NATIONAL_MANAGER} OR ${adminsOf('organisation_id')}`));
    // a national manager creates programs for its own organisation (not yet among its token's programs)
    await q.query(replacePolicy('program', 'hub_insert', `managing_organisation_id = hub_org() AND ${NATIONAL_MANAGER}`));
    // the program's national manager adds (and removes) partners; only the partner's admins change what it shares
    await q.query(replacePolicy('program_partner', 'hub_update', adminsOf('organisation_id')));
    // new agreements open nothing until the partner does
    await q.query(`ALTER TABLE program_partner ALTER COLUMN share_session_details SET DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE program_partner ALTER COLUMN share_session_details SET DEFAULT true`);
    await q.query(dropRowSecuritySql(TABLES));
    await q.query(DROP_ROW_SECURITY_FUNCTIONS);
  }
}
