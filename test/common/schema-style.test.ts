import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { Kind, parse, type DefinitionNode, type FieldDefinitionNode, type TypeNode } from 'graphql';
import { SUBGRAPH_NAMES } from '../../common/env.js';
import { sdlFiles } from '../../common/type-defs.js';

/**
 * One public SDL style for the four subgraphs, before clients depend on it: every element described (the playground
 * is the data teams' documentation), every mutation taking one `input:` object and answering a `…Payload`, and
 * every enum defined once (an enum two subgraphs share lives in schema/common).
 */
type Named = DefinitionNode & {
  name?: { value: string };
  description?: unknown;
  fields?: readonly (FieldDefinitionNode | { name: { value: string }; description?: unknown })[];
  values?: readonly { name: { value: string }; description?: unknown }[];
};

const ownFiles = (dir: string) => sdlFiles(dir === 'common' ? 'recruitment' : (dir as never)).filter((f) => f.includes(`/schema/${dir}/`));
const definitions = (dir: string) => ownFiles(dir).flatMap((file) => parse(readFileSync(file, 'utf8')).definitions as readonly Named[]);
const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));

describe.each(['common', ...SUBGRAPH_NAMES])('schema/%s', (dir) => {
  test('every type, field, argument and enum value has a description', () => {
    const missing: string[] = [];
    for (const def of definitions(dir)) {
      const name = def.name?.value;
      if (!name) continue;
      if (!def.description && !def.kind.endsWith('Extension') && name !== 'Query' && name !== 'Mutation') missing.push(name);
      for (const field of def.fields ?? []) {
        if (!field.description) missing.push(`${name}.${field.name.value}`);
        for (const arg of ('arguments' in field ? field.arguments : undefined) ?? []) {
          if (!arg.description) missing.push(`${name}.${field.name.value}(${arg.name.value})`);
        }
      }
      for (const value of def.values ?? []) if (!value.description) missing.push(`${name}.${value.name.value}`);
    }
    expect(missing).toEqual([]);
  });

  test('every mutation takes one `input:` argument and answers a …Payload', () => {
    const offending: string[] = [];
    for (const def of definitions(dir)) {
      if (def.name?.value !== 'Mutation') continue;
      for (const field of (def.fields ?? []) as FieldDefinitionNode[]) {
        const args = field.arguments?.map((a) => a.name.value) ?? [];
        const result = namedType(field.type);
        if (args.join() !== 'input' || !result.endsWith('Payload')) offending.push(`${field.name.value}(${args.join(', ')}): ${result}`);
      }
    }
    expect(offending).toEqual([]);
  });
});

test('no enum is defined in two places: shared enums live in schema/common', () => {
  const places = new Map<string, string[]>();
  for (const dir of ['common', ...SUBGRAPH_NAMES]) {
    for (const def of definitions(dir)) {
      if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name) places.set(def.name.value, [...(places.get(def.name.value) ?? []), dir]);
    }
  }
  expect([...places].filter(([, dirs]) => dirs.length > 1).map(([name, dirs]) => `${name}: ${dirs.join(', ')}`)).toEqual([]);
});
