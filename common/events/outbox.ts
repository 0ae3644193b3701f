import { defineEntity, p } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { envelopeOf, type EventDefinition, type EventEnvelope, type PayloadOf } from './event.js';

/**
 * A subgraph's outbox (table `outbox` of its own schema): the events its write steps emitted, written in the step's
 * transaction, so an event exists exactly when the change it announces was committed. The relay publishes them in
 * `seq` order and stamps `published_at`.
 */
export const OutboxEventSchema = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox',
  // In every subgraph's schema, as the inbox.
  schema: '*',
  properties: {
    /** Commit order of one aggregate's events (their steps lock the aggregate's row, so they insert in turn). */
    seq: p.integer().primary(),
    eventId: p.uuid().unique(),
    type: p.string(),
    version: p.integer(),
    aggregateId: p.string(),
    occurredAt: p.datetime(),
    payload: p.json<unknown>(),
    publishedAt: p.datetime().nullable().index(),
  },
});

export class OutboxEvent extends OutboxEventSchema.class {}
OutboxEventSchema.setClass(OutboxEvent);

/** Writes an event into the outbox of the transaction's subgraph; it is flushed and committed with the step. */
export function writeOutbox<E extends EventDefinition>(
  tx: EntityManager,
  event: E,
  aggregateId: string | number,
  payload: PayloadOf<E>,
): EventEnvelope {
  const envelope = envelopeOf(event, aggregateId, payload);
  tx.create(OutboxEvent, {
    eventId: envelope.id,
    type: envelope.type,
    version: envelope.version,
    aggregateId: envelope.aggregateId,
    occurredAt: new Date(envelope.occurredAt),
    payload: envelope.payload,
  });
  return envelope;
}

export function envelopeOfRow(row: OutboxEvent): EventEnvelope {
  return {
    id: row.eventId,
    type: row.type,
    version: row.version,
    aggregateId: row.aggregateId,
    occurredAt: row.occurredAt.toISOString(),
    sequence: row.seq,
    payload: row.payload,
  };
}

/**
 * Publishes the outbox's unpublished events, oldest first, `batch` at a time, and stamps each once `publish`
 * returned; a failed publish stops the round (what was published before it stays stamped) and the rest waits for the
 * next one. `exclusive` (NATS): one relay per outbox across processes, by a transaction-scoped advisory lock held for
 * the round, so the order holds. The in-process transport is not exclusive: its `publish` runs the consumers on their
 * own connections, which must not wait on a transaction left open here (an embedded PGlite serves one transaction at
 * a time and would wait for ever); it reads, publishes and stamps row by row, one relay per process by construction.
 */
export async function relayOutbox(
  em: EntityManager,
  publish: (envelope: EventEnvelope) => Promise<void>,
  {
    batch = 100,
    exclusive = true,
    after = 0,
    stamp = true,
  }: {
    batch?: number;
    exclusive?: boolean;
    /** Not exclusive: only rows past this `seq` (a drain that leaves rows unstamped moves on with `lastSeq`). */
    after?: number;
    /** Not exclusive: stamp what was published (false: a NATS relay will publish the rows again later). */
    stamp?: boolean;
  } = {},
): Promise<{ published: number; failure?: unknown; lastSeq?: number }> {
  if (!exclusive) {
    const fork = em.fork();
    const rows = await fork.find(OutboxEvent, { publishedAt: null, seq: { $gt: after } }, { orderBy: { seq: 'asc' }, limit: batch });
    let published = 0;
    let lastSeq = after;
    for (const row of rows) {
      try {
        await publish(envelopeOfRow(row));
      } catch (failure) {
        return { published, failure, lastSeq };
      }
      if (stamp) await fork.nativeUpdate(OutboxEvent, { seq: row.seq }, { publishedAt: new Date() });
      lastSeq = row.seq;
      published++;
    }
    return { published, lastSeq };
  }
  return em.fork().transactional(async (tx) => {
    const schema = tx.config.get('schema') ?? 'public';
    const [lock] = await tx.execute<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(hashtext(?)) as locked`, [`outbox:${schema}`]);
    if (!lock?.locked) return { published: 0 };
    const rows = await tx.find(OutboxEvent, { publishedAt: null }, { orderBy: { seq: 'asc' }, limit: batch });
    let published = 0;
    let failure: unknown;
    for (const row of rows) {
      try {
        await publish(envelopeOfRow(row));
      } catch (error) {
        failure = error;
        break;
      }
      row.publishedAt = new Date();
      published++;
    }
    await tx.flush();
    return { published, failure };
  });
}
