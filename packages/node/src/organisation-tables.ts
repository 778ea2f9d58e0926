import { NODE_SUBGRAPH_NAMES, type NodeSubgraphName } from '@hub/core';

export const NODE_SUBGRAPHS = NODE_SUBGRAPH_NAMES;
export type NodeSubgraph = NodeSubgraphName;

/** A table of a node subgraph and the SQL expression of the organisation whose node its rows live on. */
export interface OrganisationTable {
  table: string;
  owner: string;
}

/** The owner of a row that lives with a parent record: read from the parent's ID (`<org>.<kind>_…`). */
const ownerInId = (column: string) => `split_part(${column}, '.', 1)`;

/**
 * Every table of each node subgraph with where its rows belong, parents before children (the
 * order to copy in; delete in reverse). A row lives with the record its foreign keys point at:
 * a session's facilitators and an answer with their session and poll, a resource with its
 * community (whoever shared it). A node refuses to start on a database with a table missing here,
 * so a new table cannot slip past the guarantee that the node holds one organisation's rows.
 */
export const ORGANISATION_TABLES: Record<NodeSubgraph, OrganisationTable[]> = {
  facilitators: [
    { table: 'facilitator', owner: 'organisation_id' },
    { table: 'training_course', owner: 'organisation_id' },
    { table: 'training_record', owner: 'organisation_id' },
    { table: 'community_membership', owner: 'organisation_id' },
    { table: 'community_membership_rules', owner: 'organisation_id' },
  ],
  sessions: [
    { table: 'community', owner: 'organisation_id' },
    { table: 'session', owner: 'organisation_id' },
    { table: 'session_facilitator', owner: ownerInId('session_id') },
    { table: 'rsvp', owner: 'organisation_id' },
    { table: 'attendance', owner: 'organisation_id' },
    { table: 'community_document', owner: 'organisation_id' },
    { table: 'session_learning', owner: 'organisation_id' },
    { table: 'community_resource', owner: 'community_organisation_id' },
    { table: 'forum_item', owner: 'organisation_id' },
    { table: 'forum_item_event', owner: 'organisation_id' },
    { table: 'planned_engagement', owner: 'organisation_id' },
  ],
  feedback: [
    { table: 'poll', owner: 'organisation_id' },
    { table: 'response', owner: ownerInId('poll_id') },
    { table: 'participation', owner: ownerInId('poll_id') },
    { table: 'confidence_pair', owner: 'organisation_id' },
    { table: 'maturity_assessment', owner: 'organisation_id' },
  ],
};

/**
 * Foreign keys that may point at another organisation's record, which a node does not hold: a
 * training record's course is in the program's catalogue, kept by the hub. On a node the
 * reference is an ID without a foreign key, as references between subgraphs are.
 */
export const CROSS_ORGANISATION_KEYS: Record<NodeSubgraph, { table: string; constraint: string }[]> = {
  facilitators: [{ table: 'training_record', constraint: 'training_record_course_id_fkey' }],
  sessions: [],
  feedback: [],
};
