export { createFacilitatorsSubgraph, facilitatorsDefinition } from './facilitators.subgraph';
export { CommunityMembership, CommunityRole } from './community-membership.entity';
export { Facilitator, FacilitatorStatus } from './facilitator.entity';
export { TrainingCourse } from './training-course.entity';
export { AccreditationLevel, TrainingRecord } from './training-record.entity';
export { CommunityMembershipRules, MembershipRule, RequiredTraining } from './membership-rules.entity';
