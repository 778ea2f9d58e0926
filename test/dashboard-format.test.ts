import type { CombinedError } from 'urql';
import { unavailableServices } from '../packages/dashboard/src/format';

describe('the dashboard\'s words for what is missing', () => {
  const withErrors = (extensions: Record<string, unknown>[]) => ({ graphQLErrors: extensions.map((e) => ({ extensions: e })) }) as unknown as CombinedError;

  it('names a partner whose own node did not answer, once, beside a missing service', () => {
    const error = withErrors([
      { code: 'PARTNER_NODE_UNAVAILABLE', organisation: 'riverbend', serviceName: 'sessions' },
      { code: 'PARTNER_NODE_UNAVAILABLE', organisation: 'riverbend', serviceName: 'feedback' },
      { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'facilitators' },
    ]);
    expect(unavailableServices(error)).toEqual(["riverbend's partner node", 'facilitators']);
  });
});
