import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  isRequiredArgument,
  isUnionType,
  type GraphQLArgument,
  type GraphQLSchema,
} from 'graphql';
import { accessRules } from '../../common/access.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/env.js';
import { buildSchema } from '../../common/server.js';
import { loadTypeDefs } from '../../common/type-defs.js';
import { ROLE_SCOPES, SCOPES, type Scope, type Viewer } from '../../common/viewer.js';
import { MiseEnRelationEvent } from '../../subgraphs/recruitment/entities/index.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { errorCodes, failsWith } from '../support/graphql.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/**
 * The `@access` rules hold in the subgraphs too, for a signed viewer calling one directly (signed as the gateway
 * signs): refused as the gateway refuses them, FORBIDDEN naming the fields and the missing scopes.
 */
let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

const PREFET: Viewer = {
  kind: 'user',
  role: 'prefet',
  id: 'prefet-13',
  scopes: ROLE_SCOPES.prefet,
  territory: { departements: ['13'], regions: [] },
  structureIds: null,
  conseillerIds: null,
  network: null,
};
const PREFET_WITH_PERSONAL_DATA: Viewer = { ...PREFET, scopes: [...PREFET.scopes, 'personal-data:read'] };

describe('a signed préfet calling recruitment directly', () => {
  let structureId: number;
  let merId: number;
  beforeAll(async () => {
    const structure = await createStructure(system.orms.recruitment, { contactEmail: 'direction@example.org' });
    const conseiller = await createConseiller(system.orms.recruitment, { structureId: structure.id });
    const mer = await createMiseEnRelation(system.orms.recruitment, {
      structureId: structure.id,
      conseillerId: conseiller.id,
      status: 'NOUVELLE_RUPTURE',
      ruptureDate: '2025-03-31',
      ruptureReason: 'DEMISSION',
    });
    const em = system.orms.recruitment.em.fork();
    em.create(MiseEnRelationEvent, {
      miseEnRelation: mer.id,
      fromStatus: 'FINALISEE',
      toStatus: 'NOUVELLE_RUPTURE',
      actor: 'structure:u-1',
    });
    await em.flush();
    structureId = structure.id;
    merId = mer.id;
  });

  const READS = [
    [
      'StructureContact',
      `query ($id: ID!) { structure(id: $id) { contact { email } } }`,
      () => ({ id: structureId }),
      { structure: { contact: { email: 'direction@example.org' } } },
    ],
    [
      'MiseEnRelationEvent.actor',
      `query ($id: ID!) { miseEnRelation(id: $id) { history { actor } } }`,
      () => ({ id: merId }),
      { miseEnRelation: { history: [{ actor: 'structure:u-1' }] } },
    ],
    [
      'Rupture.reason',
      `query ($id: ID!) { miseEnRelation(id: $id) { rupture { reason } } }`,
      () => ({ id: merId }),
      { miseEnRelation: { rupture: { reason: 'DEMISSION' } } },
    ],
    [
      'StructureContact',
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Structure { contact { email } } } }`,
      () => ({ r: [{ __typename: 'Structure', id: String(structureId) }] }),
      { _entities: [{ contact: { email: 'direction@example.org' } }] },
    ],
  ] as const;

  test.each(READS)('cannot read %s without personal-data:read (%s)', async (coordinate, query, variables, _expected) => {
    const response = await system.querySubgraph('recruitment', query, variables(), { viewer: PREFET });
    expect(response.status).toBe(403);
    expect(response.data ?? null).toBeNull();
    expect(await failsWith('FORBIDDEN', response)).toMatchObject({
      missingScopes: ['personal-data:read'],
      fields: expect.arrayContaining([coordinate]),
    });
  });

  test.each(READS)('reads %s with personal-data:read (%s)', async (_coordinate, query, variables, expected) => {
    const response = await system.querySubgraph('recruitment', query, variables(), { viewer: PREFET_WITH_PERSONAL_DATA });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual(expected);
  });

  test('an anonymous viewer is told to authenticate (401), as at the gateway', async () => {
    const [, query, variables] = READS[0]!;
    const anonymous: Viewer = { ...PREFET, kind: 'anonymous', role: 'anonymous', id: null, scopes: ROLE_SCOPES.anonymous, territory: null };
    const response = await system.querySubgraph('recruitment', query, variables(), { viewer: anonymous });
    expect(response.status).toBe(401);
    await failsWith('UNAUTHENTICATED', response);
  });
});

/** One step from the root to a type: a field (its required arguments become variables) or a type condition. */
type Step = { field: string; args: readonly GraphQLArgument[] } | { on: string };

/** The shortest selection path from Query to the type (through `_entities` for entities), or null. */
function pathTo(schema: GraphQLSchema, target: string): Step[] | null {
  const queue: [string, Step[]][] = [[schema.getQueryType()!.name, []]];
  const seen = new Set(queue.map(([t]) => t));
  const visit = (type: string, steps: Step[]) => {
    if (seen.has(type)) return;
    seen.add(type);
    queue.push([type, steps]);
  };
  while (queue.length) {
    const [name, steps] = queue.shift()!;
    if (name === target) return steps;
    const type = schema.getType(name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const next = getNamedType(field.type);
        if (isCompositeType(next)) visit(next.name, [...steps, { field: field.name, args: field.args.filter(isRequiredArgument) }]);
      }
    }
    if (isUnionType(type) || isInterfaceType(type))
      for (const member of schema.getPossibleTypes(type)) visit(member.name, [...steps, { on: member.name }]);
  }
  return null;
}

/** A query reading the coordinate (`Type` or `Type.field`); required arguments are declared variables left unset. */
function queryReading(schema: GraphQLSchema, coordinate: string): string {
  const [typeName, fieldName] = coordinate.split('.') as [string, string | undefined];
  const steps = pathTo(schema, typeName);
  if (!steps) throw new Error(`no path to ${typeName}`);
  const variables: string[] = [];
  const args = (list: readonly GraphQLArgument[]) => {
    if (!list.length) return '';
    return `(${list
      .map((a) => {
        variables.push(`$v${variables.length}: ${String(a.type)}`);
        return `${a.name}: $v${variables.length - 1}`;
      })
      .join(', ')})`;
  };
  let leaf = '__typename';
  if (fieldName) {
    const type = schema.getType(typeName);
    const field = (isObjectType(type) || isInterfaceType(type)) && type.getFields()[fieldName];
    if (!field) throw new Error(`no field ${coordinate}`);
    leaf = `${fieldName}${args(field.args.filter(isRequiredArgument))}${isCompositeType(getNamedType(field.type)) ? ' { __typename }' : ''}`;
  }
  const body = steps.reduceRight(
    (inner, step) => ('on' in step ? `... on ${step.on} { ${inner} }` : `${step.field}${args(step.args)} { ${inner} }`),
    leaf,
  );
  return `query${variables.length ? `(${variables.join(', ')})` : ''} { ${body} }`;
}

const ALL_SCOPES: Viewer = { ...PREFET, role: 'admin', territory: null, scopes: [...SCOPES] };

describe.each(SUBGRAPH_NAMES)('every @access of %s, called directly', (name: SubgraphName) => {
  const schema = buildSchema(subgraphs[name]);
  const matrix = [...accessRules(loadTypeDefs(name))].flatMap(([coordinate, rules]) => rules.map((rule) => [coordinate, rule] as const));

  test('has rules to check', () => {
    expect(matrix.length).toBeGreaterThan(0);
  });

  test.each(matrix)('%s %j: refused without the scope, not refused with it', async (coordinate, rule) => {
    const query = queryReading(schema, coordinate);
    const withheld = new Set(rule.flat());
    const without = await system.querySubgraph(name, query, undefined, {
      viewer: { ...ALL_SCOPES, scopes: SCOPES.filter((s: Scope) => !withheld.has(s)) },
    });
    expect([query, without.status]).toEqual([query, 403]);
    expect(await failsWith('FORBIDDEN', without)).toMatchObject({ fields: expect.arrayContaining([coordinate]) });
    const granted = await system.querySubgraph(name, query, undefined, { viewer: ALL_SCOPES });
    // Unset required variables may fail the call later, but never for access.
    expect(granted.status).not.toBe(403);
    expect(errorCodes(granted)).not.toContain('FORBIDDEN');
  });
});
