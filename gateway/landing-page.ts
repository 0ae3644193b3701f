import type { ApolloServerPlugin } from '@apollo/server';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

/**
 * The playground: a self-contained GraphiQL page (scripts, styles and editor workers inlined), so it works with
 * no internet access, unlike Apollo's Sandbox which loads from a CDN. Rendered once, at start.
 */
export function graphiqlLandingPage(endpoint: string): ApolloServerPlugin {
  return {
    async serverWillStart() {
      const html = renderGraphiQL({
        endpoint,
        title: 'conum-graph — Conseiller numérique France Services',
        defaultQuery: DEFAULT_QUERY,
      });
      return { async renderLandingPage() { return { html }; } };
    },
  };
}

const DEFAULT_QUERY = `# conum-graph: one query across the four subgraphs.
# recruitment → structures and advisors; conventions → agreements; training → paths; activity → reports (CRA).
# Signed in as a dashboard user: \`npm run token -- admin\` prints a development token; put
# {"Authorization": "Bearer <token>"} in the Headers tab below. Without one, only public statistics answer.
query StructuresOverview {
  structures(first: 5, filter: { status: [VALIDATION_COSELEC] }) {
    totalCount
    edges {
      node {
        id
        name
        departementCode
        conventions { phase status postsCount amountCents }
        conseillers {
          firstName
          lastName
          formations { hours status }
          cras(last: 3) { date activityType participants }
        }
      }
    }
  }
}
`;
