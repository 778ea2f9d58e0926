import { ownerOf } from '@hub/core';
import type { Hub } from './hub';
import type { TokenRequest } from './hub-keys';

/** One caller of each role in the demo program, for the tokens `npm start` prints. */
export async function demoCallers(hub: Pick<Hub, 'subgraphs'>, programId: string): Promise<{ label: string; request: TokenRequest }[]> {
  const managing = ownerOf(programId) ?? 'prc';
  const [partner] = (await hub.subgraphs.partners.dataSource.query(
    'SELECT organisation_id AS id FROM program_partner WHERE program_id = $1 ORDER BY organisation_id LIMIT 1',
    [programId],
  )) as { id: string }[];
  const [facilitator] = partner
    ? ((await hub.subgraphs.facilitators.dataSource.query(
        `SELECT id FROM facilitator WHERE organisation_id = $1 AND status = 'ACTIVE' ORDER BY family_name, given_name, id LIMIT 1`,
        [partner.id],
      )) as { id: string }[])
    : [];
  const callers: { label: string; request: TokenRequest }[] = [
    { label: `national manager (${managing})`, request: { role: 'national-manager', org: managing, programs: [programId] } },
  ];
  if (partner) {
    callers.push({ label: `partner admin (${partner.id})`, request: { role: 'partner-admin', org: partner.id } });
    if (facilitator) callers.push({ label: `facilitator (${facilitator.id})`, request: { role: 'facilitator', org: partner.id, facilitator: facilitator.id } });
    callers.push({ label: `participant (${partner.id})`, request: { role: 'participant', org: partner.id, programs: [programId], sub: 'participant-demo-1' } });
  }
  return callers;
}
