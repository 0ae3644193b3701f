import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SubgraphName } from '../env.js';

/**
 * A domain event type, declared once (catalogue.ts): its name (`<producer>.<what-happened>`), the subgraph that
 * publishes it, its version and the schema of its payload. A new payload shape is a new version, so a consumer
 * never misreads an old event.
 */
export interface EventDefinition<T extends string = string, P extends z.ZodType = z.ZodType> {
  readonly type: T;
  readonly version: number;
  readonly producer: SubgraphName;
  readonly payload: P;
}

export type PayloadOf<E extends EventDefinition> = z.output<E['payload']>;

export function defineEvent<const T extends string, P extends z.ZodType>(definition: EventDefinition<T, P>): EventDefinition<T, P> {
  if (!definition.type.startsWith(`${definition.producer}.`)) throw new Error(`Event ${definition.type} must be named after its producer.`);
  return definition;
}

/** What travels: the same fields in the outbox row, on the bus and in a consumer's hands. */
export interface EventEnvelope<P = unknown> {
  id: string;
  type: string;
  version: number;
  aggregateId: string;
  occurredAt: string;
  /**
   * The event's place in its producer's outbox, set when it leaves it: one aggregate's events have increasing
   * sequences, so a copy built from them can tell a late redelivery from news.
   */
  sequence?: number;
  payload: P;
}

/** A new envelope, its payload checked against its type's schema: a producer cannot publish what no consumer can read. */
export function envelopeOf<E extends EventDefinition>(
  event: E,
  aggregateId: string | number,
  payload: PayloadOf<E>,
): EventEnvelope<PayloadOf<E>> {
  return {
    id: randomUUID(),
    type: event.type,
    version: event.version,
    aggregateId: String(aggregateId),
    occurredAt: new Date().toISOString(),
    payload: event.payload.parse(payload) as PayloadOf<E>,
  };
}

const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  aggregateId: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  sequence: z.number().int().positive().optional(),
  payload: z.unknown(),
});

/** The envelope and payload of `raw` as `event` declares them, or why not (the consumer parks it). */
export function parseEnvelope<E extends EventDefinition>(
  event: E,
  raw: unknown,
): { ok: true; envelope: EventEnvelope<PayloadOf<E>> } | { ok: false; error: string } {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, error: `invalid envelope: ${z.prettifyError(envelope.error)}` };
  const { type, version } = envelope.data;
  if (type !== event.type || version !== event.version)
    return { ok: false, error: `expected ${event.type} v${event.version}, got ${type} v${version}` };
  const payload = event.payload.safeParse(envelope.data.payload);
  if (!payload.success) return { ok: false, error: `invalid payload: ${z.prettifyError(payload.error)}` };
  return { ok: true, envelope: { ...envelope.data, payload: payload.data as PayloadOf<E> } };
}
