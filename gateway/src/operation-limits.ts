import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { OperationLimits } from './config';

/**
 * Re-reports a GraphQL Armor rejection with the limit's name in `extensions.limit` and without
 * Armor's misleading "Syntax Error:" prefix. Apollo answers validation failures with HTTP 400.
 */
function named(limit: keyof OperationLimits, rule: (context: ValidationContext) => unknown): ValidationRule {
  return (context) => {
    const renamed = Object.create(context) as ValidationContext;
    renamed.reportError = (error: GraphQLError) =>
      context.reportError(
        new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit } }),
      );
    return rule(renamed) as ReturnType<ValidationRule>;
  };
}

/**
 * Validation rules enforcing the operation limits: depth, aliases, directives and estimated cost.
 * (The token limit is the parser's own `maxTokens`: a rule could only see a parsed document.)
 * The same rules serve the HTTP and graphql-ws paths.
 */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  return [
    named('depth', maxDepthRule({ n: limits.depth, ignoreIntrospection: true, flattenFragments: true })),
    named('aliases', maxAliasesRule({ n: limits.aliases })),
    named('directives', maxDirectivesRule({ n: limits.directives })),
    named('cost', costLimitRule({ maxCost: limits.cost, ignoreIntrospection: true })),
  ];
}
