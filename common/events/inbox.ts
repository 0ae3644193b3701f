import { defineEntity, p } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphName } from '../env.js';
import { parseEnvelope, type EventDefinition, type EventEnvelope, type PayloadOf } from './event.js';

/**
 * A consuming subgraph's inbox (table `inbox` of its own schema): one row per consumer and event, written in the
 * same transaction as the consumer's effect. A second delivery of the event finds the row and changes nothing; an
 * event the consumer cannot read, or that kept failing, is parked here with its error instead of being retried
 * for ever.
 */
export const InboxEntrySchema = defineEntity({
  name: 'InboxEntry',
  tableName: 'inbox',
  // In every subgraph's schema: queries use the schema of the ORM at hand (a shared entity otherwise keeps the first one's).
  schema: '*',
  uniques: [{ properties: ['consumer', 'eventId'] }],
  // The lag figures (figures.ts) read one consumer's recent rows.
  indexes: [{ properties: ['consumer', 'appliedAt'] }],
  properties: {
    id: p.integer().primary(),
    consumer: p.string(),
    eventId: p.uuid(),
    type: p.string(),
    aggregateId: p.string(),
    /** The envelope's `occurredAt` (when the producer's step wrote it): `appliedAt` minus it is the consumer's lag. */
    occurredAt: p.datetime().nullable(),
    appliedAt: p.datetime().nullable(),
    parkedAt: p.datetime().nullable(),
    /** Why it was parked; the raw event is kept to look at or replay. */
    error: p.text().nullable(),
    event: p.json<unknown>().nullable(),
  },
});

export class InboxEntry extends InboxEntrySchema.class {}
InboxEntrySchema.setClass(InboxEntry);

/**
 * A handler of one or more event types in one subgraph: what it does, in the transaction that records the event
 * applied. Several types share a handler when they carry the same payload (the contract events feed one copy).
 */
export interface Consumer<E extends EventDefinition = EventDefinition> {
  /** Unique, stable: the inbox remembers what it applied under this name (`conventions.contracts-received`). */
  readonly name: string;
  readonly subgraph: SubgraphName;
  readonly events: readonly E[];
  handle(tx: EntityManager, payload: PayloadOf<E>, envelope: EventEnvelope<PayloadOf<E>>): Promise<void>;
}

/** Whether the consumer handles events of this type (any version: one it cannot read is parked, not ignored). */
export function consumes(consumer: Consumer, type: string): boolean {
  return consumer.events.some((e) => e.type === type);
}

export function defineConsumer<E extends EventDefinition>(consumer: Consumer<E>): Consumer<E> {
  return consumer;
}

export type Delivery = 'applied' | 'duplicate' | 'parked';

/** Claims the event for the consumer: false when a row for it exists already (waits for a concurrent claim to end). */
async function claim(tx: EntityManager, consumer: string, raw: EventEnvelope, parked?: string): Promise<boolean> {
  const occurredAt = new Date(String(raw.occurredAt));
  const result = await tx
    .createQueryBuilder(InboxEntry)
    .insert({
      consumer,
      eventId: raw.id,
      type: String(raw.type),
      aggregateId: String(raw.aggregateId),
      occurredAt: Number.isNaN(occurredAt.getTime()) ? null : occurredAt,
      appliedAt: parked === undefined ? new Date() : null,
      parkedAt: parked === undefined ? null : new Date(),
      error: parked ?? null,
      event: parked === undefined ? null : raw,
    })
    .onConflict(['consumer', 'eventId'])
    .ignore()
    .execute('run');
  return result.affectedRows > 0;
}

/**
 * Delivers one event to one consumer, in one transaction with its inbox row: `duplicate` when already applied or
 * parked, `parked` when it does not parse (never retried), `applied` after the handler committed. A handler's error
 * rolls everything back and is thrown: the transport tries again, then parks it (`park`). Given a transaction's
 * manager (a replay), the delivery is a savepoint of it.
 */
export async function deliver(em: EntityManager, consumer: Consumer, raw: EventEnvelope): Promise<Delivery> {
  const event =
    consumer.events.find((e) => e.type === raw.type && e.version === raw.version) ?? consumer.events.find((e) => e.type === raw.type);
  const parsed = event ? parseEnvelope(event, raw) : ({ ok: false, error: `${consumer.name} does not handle ${raw.type}` } as const);
  return em.fork({ keepTransactionContext: true }).transactional(async (tx) => {
    if (!parsed.ok) return (await claim(tx, consumer.name, raw, parsed.error)) ? 'parked' : 'duplicate';
    if (!(await claim(tx, consumer.name, raw))) return 'duplicate';
    await consumer.handle(tx, parsed.envelope.payload, parsed.envelope);
    return 'applied';
  });
}

/** Parks an event the consumer kept failing on, with the last error; nothing when it is in the inbox already. */
export async function park(em: EntityManager, consumer: Consumer, raw: EventEnvelope, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await em.fork({ keepTransactionContext: true }).transactional((tx) => claim(tx, consumer.name, raw, message));
}
