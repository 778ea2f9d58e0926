import type { GraphQLFormattedError } from 'graphql';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: GraphQLFormattedError[];
}

/** POSTs an operation over real HTTP, as a client would. */
export async function postGraphQL<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T> & { status: number }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as GraphQLResponse<T>) };
}

/** The first error's code, for assertions. */
export function errorCode(res: GraphQLResponse<unknown>): unknown {
  return res.errors?.[0]?.extensions?.code;
}
