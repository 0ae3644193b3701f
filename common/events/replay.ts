import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { MikroORM } from '../db.js';
import type { SubgraphName } from '../env.js';
import { RecruitmentContractSchema, RecruitmentStructureSchema } from './copies.js';
import type { EventEnvelope } from './event.js';
import { consumes, deliver, InboxEntry, park, type Consumer, type Delivery } from './inbox.js';
import { connectNats, envelopeOfMessage, natsNames } from './nats.js';
import { envelopeOfRow, OutboxEvent } from './outbox.js';

/** Where a replay reads one producer's events from, oldest first. */
export type EventSource = AsyncIterable<EventEnvelope>;

/** Every event of a producer's outbox (its own ORM), in `seq` order, published or not, read page by page. */
export async function* outboxEvents(producer: MikroORM, page = 1000): EventSource {
  let after = 0;
  for (;;) {
    const rows = await producer.em.fork().find(OutboxEvent, { seq: { $gt: after } }, { orderBy: { seq: 'asc' }, limit: page });
    for (const row of rows) yield envelopeOfRow(row);
    if (rows.length < page) return;
    after = rows.at(-1)!.seq;
  }
}

/**
 * Every event of a producer's JetStream stream, from the first message to the last one there when the replay
 * started, through an ordered (ephemeral) consumer; nothing when the stream does not exist.
 */
export async function* streamEvents(natsUrl: string, prefix: string, producer: SubgraphName): EventSource {
  const nc = await connectNats(natsUrl, `conum-graph replay ${producer}`);
  try {
    const stream = natsNames(prefix).stream(producer);
    const info = await (await jetstreamManager(nc)).streams.info(stream).catch(() => null);
    const last = info?.state.last_seq ?? 0;
    if (last === 0 || info?.state.messages === 0) return;
    const consumer = await jetstream(nc).consumers.get(stream, { deliver_policy: DeliverPolicy.All });
    const messages = await consumer.consume({ max_messages: 256 });
    for await (const msg of messages) {
      yield envelopeOfMessage(msg, prefix);
      // The last message there at the start, or none after this one (should the last have been deleted).
      if (msg.seq >= last || msg.info.pending === 0) break;
    }
  } finally {
    await nc.close();
  }
}

/** The consumers that keep `subgraph`'s copies of recruitment (copies.ts): the only ones a replay runs. */
export function copyConsumersOf(subgraph: SubgraphName, consumers: readonly Consumer[]): Consumer[] {
  const names = new Set([`${subgraph}.recruitment-structures`, `${subgraph}.recruitment-contracts`]);
  return consumers.filter((c) => names.has(c.name));
}

export interface ReplayCounts {
  /** Events read from the sources. */
  read: number;
  /** Deliveries to copy consumers, by outcome (an event of no copy consumer's type counts in none). */
  deliveries: Record<Delivery, number>;
  /** Rows of each copy table after the replay, and inbox rows removed before it. */
  rows: Record<string, number>;
  inboxCleared: number;
}

/**
 * Rebuilds a subgraph's copies from the events, in one transaction: empties the copy tables and the inbox rows of
 * the copy consumers, then delivers every event of the sources, in order, to those consumers only (through
 * `deliver`, as both transports do; the subgraph's effects, such as freeing a funded post, are not run again). An
 * event that does not parse, or that its handler fails on, is parked as on the bus.
 * The tables are locked for the replay: the subgraph's consumers wait for it, then go on where the bus is (an event
 * the replay applied is a duplicate to them).
 */
export async function replayCopies(
  orm: MikroORM,
  subgraph: SubgraphName,
  consumers: readonly Consumer[],
  sources: readonly EventSource[],
): Promise<ReplayCounts> {
  const copies = copyConsumersOf(subgraph, consumers);
  if (!copies.length) throw new Error(`${subgraph} keeps no copies of recruitment: nothing to replay.`);
  const schema = orm.config.get('schema') ?? subgraph;
  const tables = [RecruitmentStructureSchema, RecruitmentContractSchema].map((entity) => entity.meta.tableName);
  return orm.em.fork().transactional(async (tx) => {
    await tx.execute(`lock table ${[...tables, 'inbox'].map((t) => `"${schema}"."${t}"`).join(', ')} in exclusive mode`);
    for (const table of tables) await tx.execute(`delete from "${schema}"."${table}"`);
    const inboxCleared = await tx.nativeDelete(InboxEntry, { consumer: { $in: copies.map((c) => c.name) } });
    const counts: ReplayCounts = { read: 0, deliveries: { applied: 0, duplicate: 0, parked: 0 }, rows: {}, inboxCleared };
    for (const source of sources) {
      for await (const envelope of source) {
        counts.read++;
        for (const consumer of copies.filter((c) => consumes(c, envelope.type))) {
          try {
            counts.deliveries[await deliver(tx, consumer, envelope)]++;
          } catch (error) {
            // Its savepoint is rolled back; as on the bus, an event its handler fails on is parked, and the replay goes on.
            await park(tx, consumer, envelope, error);
            counts.deliveries.parked++;
          }
        }
      }
    }
    for (const table of tables) {
      const [row] = await tx.execute<{ count: number }[]>(`select count(*)::int as count from "${schema}"."${table}"`);
      counts.rows[table] = row?.count ?? 0;
    }
    return counts;
  });
}
