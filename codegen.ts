import { readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * One block per subgraph: its SDL (schema/common + schema/<name>) → subgraphs/<name>/types.generated.ts.
 * Each `<Type>Mapper` exported by subgraphs/<name>/mappers.ts maps that GraphQL type (a MikroORM entity for owned
 * types, a reference type for entities owned elsewhere), so adding a type never means editing this file.
 */
const SUBGRAPHS = ['recruitment', 'conventions', 'training', 'activity'];

function mappers(name: string): Record<string, string> {
  const source = readFileSync(`subgraphs/${name}/mappers.ts`, 'utf8');
  const types = [...source.matchAll(/\b(?:as|type|interface)\s+(\w+)Mapper\b/g)].map((m) => m[1]!);
  return Object.fromEntries(types.map((t) => [t, `./mappers.js#${t}Mapper`]));
}

const config: CodegenConfig = {
  overwrite: true,
  generates: Object.fromEntries(
    SUBGRAPHS.map((name) => [
      `subgraphs/${name}/types.generated.ts`,
      {
        schema: ['schema/common/*.graphql', `schema/${name}/*.graphql`],
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          federation: true,
          useTypeImports: true,
          enumsAsTypes: true,
          useIndexSignature: true,
          contextType: './context.js#Context',
          mappers: mappers(name),
          scalars: {
            ID: { input: 'string', output: 'string | number' },
            DateTime: { input: 'Date', output: 'Date | string' },
            Date: { input: 'string', output: 'Date | string' },
            SafeInt: 'number',
          },
        },
      },
    ]),
  ),
};

export default config;
