import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * One block per subgraph: its SDL (schema/common + schema/<name>) → subgraphs/<name>/types.generated.ts.
 * Every GraphQL object type of a subgraph maps to `<Type>Mapper` exported by subgraphs/<name>/mappers.ts
 * (a MikroORM entity for owned types, a reference type for entities owned elsewhere).
 */
const subgraphs: Record<string, string[]> = {
  recruitment: ['Structure', 'Conseiller'],
  conventions: ['Convention', 'Structure'],
  training: ['Formation', 'Conseiller'],
  activity: ['Cra', 'Conseiller', 'Structure'],
};

const config: CodegenConfig = {
  overwrite: true,
  generates: Object.fromEntries(
    Object.entries(subgraphs).map(([name, types]) => [
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
          mappers: Object.fromEntries(types.map((t) => [t, `./mappers.js#${t}Mapper`])),
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
