export { createFeedbackSubgraph, feedbackDefinition } from './feedback.subgraph';
export { Poll, PollAnswerType, PollKind, PollStatus, RATING_MAX, RATING_MIN, ResultsVisibility } from './poll.entity';
export { PollResponse } from './poll-response.entity';
export { Participation } from './participation.entity';
export { participantHash } from './participant-hash';
export { suppressCounts } from './suppression';
export { DEFAULT_MINIMUM_GROUP_SIZE, groupSizeOf } from './group-size';
export { CHECK_IN_TOPIC, POLL_TOPIC } from './poll-events';
