import { Kind, type DocumentNode } from 'graphql';
import { isRestricted } from './authz.js';
import { ForbiddenError, NotFoundError } from './errors.js';
import { SCOPES, type Viewer } from './viewer.js';

/** A federation reference to an entity another subgraph owns: the gateway resolves the rest through `_entities`. */
export interface EntityReference<TypeName extends string> {
  __typename?: TypeName;
  id: string;
}

export function reference<TypeName extends string>(
  typeName: TypeName,
  id: number | string,
): EntityReference<TypeName> & { __typename: TypeName } {
  return { __typename: typeName, id: String(id) };
}

type ReferenceResolver = (reference: Record<string, unknown>, context: { viewer: Viewer }, info: unknown) => unknown;

/** A caller with every scope and no restriction reads every row: an entity missing for it does not exist. */
function seesEveryRow(viewer: Viewer): boolean {
  return !isRestricted(viewer) && SCOPES.every((scope) => viewer.scopes.includes(scope));
}

/** The types whose rows depend on who asks: those the SDL guards with `@access`. */
function guardedTypes(typeDefs: DocumentNode): Set<string> {
  return new Set(
    typeDefs.definitions
      .filter(
        (d) =>
          (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
          d.directives?.some((x) => x.name.value === 'access'),
      )
      .map((d) => (d as { name: { value: string } }).name.value),
  );
}

/**
 * Every type's `__resolveReference`, made to say why it returns no entity. The gateway only asks for an entity that
 * another subgraph points at, so a null means the row is out of the caller's reach (FORBIDDEN), or does not exist
 * (NOT_FOUND): for a type open to all, or for a caller who sees every row. The error lands at the path of the field
 * that points at it; a silent null would instead null the nearest nullable parent with no word of why.
 */
export function explainUnresolvedReferences<R extends object>(resolvers: R, typeDefs: DocumentNode): R {
  const guarded = guardedTypes(typeDefs);
  return Object.fromEntries(
    Object.entries(resolvers).map(([typeName, fields]) => {
      const resolve = (fields as { __resolveReference?: ReferenceResolver } | undefined)?.__resolveReference;
      if (typeof resolve !== 'function') return [typeName, fields];
      const explained: ReferenceResolver = async (reference, context, info) => {
        const entity = await resolve(reference, context, info);
        if (entity !== null && entity !== undefined) return entity;
        const key = String(reference.id ?? reference.code);
        if (!guarded.has(typeName) || seesEveryRow(context.viewer)) throw new NotFoundError(typeName, key);
        throw new ForbiddenError(`${typeName} ${key} is out of your reach.`, { entity: typeName, id: key });
      };
      return [typeName, { ...fields, __resolveReference: explained }];
    }),
  ) as R;
}
