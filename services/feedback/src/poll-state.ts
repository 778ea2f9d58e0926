import { PollStatus, ResultsVisibility, type Poll } from './poll.entity';

/** Has the poll stopped taking answers: closed by closePoll, or past its closesAt? */
export function hasClosed(poll: Poll, now = Date.now()): boolean {
  return poll.status === PollStatus.CLOSED || (poll.closesAt != null && now >= poll.closesAt.getTime());
}

/**
 * Are the poll's results withheld for now? An AFTER_CLOSE poll's results are, from everyone (its
 * own organisation's admins included), until it has closed. The minimum group size applies on top.
 */
export function resultsWithheld(poll: Poll, now = Date.now()): boolean {
  return poll.resultsVisibility === ResultsVisibility.AFTER_CLOSE && !hasClosed(poll, now);
}
