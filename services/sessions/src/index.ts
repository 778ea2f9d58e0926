export { createSessionsSubgraph, sessionsDefinition } from './sessions.subgraph';
export { Attendance, AttendeeKind } from './attendance.entity';
export { Community, CommunityKind, DEFAULT_FORMAT_PHASES, MaturityStage, MeetingMode } from './community.entity';
export { Rsvp, RsvpResponse } from './rsvp.entity';
export { Session, SessionStatus } from './session.entity';
export { SessionFacilitator } from './session-facilitator.entity';
