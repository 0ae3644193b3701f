import { OPERATIONS, type BenchState } from './operations.js';

/**
 * A préfet's dashboard page: eight panels its browser opens at once, on the préfet's own département. The first
 * four are the benchmark's realistic operations (test/bench/operations.ts); the others are the page's lists. The
 * budget test sends them together and the cost benchmark (test/bench/cost.ts) prints their requested and actual
 * cost.
 */
export interface Panel {
  name: string;
  query: string;
  variables(state: BenchState): Record<string, unknown>;
}

const fromBench: Panel[] = OPERATIONS.map((operation) => ({
  name: operation.name,
  query: operation.query,
  variables: (state) => operation.variables(0, state),
}));

export const DASHBOARD_PANELS: Panel[] = [
  ...fromBench,
  {
    name: "validated structures with agreements, advisors, trainings and reports (the playground's former first query, a page of 20)",
    query: /* GraphQL */ `
      query StructuresOverview($departement: String!) {
        structures(first: 20, filter: { departementCode: $departement, status: [VALIDATION_COSELEC] }) {
          totalCount
          edges {
            node {
              id
              name
              departementCode
              conventions {
                phase
                status
                postsCount
                amountCents
              }
              conseillers {
                firstName
                lastName
                trainingPaths {
                  hours
                  status
                }
                cras(last: 3) {
                  date
                  activityType
                  participants
                }
              }
            }
          }
        }
      }
    `,
    variables: (state) => ({ departement: state.departementCode }),
  },
  {
    name: 'territories: départements and régions',
    query: /* GraphQL */ `
      query Territories {
        departements {
          code
          name
        }
        regions {
          code
          name
        }
      }
    `,
    variables: () => ({}),
  },
  {
    name: "the département's advisors (a page)",
    query: /* GraphQL */ `
      query DepartementAdvisors($departement: String!) {
        conseillers(first: 20, filter: { departementCode: $departement, status: [RECRUTE] }) {
          totalCount
          edges {
            node {
              id
              firstName
              lastName
              status
              structure {
                id
                name
              }
            }
          }
        }
      }
    `,
    variables: (state) => ({ departement: state.departementCode }),
  },
  {
    name: "the département's counts per status",
    query: /* GraphQL */ `
      query DepartementCounts($departement: String!) {
        structureStatusCounts(filter: { departementCode: $departement }) {
          status
          count
        }
        conseillerStatusCounts(filter: { departementCode: $departement }) {
          status
          count
        }
      }
    `,
    variables: (state) => ({ departement: state.departementCode }),
  },
];
