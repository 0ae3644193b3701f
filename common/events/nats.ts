import { createHash } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamManager,
  RetentionPolicy,
  type JsMsg,
  type StreamConfig,
} from '@nats-io/jetstream';
import { connect, headers, nanos } from '@nats-io/transport-node';
import type { SubgraphName } from '../env.js';
import { backoff, log, messageOf, relayLoop, type EventBus, type EventNode, type ResolvedBusOptions } from './relay.js';
import type { EventEnvelope } from './event.js';
import { deliver, park } from './inbox.js';

/** The JetStream names of a producing subgraph and of a consumer, under a prefix (`conum`). */
export const natsNames = (prefix: string) => ({
  stream: (producer: SubgraphName) => `${prefix}_${producer}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_'),
  subject: (type: string) => `${prefix}.${type}`,
  durable: (consumerSubgraph: SubgraphName) => `${prefix}_${consumerSubgraph}`.replace(/[^A-Za-z0-9_]/g, '_'),
  deadStream: () => `${prefix}_DEAD`.toUpperCase().replace(/[^A-Z0-9_]/g, '_'),
  dead: (consumerSubgraph: SubgraphName) => `${prefix}.dead.${consumerSubgraph}`,
});

/**
 * Creates or updates a stream. It keeps every event for ever (limits retention with no age, count or size limit):
 * `events:replay` rebuilds a copy from the first event, and a consumer added later reads the whole history.
 */
async function ensureStream(jsm: JetStreamManager, config: Pick<StreamConfig, 'name' | 'subjects'>): Promise<void> {
  const forever = { max_age: 0, max_msgs: -1, max_bytes: -1, max_msgs_per_subject: -1 };
  const existing = await jsm.streams.info(config.name).catch(() => null);
  if (existing) {
    if (existing.config.retention !== RetentionPolicy.Limits)
      throw new Error(`Stream ${config.name} has ${existing.config.retention} retention: it must keep its events (limits).`);
    await jsm.streams.update(config.name, { subjects: config.subjects, ...forever });
    return;
  }
  // Two minutes of msgID memory: a relay that published and crashed before stamping its outbox republishes as a no-op.
  await jsm.streams.add({ ...config, retention: RetentionPolicy.Limits, ...forever, duplicate_window: nanos(120_000) });
}

/**
 * The envelope a message carries. One that is not an envelope (not JSON, no uuid id) gets an id of its own, the same
 * at every redelivery (from its stream and sequence), and fails the envelope schema, so the consumers park it.
 */
export function envelopeOfMessage(
  msg: Pick<JsMsg, 'subject' | 'seq' | 'json' | 'string'> & { info: { stream: string } },
  prefix: string,
): EventEnvelope {
  let raw: unknown;
  try {
    raw = msg.json<unknown>();
  } catch {
    raw = msg.string();
  }
  const { id } = (raw ?? {}) as { id?: unknown };
  if (typeof raw === 'object' && typeof id === 'string' && /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(id))
    return raw as EventEnvelope;
  const hash = createHash('sha256').update(`${msg.info.stream}:${msg.seq}`).digest('hex');
  return {
    id: `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-8${hash.slice(17, 20)}-${hash.slice(20, 32)}`,
    type: msg.subject.slice(prefix.length + 1),
    version: 0,
    aggregateId: `${msg.info.stream}:${msg.seq}`,
    occurredAt: '',
    payload: raw,
  };
}

/**
 * A connection that outlives a restart of the server: it reconnects for ever, every `reconnectTimeWait`; meanwhile
 * publishes fail (the outbox keeps the events, the relay tries again) and the consumers wait.
 */
export function connectNats(url: string, name: string) {
  return connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 500, reconnectJitter: 100 });
}

/**
 * The JetStream transport: one stream per producing subgraph (`CONUM_RECRUITMENT`, subjects `conum.recruitment.>`,
 * one per event type), each outbox published with the event id as `msgID` (the stream drops a republished
 * event); one durable consumer per consuming subgraph and stream, one message in flight (so one aggregate's events
 * apply in order), acked after every handler committed, nacked with backoff when one failed; at the last delivery
 * the event is parked in the inbox and copied to the dead-letter subject (`conum.dead.<subgraph>`).
 */
export async function startNatsTransport(
  url: string,
  nodes: readonly EventNode[],
  relayed: readonly EventNode[],
  options: ResolvedBusOptions,
): Promise<EventBus> {
  const names = natsNames(options.prefix);
  const nc = await connectNats(url, `conum-graph ${nodes.map((n) => n.name).join(',')}`);
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const stopping = new AbortController();
  const producers = new Set(
    nodes.flatMap((n) => n.consumers.flatMap((c) => c.events.map((e) => e.producer))).concat(relayed.map((n) => n.name)),
  );
  const publish = async (envelope: EventEnvelope) => {
    await js.publish(names.subject(envelope.type), JSON.stringify(envelope), { msgID: envelope.id });
  };
  const loops: Promise<void>[] = [];
  const subscriptions: { stop(): void }[] = [];
  try {
    for (const producer of producers)
      await ensureStream(jsm, { name: names.stream(producer), subjects: [`${options.prefix}.${producer}.>`] });
    await ensureStream(jsm, { name: names.deadStream(), subjects: [`${options.prefix}.dead.>`] });
    for (const node of nodes) {
      for (const producer of new Set(node.consumers.flatMap((c) => c.events.map((e) => e.producer)))) {
        const messages = await subscribe(node, producer);
        subscriptions.push(messages);
        loops.push(consumeLoop(node, producer, messages));
      }
    }
  } catch (error) {
    for (const s of subscriptions) s.stop();
    await Promise.all(loops);
    await nc.close();
    throw error;
  }
  loops.push(...relayed.map((node) => relayLoop(node, publish, options, stopping.signal, true)));

  /**
   * The subgraph's durable consumer of a producer's stream. It takes the whole stream (`filter_subject` is one
   * subject on NATS 2.9) and acks what it has no handler for, so one producer's events apply in one order.
   */
  async function subscribe(node: EventNode, producer: SubgraphName) {
    const stream = names.stream(producer);
    const durable = names.durable(node.name);
    try {
      await jsm.consumers.info(stream, durable);
    } catch {
      await jsm.consumers.add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: `${options.prefix}.${producer}.>`,
        // One message in flight: events apply in stream order, so in order per aggregate.
        max_ack_pending: 1,
        // The server stops one past ours, should a park itself fail.
        max_deliver: options.maxDeliver + 1,
        ack_wait: nanos(30_000),
      });
    }
    return (await js.consumers.get(stream, durable)).consume({ max_messages: 1 });
  }

  async function deadLetter(node: EventNode, consumer: string, envelope: EventEnvelope, reason: string) {
    const h = headers();
    h.set('Conum-Consumer', consumer);
    h.set('Conum-Error', reason.slice(0, 1000).replace(/[\r\n]+/g, ' '));
    await js.publish(names.dead(node.name), JSON.stringify(envelope), { headers: h });
  }

  /** Hands one message to each of the node's handlers of its type; acks once all committed (or parked). */
  async function handle(node: EventNode, msg: JsMsg) {
    const envelope = envelopeOfMessage(msg, options.prefix);
    const attempt = msg.info.deliveryCount;
    for (const consumer of node.consumers.filter((c) => c.events.some((e) => names.subject(e.type) === msg.subject))) {
      try {
        if ((await deliver(node.orm.em, consumer, envelope)) === 'parked') await deadLetter(node, consumer.name, envelope, 'unreadable');
      } catch (error) {
        if (attempt < options.maxDeliver) {
          msg.nak(backoff(options, attempt));
          return;
        }
        log.warn('event parked', { consumer: consumer.name, event: envelope.id, attempts: attempt, message: messageOf(error) });
        await park(node.orm.em, consumer, envelope, error);
        await deadLetter(node, consumer.name, envelope, messageOf(error));
      }
    }
    msg.ack();
  }

  async function consumeLoop(node: EventNode, producer: SubgraphName, messages: AsyncIterable<JsMsg>) {
    for await (const msg of messages) {
      try {
        await handle(node, msg);
      } catch (error) {
        // The database itself failed (the inbox could not be written): try again later.
        log.warn('event handling failed', { subgraph: node.name, producer, message: messageOf(error) });
        msg.nak(backoff(options, msg.info.deliveryCount));
      }
    }
  }

  return {
    transport: 'nats',
    async stop() {
      stopping.abort();
      for (const s of subscriptions) s.stop();
      await Promise.all(loops);
      await nc.drain();
    },
  };
}
