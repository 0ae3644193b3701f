import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError, Kind, parse, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { ErrorCode } from '../common/errors.js';

type SubgraphRequest = GraphQLDataSourceProcessOptions['request'];
type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** Is this the error the gateway's fetcher raises when a subgraph cannot be reached or does not answer in time? */
export function isSubgraphUnavailable(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && error.extensions.code === ErrorCode.SUBGRAPH_UNAVAILABLE;
}

/** Response keys of the fields a selection set asks of an object of type `typename` (any type when omitted). */
function responseKeys(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, typename?: string): string[] {
  const keys = new Set<string>();
  const applies = (condition: string | undefined) => !typename || !condition || condition === typename;
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') keys.add(selection.alias?.value ?? selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) walk(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && applies(fragment.typeCondition.name.value)) walk(fragment.selectionSet);
      }
    }
  };
  walk(selectionSet);
  return [...keys];
}

/**
 * What a subgraph that cannot be reached "answers": the error once per field the gateway asked of it, at that
 * field's path in the subgraph operation (`[field]` for a root field, `['_entities', i, field]` for an entity's).
 * @apollo/gateway maps such paths onto the client's response, so each error names the field that is missing there;
 * a thrown error would reach the client once, with no path at all.
 */
export function unavailableResponse(request: SubgraphRequest, document: DocumentNode | undefined, error: GraphQLError): SubgraphResponse {
  const parsed = document ?? parse(request.query ?? '');
  const fragments = new Map(parsed.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const operation = parsed.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const at = (path: (string | number)[]) => ({ message: error.message, path, extensions: error.extensions });
  if (!operation) return { errors: [at([])] };
  const entities = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
  if (entities?.kind !== Kind.FIELD || !entities.selectionSet) {
    return { errors: responseKeys(operation.selectionSet, fragments).map((key) => at([key])) };
  }
  const representations = (request.variables?.representations ?? []) as { __typename?: string }[];
  const { selectionSet } = entities;
  return {
    errors: representations.flatMap((r, i) => responseKeys(selectionSet, fragments, r.__typename).map((key) => at(['_entities', i, key]))),
  };
}
