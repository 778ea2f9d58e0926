import type { CombinedError } from 'urql';
import { unavailableServices } from './format';

/** What went wrong with a query, in words: never a blank page. */
export function Problem({ error }: { error?: CombinedError }) {
  if (!error) return null;
  const services = unavailableServices(error);
  if (services.length) {
    return (
      <p className="problem" role="alert">
        Part of the program's data is unavailable right now: {services.join(', ')}
      </p>
    );
  }
  const first = error.graphQLErrors[0];
  const code = (first?.extensions as { code?: string } | undefined)?.code;
  return (
    <p className="problem" role="alert">
      {code === 'UNAUTHENTICATED' ? 'Your sign-in was not accepted (expired or not for this hub): sign out and paste a new token.' : `The hub refused this: ${first?.message ?? error.message}`}
    </p>
  );
}
