import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badField } from './errors';

// Every subgraph returns PageInfo; it is the same value type everywhere.
@Directive('@shareable')
@ObjectType({ description: 'Where a page of a list stands; pass endCursor as `after` for the next page.' })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @Min(1)
  @Max(100)
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' })
  after?: string | null;
}

export interface Page<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount: () => Promise<number>;
}

/** The GraphQL connection types for a node type: `<Name>Connection` with edges, nodes, pageInfo, totalCount. */
export function connectionOf<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor: string;

    @Field(() => node)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection {
    constructor(readonly page: Page<T>) {}

    @Field(() => [Edge])
    edges(): Edge[] {
      return this.page.nodes.map((n, i) => Object.assign(new Edge(), { node: n, cursor: this.page.cursors[i] }));
    }

    @Field(() => [node])
    nodes(): T[] {
      return this.page.nodes;
    }

    @Field(() => PageInfo)
    pageInfo(): PageInfo {
      const last = this.page.cursors[this.page.cursors.length - 1];
      return Object.assign(new PageInfo(), { hasNextPage: this.page.hasNextPage, endCursor: last ?? null });
    }

    @Field(() => Int, { description: 'Items matching the filter, across all pages.' })
    totalCount(): Promise<number> {
      return this.page.totalCount();
    }
  }
  return Connection;
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor; anything else is BAD_USER_INPUT on `field`. */
export function decodeCursor(cursor: string, arity: number, field = 'after'): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity && values.every((v) => (typeof v === 'string' && !v.includes('\u0000')) || typeof v === 'number')) {
      return values;
    }
  } catch {
    // fall through to the error below
  }
  throw badField(field, 'is not a cursor returned by this list');
}

export interface KeysetOrder<T> {
  /** Property paths in the query builder, e.g. `session.startsAt`, most significant first; the last must be unique. */
  columns: string[];
  /** The same values read from a loaded row, for its cursor. */
  values: (row: T) => (string | number)[];
  direction?: 'ASC' | 'DESC';
  /**
   * Whether a decoded cursor's values suit the columns. Needed where a forged value would reach
   * SQL and fail there (a time that does not parse) instead of being refused as bad input.
   */
  accepts?: (values: unknown[]) => boolean;
}

/** `accepts` of an order by a timestamp, then the ID. */
export function isTimeAndId(values: unknown[]): boolean {
  return typeof values[0] === 'string' && ISO_INSTANT.test(values[0]) && !Number.isNaN(Date.parse(values[0])) && typeof values[1] === 'string';
}

/** The instants our cursors hold (Date#toISOString), nothing looser that PostgreSQL might refuse. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** Decodes `after` for a list in `order`; anything that is not one of its cursors is BAD_USER_INPUT. */
export function decodeKeysetCursor(after: string, order: KeysetOrder<never>): unknown[] {
  const values = decodeCursor(after, order.columns.length);
  if (order.accepts && !order.accepts(values)) throw badField('after', 'is not a cursor returned by this list');
  return values;
}

/**
 * Keyset (cursor) pagination over a query builder: stable under inserts, no OFFSET scans.
 * Fetches one row more than asked to know whether another page follows.
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  args: PageArgs,
  order: KeysetOrder<T>,
): Promise<Page<T>> {
  const direction = order.direction ?? 'ASC';
  const counter = qb.clone();
  if (args.after) {
    const values = decodeKeysetCursor(args.after, order);
    const params = Object.fromEntries(values.map((v, i) => [`cursor${i}`, v]));
    const lhs = order.columns.join(', ');
    const rhs = values.map((_, i) => `:cursor${i}`).join(', ');
    qb.andWhere(`(${lhs}) ${direction === 'ASC' ? '>' : '<'} (${rhs})`, params);
  }
  order.columns.forEach((c, i) => (i === 0 ? qb.orderBy(c, direction) : qb.addOrderBy(c, direction)));
  const rows = await qb.take(args.first + 1).getMany();
  const hasNextPage = rows.length > args.first;
  const nodes = rows.slice(0, args.first);
  let total: Promise<number> | undefined;
  return {
    nodes,
    cursors: nodes.map((n) => encodeCursor(order.values(n))),
    hasNextPage,
    totalCount: () => (total ??= counter.getCount()),
  };
}

/** An ILIKE pattern matching `text` anywhere, with the user's own % and _ taken literally. */
export function containing(text: string): string {
  return `%${text.replace(/[%_\\]/g, '\\$&')}%`;
}
