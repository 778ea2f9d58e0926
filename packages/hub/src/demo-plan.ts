import { createHash } from 'node:crypto';

/**
 * The demo program, shaped like the source documents: a national manager running MyTime-style
 * peer-support groups through 8 delivery partners (about 150 facilitators, 200 groups, a year of
 * fortnightly sessions with attendance and anonymous check-ins) and five facilitator Communities
 * of Practice meeting quarterly, plus a small three-tier state CoP program. All names are made up.
 * Deterministic: the same calendar year always gives the same plan (IDs aside).
 */

/** A small seeded PRNG (mulberry32), so the demo's numbers are the same on every machine. */
export function seededRandom(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const STATES = [
  { id: 'au-vic', name: 'Victoria', regions: ['Melbourne Metro', 'Gippsland'] },
  { id: 'au-nsw', name: 'New South Wales', regions: ['Sydney Metro', 'Hunter'] },
  { id: 'au-qld', name: 'Queensland', regions: ['Brisbane Metro', 'Central Queensland'] },
  { id: 'au-sa', name: 'South Australia', regions: ['Adelaide Metro'] },
  { id: 'au-wa', name: 'Western Australia', regions: ['Perth Metro'] },
  { id: 'au-tas', name: 'Tasmania', regions: ['Hobart and South'] },
  { id: 'au-nt', name: 'Northern Territory', regions: ['Top End'] },
  { id: 'au-act', name: 'Australian Capital Territory', regions: ['Canberra'] },
];

export const DELIVERY_PARTNERS = [
  { id: 'riverbend', name: 'Riverbend Family Services', state: 'au-vic', facilitators: 20, groups: 27 },
  { id: 'harbourside', name: 'Harbourside Community Care', state: 'au-nsw', facilitators: 22, groups: 29 },
  { id: 'sunstate', name: 'Sunstate Families', state: 'au-qld', facilitators: 21, groups: 28 },
  { id: 'southgate', name: 'Southgate Carers Network', state: 'au-sa', facilitators: 17, groups: 23 },
  { id: 'westward', name: 'Westward Parenting', state: 'au-wa', facilitators: 18, groups: 24 },
  { id: 'islandcare', name: 'Island Care Tasmania', state: 'au-tas', facilitators: 16, groups: 22 },
  { id: 'topend', name: 'Top End Family Support', state: 'au-nt', facilitators: 16, groups: 22 },
  { id: 'capital', name: 'Capital Region Families', state: 'au-act', facilitators: 20, groups: 25 },
];

export const GIVEN = ['Aroha', 'Ben', 'Chloe', 'Deepa', 'Eli', 'Fatima', 'Grace', 'Hamish', 'Isla', 'Jun', 'Kiri', 'Liam', 'Maya', 'Nikhil', 'Olivia', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tahlia', 'Uma', 'Vik', 'Wren', 'Yusuf', 'Zoe'];
export const FAMILY = ['Anderson', 'Brown', 'Chen', 'Davies', 'Evans', 'Fraser', 'Gupta', 'Harris', 'Ito', 'Jones', 'Kaur', 'Lee', 'Martin', 'Nguyen', 'Okafor', 'Patel', 'Roberts', 'Singh', 'Taylor', 'Walker', 'Wilson', 'Young'];
export const GROUP_TOPICS = ['Welcome and getting to know each other', 'Looking after yourself', 'Navigating services', 'Sleep and routines', 'School and learning', 'Sibling relationships', 'Respite and support', 'Celebrating small wins', 'Managing stress', 'Planning ahead', 'Play and connection', 'Advocacy skills', 'Reflecting on the term'];
export const COP_TOPICS = ['Engaging fathers and male carers', 'Keeping online groups lively', 'Supporting parents in crisis', 'Group dynamics and difficult conversations'];
export const COPS = ['Metro facilitators CoP', 'Regional and remote CoP', 'Online groups CoP', 'Culturally diverse groups CoP', 'New facilitators CoP'];
