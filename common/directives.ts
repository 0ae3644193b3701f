import { Kind, valueFromASTUntyped, type DirectiveNode, type DocumentNode } from 'graphql';

/** One use of a directive on a type or a field, at its coordinate (`Type` or `Type.field`). */
export interface DirectiveUse {
  coordinate: string;
  /** The use's arguments as plain values. */
  argument(name: string): unknown;
}

/**
 * Every use of the directive `name` on the object and interface types of an SDL document and on their fields. This
 * is how the composed directives (`@access`, `@listSize`) are read: from the supergraph's text, since the gateway's
 * API schema has them stripped, or from a subgraph's own SDL.
 */
export function directiveUses(sdl: DocumentNode, name: string): DirectiveUse[] {
  const uses: DirectiveUse[] = [];
  const collect = (coordinate: string, directives: readonly DirectiveNode[] | undefined) => {
    for (const directive of directives ?? []) {
      if (directive.name.value !== name) continue;
      uses.push({
        coordinate,
        argument: (argument) => {
          const node = directive.arguments?.find((a) => a.name.value === argument);
          return node && valueFromASTUntyped(node.value);
        },
      });
    }
  };
  for (const definition of sdl.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    collect(definition.name.value, definition.directives);
    for (const field of definition.fields ?? []) collect(`${definition.name.value}.${field.name.value}`, field.directives);
  }
  return uses;
}
