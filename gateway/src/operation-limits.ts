import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { OperationLimits } from './config';

/**
 * How a GraphQL Armor rejection is reported: as a validation error (HTTP 400) with the limit's
 * name in `extensions.limit`, without Armor's misleading "Syntax Error:" prefix. By default Armor
 * throws from inside validation, which Apollo answers with a 500.
 */
function reportAs(limit: keyof OperationLimits) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit } })),
    ],
  };
}

/**
 * Validation rules enforcing the operation limits: depth, aliases, directives and estimated cost.
 * (The token limit is the parser's own `maxTokens`: a rule could only see a parsed document.)
 * The same rules serve the HTTP and graphql-ws paths.
 */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.depth, ignoreIntrospection: true, flattenFragments: true, ...reportAs('depth') }),
    maxAliasesRule({ n: limits.aliases, ...reportAs('aliases') }),
    maxDirectivesRule({ n: limits.directives, ...reportAs('directives') }),
    costLimitRule({ maxCost: limits.cost, ignoreIntrospection: true, ...reportAs('cost') }),
  ] as ValidationRule[];
}
