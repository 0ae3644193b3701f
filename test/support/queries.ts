/**
 * One structure seen from the four subgraphs (recruitment's structure and advisors, their agreements, training paths
 * and latest report): what the fault test and the chaos benchmark both ask while a part of the system fails.
 */
export const STRUCTURE_OVERVIEW = /* GraphQL */ `
  query ($id: ID!) {
    structure(id: $id) {
      id
      name
      conventions {
        status
      }
      conseillers {
        id
        lastName
        trainingPaths {
          hours
        }
        cras(last: 1) {
          date
        }
      }
    }
  }
`;
