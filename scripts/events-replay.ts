/**
 * npm run events:replay -- <subgraph> [--prefix conum]
 *
 * Rebuilds a subgraph's copies of recruitment (common/events/copies.ts) from the events, in one transaction: with
 * NATS_URL from the producers' JetStream streams (which keep every event), otherwise from the producers' outbox
 * tables, each read by its own subgraph's ORM. Only the copy consumers run: effects (a funded post freed on a
 * rupture) are not applied again. Prints the counts.
 */
import { parseArgs } from 'node:util';
import { loadEnv, SUBGRAPH_NAMES, type SubgraphName } from '../common/env.js';
import { copyConsumersOf, outboxEvents, replayCopies, streamEvents, type EventSource } from '../common/events/replay.js';
import { openSubgraphOrm } from '../common/server.js';
import type { MikroORM } from '../common/db.js';
import { subgraphs } from '../subgraphs/registry.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { prefix: { type: 'string', default: 'conum' } } });
const [name] = positionals;
const replayable = SUBGRAPH_NAMES.filter((s) => copyConsumersOf(s, subgraphs[s].consumers ?? []).length > 0);
if (!name || !replayable.includes(name as SubgraphName)) {
  console.error(`Usage: npm run events:replay -- <${replayable.join('|')}> [--prefix conum]`);
  process.exit(2);
}
const subgraph = name as SubgraphName;
const env = loadEnv(process.env, { DATABASE_URL: 'to replay into a subgraph’s copies' });
const consumers = subgraphs[subgraph].consumers ?? [];
const producers = [...new Set(copyConsumersOf(subgraph, consumers).flatMap((c) => c.events.map((e) => e.producer)))];

const orm = await openSubgraphOrm(subgraphs[subgraph], env.DATABASE_URL);
const producerOrms: MikroORM[] = [];
try {
  let sources: EventSource[];
  if (env.NATS_URL) {
    sources = producers.map((producer) => streamEvents(env.NATS_URL!, values.prefix, producer));
  } else {
    for (const producer of producers) producerOrms.push(await openSubgraphOrm(subgraphs[producer], env.DATABASE_URL));
    sources = producerOrms.map((producerOrm) => outboxEvents(producerOrm));
  }
  const started = performance.now();
  const counts = await replayCopies(orm, subgraph, consumers, sources);
  const from = env.NATS_URL ? `the JetStream streams at ${env.NATS_URL}` : 'the outbox tables';
  console.log(
    `${subgraph}: replayed ${counts.read} events of ${producers.join(', ')} from ${from} in ${Math.round(performance.now() - started)} ms`,
  );
  console.log(`  inbox rows of its copy consumers cleared: ${counts.inboxCleared}`);
  console.log(
    `  deliveries: ${counts.deliveries.applied} applied, ${counts.deliveries.duplicate} duplicate, ${counts.deliveries.parked} parked`,
  );
  for (const [table, rows] of Object.entries(counts.rows)) console.log(`  ${table}: ${rows} rows`);
} finally {
  await orm.close();
  for (const producerOrm of producerOrms) await producerOrm.close();
}
