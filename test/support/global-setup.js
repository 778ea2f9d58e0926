// Gives every test worker a PostgreSQL server: DATABASE_URL when set, else an embedded one.
const path = require('node:path');

module.exports = async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_SERVER = process.env.DATABASE_URL;
    return;
  }
  const { startEmbeddedPostgres } = require('../../packages/hub/dist');
  const db = await startEmbeddedPostgres({
    dataDir: path.join(__dirname, `../../.data/test-pg-${process.pid}`),
    persistent: false,
    durable: false,
  });
  globalThis.__EMBEDDED_PG__ = db;
  process.env.TEST_DATABASE_SERVER = db.url;
};
