import { dropRowSecuritySql, rowSecuritySql, tenantPolicy } from '@hub/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const ORG = `[a-z][a-z0-9-]{1,31}`;
const ULID = `[0-9A-HJKMNP-TV-Z]{26}`;
/** A record ID of one kind whose prefix is the organisation in `column`. */
const ownedId = (kind: string, column = 'organisation_id') => `id ~ '^${ORG}\\.${kind}_${ULID}$' AND split_part(id, '.', 1) = ${column}`;
const TAGS = (column: string) =>
  `cardinality(${column}) <= 10 AND array_position(${column}, NULL) IS NULL`;

/** `to_tsvector` over a text array needs a join that PostgreSQL accepts in a generated column. */
const JOIN_WORDS = `
CREATE OR REPLACE FUNCTION hub_words(words text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(array_to_string(words, ' '), '')
$$;
`;

/**
 * Is the caller's facilitator record one of the facilitators of a session of `p_community`?
 * PL/pgSQL like hub_facilitates_session, so it is never inlined into a policy.
 */
const FACILITATES_COMMUNITY = `
CREATE OR REPLACE FUNCTION hub_facilitates_community(p_community text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN hub_facilitator() IS NOT NULL AND EXISTS (
    SELECT 1 FROM session_facilitator sf JOIN session s ON s.id = sf.session_id
    WHERE s.community_id = p_community AND sf.facilitator_id = hub_facilitator() AND s.status <> 'CANCELLED'
  );
END
$$;
`;

const TABLES = ['community_document', 'session_learning', 'community_resource'];

/**
 * Co-design and structure (issue 6, items 1 and 8):
 * - community: scope and expectations beside its purpose.
 * - community_document: terms of reference and code of practice as versioned documents, append-only
 *   (who changed what, when); the community keeps the latest text.
 * - session_learning: learnings recorded per session, owned by the session's organisation.
 * - community_resource: resources shared in a community, owned by the sharer's organisation.
 * Learnings and resources are searchable with PostgreSQL full-text search (a generated tsvector
 * with a GIN index).
 *
 * Row-level security (docs/access.md "The two walls"):
 * - community_document: the tenant wall for reading; inserted by the community's organisation
 *   (its admins, or its facilitators rostered on one of the community's sessions), never updated
 *   or deleted by a request.
 * - session_learning: the tenant wall; inserted by the session's organisation or by one of the
 *   session's facilitators within the wall, as itself.
 * - community_resource: readable where the sharer's or the community's organisation is within the
 *   wall (a national CoP is the program's shared space); written by the sharer's organisation into a
 *   community it can read.
 */
export class SessionsCopStructure1765000000000 implements MigrationInterface {
  name = 'SessionsCopStructure1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE community ADD COLUMN scope text NOT NULL DEFAULT '' CHECK (length(scope) <= 2000)`);
    await q.query(`ALTER TABLE community ADD COLUMN expectations text NOT NULL DEFAULT '' CHECK (length(expectations) <= 4000)`);
    await q.query(JOIN_WORDS);
    await q.query(FACILITATES_COMMUNITY);
    await q.query(`
      CREATE TABLE community_document (
        id text PRIMARY KEY CHECK (${ownedId('doc')}),
        community_id text NOT NULL,
        organisation_id text NOT NULL,
        program_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('TERMS_OF_REFERENCE', 'CODE_OF_PRACTICE')),
        version integer NOT NULL CHECK (version >= 1),
        text text NOT NULL CHECK (length(text) <= 20000),
        change_note text NOT NULL DEFAULT '' CHECK (length(change_note) <= 500),
        changed_by text NOT NULL CHECK (length(changed_by) BETWEEN 1 AND 200),
        changed_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        FOREIGN KEY (community_id, organisation_id, program_id) REFERENCES community(id, organisation_id, program_id) ON DELETE CASCADE,
        UNIQUE (community_id, kind, version)
      )`);
    await q.query(`CREATE INDEX community_document_history ON community_document(community_id, changed_at DESC, version DESC, id DESC)`);
    await q.query(`CREATE INDEX community_document_organisation ON community_document(organisation_id)`);
    await q.query(`
      CREATE TABLE session_learning (
        id text PRIMARY KEY CHECK (${ownedId('lrn')}),
        session_id text NOT NULL,
        organisation_id text NOT NULL,
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
        tags text[] NOT NULL DEFAULT '{}' CHECK (${TAGS('tags')}),
        recorded_by text NOT NULL CHECK (length(recorded_by) BETWEEN 1 AND 200),
        recorded_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', text), 'A') || setweight(to_tsvector('english', hub_words(tags)), 'B')
        ) STORED,
        FOREIGN KEY (session_id, organisation_id) REFERENCES session(id, organisation_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX session_learning_session ON session_learning(session_id, recorded_at, id)`);
    await q.query(`CREATE INDEX session_learning_organisation ON session_learning(organisation_id)`);
    await q.query(`CREATE INDEX session_learning_search ON session_learning USING GIN (search)`);
    await q.query(`
      CREATE TABLE community_resource (
        id text PRIMARY KEY CHECK (${ownedId('res')}),
        community_id text NOT NULL,
        community_organisation_id text NOT NULL,
        program_id text NOT NULL,
        organisation_id text NOT NULL CHECK (organisation_id ~ '^${ORG}$'),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        url text CHECK (length(url) <= 2000 AND url ~ '^https?://'),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
        tags text[] NOT NULL DEFAULT '{}' CHECK (${TAGS('tags')}),
        shared_by text NOT NULL CHECK (length(shared_by) BETWEEN 1 AND 200),
        shared_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', hub_words(tags)), 'B')
            || setweight(to_tsvector('english', description), 'C')
        ) STORED,
        FOREIGN KEY (community_id, community_organisation_id, program_id) REFERENCES community(id, organisation_id, program_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX community_resource_community ON community_resource(community_id, shared_at, id)`);
    await q.query(`CREATE INDEX community_resource_organisation ON community_resource(organisation_id)`);
    await q.query(`CREATE INDEX community_resource_community_organisation ON community_resource(community_organisation_id)`);
    await q.query(`CREATE INDEX community_resource_search ON community_resource USING GIN (search)`);

    const learning = tenantPolicy('session_learning');
    await q.query(
      rowSecuritySql([
        {
          ...tenantPolicy('community_document'),
          // the organisation's admins, or its facilitators rostered on one of the community's sessions
          insert: `organisation_id = ANY (hub_write_orgs()) AND changed_by = hub_subject()
            AND (hub_role() IN ('partner-admin', 'national-manager') OR hub_facilitates_community(community_id))`,
          update: 'false',
          delete: 'false',
        },
        {
          ...learning,
          insert: `((${learning.write}) OR (organisation_id = ANY (hub_orgs()) AND hub_facilitates_session(session_id))) AND recorded_by = hub_subject()`,
        },
        {
          table: 'community_resource',
          read: `organisation_id = ANY (hub_orgs()) OR community_organisation_id = ANY (hub_orgs())`,
          write: `organisation_id = ANY (hub_write_orgs())`,
          insert: `organisation_id = ANY (hub_write_orgs()) AND community_organisation_id = ANY (hub_orgs()) AND shared_by = hub_subject()`,
          owner: 'organisation_id',
        },
      ]),
    );

    // Terms of reference and codes of practice written before versioning become their version 1.
    await q.query(`SELECT set_config('hub.role', 'system', true)`);
    await q.query(`
      INSERT INTO community_document (id, community_id, organisation_id, program_id, kind, version, text, change_note, changed_by, changed_at)
      SELECT c.organisation_id || '.doc_' || (
               SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + floor(random() * 32)::int, 1), '')
               FROM generate_series(1, 26 + 0 * length(c.id || d.kind))
             ),
             c.id, c.organisation_id, c.program_id, d.kind, 1, d.text, 'As it stood before versioning', 'hub', date_trunc('milliseconds', c.updated_at)
      FROM community c
      CROSS JOIN LATERAL (VALUES ('TERMS_OF_REFERENCE', c.terms_of_reference), ('CODE_OF_PRACTICE', c.code_of_practice)) AS d(kind, text)
      WHERE d.text <> ''`);
    await q.query(`SELECT set_config('hub.role', '', true)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(dropRowSecuritySql(TABLES));
    await q.query(`DROP TABLE community_resource`);
    await q.query(`DROP TABLE session_learning`);
    await q.query(`DROP TABLE community_document`);
    await q.query(`DROP FUNCTION IF EXISTS hub_facilitates_community(text)`);
    await q.query(`DROP FUNCTION IF EXISTS hub_words(text[])`);
    await q.query(`ALTER TABLE community DROP COLUMN expectations`);
    await q.query(`ALTER TABLE community DROP COLUMN scope`);
  }
}
