import { createSubgraph, type Subgraph, type SubgraphConfig, type SubgraphDefinition } from '@hub/core';
import { Attendance } from './attendance.entity';
import { AttendanceResolver } from './attendance.resolver';
import { Community } from './community.entity';
import { CommunityResolver } from './community.resolver';
import { CommunityDocument } from './community-document.entity';
import { CommunityDocumentFieldsResolver, CommunityDocumentResolver } from './community-document.resolver';
import { CommunityResource } from './community-resource.entity';
import { FacilitationShareResolver } from './facilitation-share.resolver';
import { FacilitatorRefResolver } from './facilitator.resolver';
import { createSessionsLoaders, type SessionsLoaders } from './loaders';
import { SessionsInitial1763800000000 } from './migrations/1763800000000-sessions-initial';
import { SessionsRowSecurity1763900000000 } from './migrations/1763900000000-sessions-row-security';
import { SessionsCopStructure1765000000000 } from './migrations/1765000000000-sessions-cop-structure';
import { CommunityResourcesResolver, LearningResolver, ResourceResolver, SessionLearningsResolver } from './learning.resolver';
import { SessionLearning } from './session-learning.entity';
import { SessionProgramResolver } from './session-program.resolver';
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
import { PlannedEngagement } from './engagement.entity';
import { EngagementResolver, OrganisationEngagementResolver, ProgramEngagementResolver } from './engagement.resolver';
import { ForumItem, ForumItemEvent } from './forum-item.entity';
import { CommunityForumResolver, ForumItemEventResolver, ForumItemResolver, ProgramForumResolver } from './forum.resolver';
import { SessionsCopForums1765100000000 } from './migrations/1765100000000-sessions-cop-forums';
import { SessionsAttendanceOwnerIndex1766000000000 } from './migrations/1766000000000-sessions-attendance-owner-index';
import { SessionsCommunityNameKey1767000000000 } from './migrations/1767000000000-sessions-community-name-key';
import { SessionsForumReferences1767200000000 } from './migrations/1767200000000-sessions-forum-references';
import { SessionsIdsByteOrder1767300000000 } from './migrations/1767300000000-sessions-ids-byte-order';
import { CommunityParticipationResolver, ProgramParticipationResolver } from './participation.resolver';

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
    CommunityDocumentResolver,
    CommunityDocumentFieldsResolver,
    SessionProgramResolver,
    LearningResolver,
    SessionLearningsResolver,
    ResourceResolver,
    CommunityResourcesResolver,
    FacilitationShareResolver,
    ForumItemResolver,
    ForumItemEventResolver,
    CommunityForumResolver,
    ProgramForumResolver,
    EngagementResolver,
    OrganisationEngagementResolver,
    ProgramEngagementResolver,
    CommunityParticipationResolver,
    ProgramParticipationResolver,
  ],
  referenceResolvers: sessionsReferences,
  entities: [Community, Session, SessionFacilitator, Rsvp, Attendance, CommunityDocument, SessionLearning, CommunityResource, ForumItem, ForumItemEvent, PlannedEngagement],
  migrations: [SessionsInitial1763800000000, SessionsRowSecurity1763900000000, SessionsCopStructure1765000000000, SessionsCopForums1765100000000, SessionsAttendanceOwnerIndex1766000000000, SessionsCommunityNameKey1767000000000, SessionsForumReferences1767200000000, SessionsIdsByteOrder1767300000000],
  createLoaders: createSessionsLoaders,
};

export function createSessionsSubgraph(config: SubgraphConfig): Promise<Subgraph> {
  return createSubgraph(sessionsDefinition, config);
}
