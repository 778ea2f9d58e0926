import { DROP_ROW_SECURITY_FUNCTIONS, dropRowSecuritySql, ROW_SECURITY_FUNCTIONS, rowSecuritySql, type TablePolicy } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Anyone signed in: a connection outside a scoped transaction has no role and sees nothing. */
const SIGNED_IN = `hub_role() IS NOT NULL`;
/** The administrators of the organisation in `column` (a partner admin, a national manager for its own organisation). */
const adminsOf = (column: string) => `(${column} = hub_org() AND hub_role() IN ('partner-admin', 'national-manager'))`;
const NATIONAL_MANAGER = `hub_role() = 'national-manager'`;
/** The national manager of the program in `column` (its token's programs that its organisation manages). */
const managerOfProgram = (column: string) => `(${column} = ANY (hub_programs()) AND ${NATIONAL_MANAGER})`;

/**
 * Every table of this service but `migrations`. `write` is the insert, update and delete rule;
 * `update` where updating differs (inserts that differ are replaced in `up`).
 */
const POLICIES: (TablePolicy & { write: string; update?: string })[] = [
  { table: 'region', read: SIGNED_IN, write: NATIONAL_MANAGER },
  { table: 'organisation', read: SIGNED_IN, write: adminsOf('id') },
  { table: 'organisation_region', read: SIGNED_IN, write: adminsOf('organisation_id') },
  { table: 'program', read: SIGNED_IN, write: `managing_organisation_id = hub_org() AND ${NATIONAL_MANAGER} AND id = ANY (hub_programs())` },
  {
    table: 'program_partner',
    // the partner itself, not everyone whose wall it is in: another program's national manager reads
    // the organisation's records but not what it agreed with a program that manager does not run
    read: `organisation_id = hub_org() OR ${managerOfProgram('program_id')}`,
    // the program's national manager adds (and removes) partners; only the partner's admins change what it shares
    write: managerOfProgram('program_id'),
    update: adminsOf('organisation_id'),
  },
];

const system = (rule: string) => `hub_is_system() OR (${rule})`;

/** `rowSecuritySql` gives one write rule for insert, update and delete; this replaces a table's insert policy. */
const insertPolicy = (table: string, rule: string) =>
  `DROP POLICY hub_insert ON "${table}"; CREATE POLICY hub_insert ON "${table}" FOR INSERT WITH CHECK (${system(rule)});`;

/**
 * `rowSecuritySql` lets an update reach every readable row; this one reaches only rows the caller
 * may write, so nobody can move another organisation's row into its own (same policy name, so
 * `dropRowSecuritySql` removes it).
 */
const updatePolicy = (table: string, rule: string) =>
  `DROP POLICY hub_update ON "${table}"; CREATE POLICY hub_update ON "${table}" FOR UPDATE USING (${system(rule)}) WITH CHECK (${system(rule)});`;

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
    for (const { table, write, update } of POLICIES) await q.query(updatePolicy(table, update ?? write));
    // a national manager registers organisations (and the regions they serve); their admins change them
    await q.query(insertPolicy('organisation', `${NATIONAL_MANAGER} OR ${adminsOf('id')}`));
    await q.query(insertPolicy('organisation_region', `${NATIONAL_MANAGER} OR ${adminsOf('organisation_id')}`));
    // a national manager creates programs for its own organisation (not yet among its token's programs)
    await q.query(insertPolicy('program', `managing_organisation_id = hub_org() AND ${NATIONAL_MANAGER}`));
    // new agreements open nothing until the partner does
    await q.query(`ALTER TABLE program_partner ALTER COLUMN share_session_details SET DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE program_partner ALTER COLUMN share_session_details SET DEFAULT true`);
    await q.query(dropRowSecuritySql(POLICIES.map((p) => p.table)));
    await q.query(DROP_ROW_SECURITY_FUNCTIONS);
  }
}
