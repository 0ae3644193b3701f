/**
 * npm run bench:cost — requested and actual cost of each panel of a préfet's dashboard page (test/bench/dashboard.ts)
 * on the demo data set, the ratio requested/actual (the estimate's overshoot), and the statuses of the eight panels
 * sent at once by one préfet. Runs on a throwaway database of DATABASE_URL's server. Prints figures; asserts nothing
 * (test/gateway/budget.test.ts does).
 */
import { startDemoSystem } from '../support/demo-system.js';
import { DASHBOARD_PANELS } from './dashboard.js';

process.env.LOG_LEVEL ??= 'warn';
const { system, state, stop } = await startDemoSystem('cost_bench');
try {
  const prefet = (n: number) => system.bearer({ sub: `bench-cost-prefet-${n}`, role: 'prefet', departements: [state.departementCode] });
  const cost = (extensions: Record<string, unknown> | undefined) =>
    extensions?.cost as { requestedQueryCost: number; actualQueryCost?: number } | undefined;
  console.log(`préfet of ${state.departementCode}, one request at a time:`);
  console.log(['requested', 'actual', 'ratio', 'panel'].join('\t'));
  let n = 0;
  for (const panel of DASHBOARD_PANELS) {
    const response = await system.query(panel.query, panel.variables(state), await prefet(n++));
    const c = cost(response.extensions);
    const errors = response.errors?.map((e) => e.extensions?.code).join(',');
    const ratio = c?.actualQueryCost ? (c.requestedQueryCost / c.actualQueryCost).toFixed(2) : '-';
    console.log(
      [c?.requestedQueryCost, c?.actualQueryCost ?? '-', ratio, `${panel.name}${errors ? ` (${response.status} ${errors})` : ''}`].join(
        '\t',
      ),
    );
  }
  const headers = await prefet(n++);
  const page = await Promise.all(DASHBOARD_PANELS.map((panel) => system.query(panel.query, panel.variables(state), headers)));
  console.log(`the ${page.length} panels at once, one préfet: ${page.map((r) => r.status).join(', ')}`);
} finally {
  await stop();
}
