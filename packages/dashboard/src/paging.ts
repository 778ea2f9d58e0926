import { useEffect, useState } from 'react';
import { useClient, type CombinedError, type OperationResult } from 'urql';

/** A page of a connection, as every list of the hub gives it. */
export interface Connection<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

export interface AllPages<T> {
  nodes: T[];
  /** Items across all pages; null until the first page is in. */
  totalCount: number | null;
  /** True while pages are still coming. */
  fetching: boolean;
  error?: CombinedError;
}

/** The hub's largest page (`first` is 1 to 100). */
export const PAGE_SIZE = 100;

/**
 * Every item of a list, not only its first page: `query` takes `$after: String` and asks for
 * `first: 100`; the pages are fetched one after another (each needs the previous cursor) and shown
 * as they come, so a table never stops silently at 100 rows.
 */
export function useAllPages<T>(query: string, variables: Record<string, unknown>, connectionOf: (data: any) => Connection<T> | null | undefined, pause = false): AllPages<T> {
  const client = useClient();
  const [state, setState] = useState<AllPages<T>>({ nodes: [], totalCount: null, fetching: !pause });
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (pause) return;
    let cancelled = false;
    setState({ nodes: [], totalCount: null, fetching: true });
    void (async () => {
      const nodes: T[] = [];
      let after: string | null = null;
      for (;;) {
        const result: OperationResult = await client.query(query, { ...variables, after }, { requestPolicy: 'network-only' }).toPromise();
        if (cancelled) return;
        const page: Connection<T> | null | undefined = result.data ? connectionOf(result.data) : null;
        if (!page) {
          setState({ nodes, totalCount: nodes.length ? nodes.length : null, fetching: false, error: result.error });
          return;
        }
        nodes.push(...page.nodes);
        const more = page.pageInfo.hasNextPage && Boolean(page.pageInfo.endCursor);
        setState({ nodes: nodes.slice(), totalCount: page.totalCount, fetching: more, error: result.error });
        if (!more) return;
        after = page.pageInfo.endCursor;
      }
    })();
    return () => {
      cancelled = true;
    };
    // variables are compared by value (key); connectionOf is a path into the result
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, query, key, pause]);
  return state;
}
