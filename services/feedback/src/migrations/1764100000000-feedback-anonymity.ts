import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The body of a response ID: Crockford base32, as in `recordIdPattern` of @hub/core. */
const RESPONSE_ID = `'^[a-z][a-z0-9-]{1,31}\\.rsp_[0-9A-HJKMNP-TV-Z]{26}$'`;

/**
 * Anonymous feedback (docs/access.md):
 * - who answered is one row per poll holding the sorted keyed hashes of its answerers, instead of
 *   a row per answer (whose order and transaction IDs could be paired with the answers');
 * - a response's ID is `<org>.rsp_<26 random Crockford base32 characters>`, carrying no time;
 *   existing (random UUID) IDs are re-encoded from their own 128 random bits, so nothing new is
 *   learnt about them and they keep no order;
 * - polls no longer keep a copy of the minimum group size: the program's is used (`@requires`).
 */
export class FeedbackAnonymity1764100000000 implements MigrationInterface {
  name = 'FeedbackAnonymity1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE participation RENAME TO participation_by_answer`);
    await q.query(`ALTER TABLE participation_by_answer RENAME CONSTRAINT participation_pkey TO participation_by_answer_pkey`);
    await q.query(`
      CREATE TABLE participation (
        poll_id text PRIMARY KEY REFERENCES poll(id) ON DELETE CASCADE,
        hashes text[] NOT NULL CHECK (cardinality(hashes) >= 1 AND array_to_string(hashes, ',') ~ '^[0-9a-f]{64}(,[0-9a-f]{64})*$')
      )`);
    await q.query(`
      INSERT INTO participation (poll_id, hashes)
      SELECT poll_id, array_agg(participant_hash ORDER BY participant_hash) FROM participation_by_answer GROUP BY poll_id`);
    await q.query(`DROP TABLE participation_by_answer`);

    await q.query(`ALTER TABLE response RENAME TO response_by_uuid`);
    await q.query(`ALTER TABLE response_by_uuid RENAME CONSTRAINT response_pkey TO response_by_uuid_pkey`);
    await q.query(`ALTER INDEX response_poll RENAME TO response_by_uuid_poll`);
    await q.query(`
      CREATE TABLE response (
        id text PRIMARY KEY CHECK (id ~ ${RESPONSE_ID}),
        poll_id text NOT NULL REFERENCES poll(id) ON DELETE CASCADE,
        choice integer CHECK (choice BETWEEN 0 AND 19),
        rating integer CHECK (rating BETWEEN 1 AND 5),
        text text CHECK (length(text) BETWEEN 1 AND 2000),
        submitted_on date NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')::date,
        CHECK (num_nonnulls(choice, rating, text) = 1)
      )`);
    // 128 bits of the old random UUID, padded to 130, read 5 bits at a time; the ID's owner is the poll's
    await q.query(`
      INSERT INTO response (id, poll_id, choice, rating, text, submitted_on)
      SELECT p.organisation_id || '.rsp_' || (
               SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', substring(x.b FROM i * 5 + 1 FOR 5)::int + 1, 1), '' ORDER BY i)
               FROM (SELECT (('x' || replace(r.id::text, '-', ''))::bit(128) || B'00') AS b) x, generate_series(0, 25) AS i),
             r.poll_id, r.choice, r.rating, r.text, r.submitted_on
      FROM response_by_uuid r JOIN poll p ON p.id = r.poll_id`);
    await q.query(`DROP TABLE response_by_uuid`);
    await q.query(`CREATE INDEX response_poll ON response(poll_id, submitted_on)`);

    await q.query(`ALTER TABLE poll DROP COLUMN minimum_group_size`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE poll ADD COLUMN minimum_group_size integer NOT NULL DEFAULT 5 CHECK (minimum_group_size BETWEEN 3 AND 1000)`);

    await q.query(`ALTER TABLE response DROP CONSTRAINT response_id_check`);
    await q.query(`ALTER TABLE response ALTER COLUMN id DROP DEFAULT`);
    await q.query(`ALTER TABLE response ALTER COLUMN id TYPE uuid USING gen_random_uuid()`);
    await q.query(`ALTER TABLE response ALTER COLUMN id SET DEFAULT gen_random_uuid()`);

    await q.query(`ALTER TABLE participation RENAME TO participation_by_poll`);
    await q.query(`ALTER TABLE participation_by_poll RENAME CONSTRAINT participation_pkey TO participation_by_poll_pkey`);
    await q.query(`
      CREATE TABLE participation (
        poll_id text NOT NULL REFERENCES poll(id) ON DELETE CASCADE,
        participant_hash text NOT NULL CHECK (participant_hash ~ '^[0-9a-f]{64}$'),
        PRIMARY KEY (poll_id, participant_hash)
      )`);
    await q.query(`INSERT INTO participation (poll_id, participant_hash) SELECT poll_id, unnest(hashes) FROM participation_by_poll`);
    await q.query(`DROP TABLE participation_by_poll`);
  }
}
