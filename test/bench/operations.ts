import { exampleOperation } from '../../examples/operations.js';

/**
 * The benchmark's fixed mix of realistic dashboard operations: the playground's examples (examples/operations/),
 * with variables that are a function of the data set (which territory, structure, page) so that the same mix runs
 * on the demo and the national data sets.
 */
export interface Operation {
  name: string;
  /** Who asks: a dashboard role or a partner key. */
  caller: 'admin' | 'prefet' | 'structure' | 'partner';
  query: string;
  variables(iteration: number, state: BenchState): Record<string, unknown>;
  /** Reads what the next iteration needs from a response (e.g. the next page's cursor). */
  after?(data: unknown, state: BenchState): void;
  /** The variable holding the page size, when the operation has one: statements are counted at two sizes. */
  pageVariable?: string;
}

export interface BenchState {
  departementCode: string;
  structureIds: number[];
  cursor: string | null;
}

const MONTH_AGO = () => {
  const to = new Date();
  const from = new Date(to.getTime() - 30 * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
};

export const OPERATIONS: Operation[] = [
  {
    name: "préfet's département overview (4 subgraphs)",
    caller: 'prefet',
    query: exampleOperation('2-prefet-overview').query,
    variables: (_i, s) => ({ code: s.departementCode, departement: s.departementCode, from: '2024-01-01', to: '2024-12-31' }),
    pageVariable: 'first',
  },
  {
    name: "structure's advisors: contracts, training, last month's activity",
    caller: 'structure',
    query: exampleOperation('3-structure-advisors').query,
    variables: (i, s) => ({ id: String(s.structureIds[i % s.structureIds.length]), ...MONTH_AGO() }),
  },
  {
    name: 'national statistics (a year)',
    caller: 'admin',
    query: exampleOperation('4-national-statistics').query,
    variables: () => ({ from: '2023-01-01', to: '2023-12-31' }),
  },
  {
    name: "partner key's paginated export (100 structures a page)",
    caller: 'partner',
    query: exampleOperation('5-partner-export').query,
    variables: (_i, s) => ({ after: s.cursor }),
    pageVariable: 'first',
    after(data, s) {
      const page = (data as { structures?: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } }).structures?.pageInfo;
      s.cursor = page?.hasNextPage ? page.endCursor : null;
    },
  },
];
