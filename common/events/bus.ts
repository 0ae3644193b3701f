import type { SubgraphName } from '../env.js';
import { consumes, deliver, park } from './inbox.js';
import { startNatsTransport } from './nats.js';
import { relayOutbox } from './outbox.js';
import { backoff, log, messageOf, pause, relayLoop, type EventBus, type EventNode, type ResolvedBusOptions } from './relay.js';
import type { EventEnvelope } from './event.js';

export type { EventBus, EventNode } from './relay.js';

export interface BusOptions {
  /** JetStream when set; otherwise the in-process relay hands each outbox to the consumers of these nodes. */
  natsUrl?: string;
  /** Names of the streams, subjects and durable consumers (tests make theirs unique per run). */
  prefix?: string;
  /** Deliveries of an event to a consumer before it is parked (and dead-lettered on NATS). */
  maxDeliver?: number;
  /** First wait before a redelivery; doubled at each attempt. */
  backoffMs?: number;
  /** Wait between two looks at an empty outbox. */
  pollMs?: number;
  /** Nodes whose outbox this bus relays (default: all): a process relays only its own subgraph's. */
  relay?: readonly SubgraphName[];
}

/**
 * The in-process transport: each event goes, in outbox order, to every consumer of its type, each tried up to
 * `maxDeliver` times with backoff, then parked; the outbox row is stamped after all of them answered.
 */
function inProcessPublisher(nodes: readonly EventNode[], options: ResolvedBusOptions, signal: AbortSignal) {
  return async (envelope: EventEnvelope) => {
    for (const node of nodes) {
      for (const consumer of node.consumers.filter((c) => consumes(c, envelope.type))) {
        for (let attempt = 1; ; attempt++) {
          try {
            await deliver(node.orm.em, consumer, envelope);
            break;
          } catch (error) {
            if (signal.aborted) throw error;
            if (attempt >= options.maxDeliver) {
              log.warn('event parked', { consumer: consumer.name, event: envelope.id, message: messageOf(error) });
              await park(node.orm.em, consumer, envelope, error);
              break;
            }
            await pause(backoff(options, attempt), signal);
          }
        }
      }
    }
  };
}

/**
 * Delivers in process every event waiting in the nodes' outboxes, and those their consumers emit in turn, until none
 * is left: the seeders and scripts that build one world in one process (npm start, db:seed, data:generate, the demo
 * test system) let each subgraph's copies fill before the next one seeds from them. `stamp: false` leaves the rows
 * unpublished, for a NATS relay to put them on the streams later (its consumers skip what they applied already),
 * so that the streams hold every event. The number of events delivered.
 */
export async function drainEvents(
  nodes: readonly EventNode[],
  { stamp = true, maxDeliver = 3, backoffMs = 50 }: { stamp?: boolean } & Pick<BusOptions, 'maxDeliver' | 'backoffMs'> = {},
): Promise<number> {
  const publish = inProcessPublisher(nodes, { prefix: 'conum', maxDeliver, backoffMs, pollMs: 0 }, new AbortController().signal);
  const after = new Map(nodes.map((n) => [n.name, 0]));
  let total = 0;
  for (let round = 1; round > 0;) {
    round = 0;
    for (const node of nodes) {
      const { published, failure, lastSeq } = await relayOutbox(node.orm.em, publish, {
        exclusive: false,
        batch: 500,
        after: after.get(node.name)!,
        stamp,
      });
      if (failure) throw failure;
      after.set(node.name, lastSeq!);
      round += published;
    }
    total += round;
  }
  return total;
}

/**
 * Starts the relays of the nodes' outboxes and their consumers, over NATS JetStream when `natsUrl` is set, in
 * process otherwise; the consumers are the same code either way (inbox.ts). `stop` lets the current event finish.
 */
export async function startEventBus(nodes: readonly EventNode[], options: BusOptions = {}): Promise<EventBus> {
  const resolved: ResolvedBusOptions = {
    prefix: options.prefix ?? 'conum',
    maxDeliver: options.maxDeliver ?? 5,
    backoffMs: options.backoffMs ?? 500,
    pollMs: options.pollMs ?? 250,
  };
  const relayed = nodes.filter((n) => !options.relay || options.relay.includes(n.name));
  if (options.natsUrl) return startNatsTransport(options.natsUrl, nodes, relayed, resolved);
  const stopping = new AbortController();
  const publish = inProcessPublisher(nodes, resolved, stopping.signal);
  const loops = relayed.map((node) => relayLoop(node, publish, resolved, stopping.signal, false));
  return {
    transport: 'in-process',
    async stop() {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}
