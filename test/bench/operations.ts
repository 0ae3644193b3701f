/**
 * The benchmark's fixed mix of realistic dashboard operations. Each one is a function of the data set (which
 * territory, structure, page) so that the same mix runs on the demo and the national data sets.
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
    query: /* GraphQL */ `
      query PrefetOverview($code: ID!, $departement: String!, $from: Date!, $to: Date!, $first: Int = 20) {
        departement(code: $code) {
          code name
          recruitment { structures validatedStructures postsGranted postsOccupied }
          funding { conventionsSigned committedCents paidCents postsGranted postsOccupied }
          training { advisors inTraining trained certified certificationOverdue }
          craStatistics(from: $from, to: $to) { totals { reports participants workshops } themes { key count percent } }
        }
        structures(filter: { departementCode: $departement, status: [VALIDATION_COSELEC] }, first: $first) {
          totalCount
          edges { node { id name postQuota occupiedPosts } }
        }
      }`,
    variables: (_i, s) => ({ code: s.departementCode, departement: s.departementCode, from: '2024-01-01', to: '2024-12-31' }),
    pageVariable: 'first',
  },
  {
    name: "structure's advisors: contracts, training, last month's activity",
    caller: 'structure',
    query: /* GraphQL */ `
      query StructureAdvisors($id: ID!, $from: Date!, $to: Date!) {
        structure(id: $id) {
          id name
          contracts { id status contract { type startDate endDate } }
          conseillers {
            id firstName lastName
            trainingPath { hours status }
            certificationLevel
            craStatistics(from: $from, to: $to) { totals { reports participants } }
          }
        }
      }`,
    variables: (i, s) => ({ id: String(s.structureIds[i % s.structureIds.length]), ...MONTH_AGO() }),
  },
  {
    name: 'national statistics (a year)',
    caller: 'admin',
    query: /* GraphQL */ `
      query NationalStatistics($from: Date!, $to: Date!) {
        craStatistics(filter: { from: $from, to: $to }) {
          totals { reports participants workshops individualSupports oneOffRequests minutes }
          themes { key count percent } channels { key percent } durations { key percent } ages { key percent }
          monthly { month reports participants }
        }
      }`,
    variables: () => ({ from: '2023-01-01', to: '2023-12-31' }),
  },
  {
    name: "partner key's paginated export (100 structures a page)",
    caller: 'partner',
    query: /* GraphQL */ `
      query Export($after: String, $first: Int = 100) {
        structures(first: $first, after: $after) {
          pageInfo { hasNextPage endCursor }
          edges { node { id name type sector status communeCode departementCode regionCode postQuota } }
        }
      }`,
    variables: (_i, s) => ({ after: s.cursor }),
    pageVariable: 'first',
    after(data, s) {
      const page = (data as { structures?: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } }).structures?.pageInfo;
      s.cursor = page?.hasNextPage ? page.endCursor : null;
    },
  },
];
