import type { MikroORM } from '../../common/db.js';
import { statementCounter } from '../../common/db.js';

export interface StatementCount<T> {
  result: T;
  /** Statements sent by all the ORMs watched. */
  total: number;
  /** Statements per ORM, in the order given. */
  perOrm: number[];
  /** The statements themselves, for assertion messages. */
  statements: string[];
}

/** Runs `fn` and counts the SQL statements the given subgraph ORMs send meanwhile. */
export async function countStatements<T>(orms: MikroORM | MikroORM[], fn: () => Promise<T>): Promise<StatementCount<T>> {
  const counters = (Array.isArray(orms) ? orms : [orms]).map(statementCounter);
  const before = counters.map((c) => c.statements);
  const statements: string[] = [];
  for (const c of counters) c.recorded = statements;
  try {
    const result = await fn();
    const perOrm = counters.map((c, i) => c.statements - before[i]!);
    return { result, total: perOrm.reduce((a, b) => a + b, 0), perOrm, statements };
  } finally {
    for (const c of counters) c.recorded = null;
  }
}
