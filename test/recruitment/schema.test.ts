import { readFileSync } from 'node:fs';
import { expect, test } from '@jest/globals';
import { parse, type DefinitionNode } from 'graphql';
import { sdlFiles } from '../../common/type-defs.js';

/** The playground is the data teams' documentation: every type, field, argument and enum value says what it is. */
test('every element of the recruitment SDL has a description', () => {
  const missing: string[] = [];
  for (const file of sdlFiles('recruitment').filter((f) => f.includes('/recruitment/'))) {
    for (const def of parse(readFileSync(file, 'utf8')).definitions as (DefinitionNode & Record<string, any>)[]) {
      const name: string | undefined = def.name?.value;
      if (!name) continue;
      if (!def.description && !def.kind.endsWith('Extension') && name !== 'Query' && name !== 'Mutation') missing.push(name);
      for (const field of def.fields ?? []) {
        if (!field.description) missing.push(`${name}.${field.name.value}`);
        for (const arg of field.arguments ?? []) if (!arg.description) missing.push(`${name}.${field.name.value}(${arg.name.value})`);
      }
      for (const value of def.values ?? []) if (!value.description) missing.push(`${name}.${value.name.value}`);
    }
  }
  expect(missing).toEqual([]);
});
