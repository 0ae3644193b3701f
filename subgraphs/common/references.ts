/** A federation reference to an entity another subgraph owns: the gateway resolves the rest through `_entities`. */
export interface EntityReference<TypeName extends string> {
  __typename?: TypeName;
  id: string;
}

export function reference<TypeName extends string>(typeName: TypeName, id: number | string): EntityReference<TypeName> & { __typename: TypeName } {
  return { __typename: typeName, id: String(id) };
}
