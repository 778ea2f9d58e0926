import { createSubgraph, type Subgraph, type SubgraphConfig, type SubgraphDefinition } from '@hub/core';
import { Attendance } from './attendance.entity';
import { AttendanceResolver } from './attendance.resolver';
import { Community } from './community.entity';
import { CommunityResolver } from './community.resolver';
import { FacilitatorRefResolver } from './facilitator.resolver';
import { createSessionsLoaders, type SessionsLoaders } from './loaders';
import { SessionsInitial1763800000000 } from './migrations/1763800000000-sessions-initial';
import { SessionsRowSecurity1763900000000 } from './migrations/1763900000000-sessions-row-security';
import { OrganisationRefResolver } from './organisation.resolver';
import { ProgramRefResolver } from './program.resolver';
import { sessionsReferences } from './references';
import { Rsvp } from './rsvp.entity';
import { RsvpResolver } from './rsvp.resolver';
import { Session } from './session.entity';
import { SessionFacilitator } from './session-facilitator.entity';
import { SessionResolver } from './session.resolver';
import { SessionStatusResolver } from './session-status.resolver';
import { SessionSubscriptionResolver } from './session-subscription.resolver';

/** Where people meet: communities and their sessions, with RSVPs and attendance. */
export const sessionsDefinition: SubgraphDefinition<SessionsLoaders> = {
  name: 'sessions',
  resolvers: [
    CommunityResolver,
    SessionResolver,
    SessionStatusResolver,
    SessionSubscriptionResolver,
    RsvpResolver,
    AttendanceResolver,
    OrganisationRefResolver,
    ProgramRefResolver,
    FacilitatorRefResolver,
  ],
  referenceResolvers: sessionsReferences,
  entities: [Community, Session, SessionFacilitator, Rsvp, Attendance],
  migrations: [SessionsInitial1763800000000, SessionsRowSecurity1763900000000],
  createLoaders: createSessionsLoaders,
};

export function createSessionsSubgraph(config: SubgraphConfig): Promise<Subgraph> {
  return createSubgraph(sessionsDefinition, config);
}
