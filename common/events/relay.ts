import type { MikroORM } from '@mikro-orm/postgresql';
import type { SubgraphName } from '../env.js';
import { createLogger } from '../logger.js';
import type { EventEnvelope } from './event.js';
import type { Consumer } from './inbox.js';
import { relayOutbox } from './outbox.js';

/** One subgraph on the bus: its ORM (its outbox and inbox) and the consumers it runs. */
export interface EventNode {
  name: SubgraphName;
  orm: MikroORM;
  consumers: readonly Consumer[];
}

/** The bus options, defaults applied. */
export interface ResolvedBusOptions {
  prefix: string;
  maxDeliver: number;
  backoffMs: number;
  pollMs: number;
}

export interface EventBus {
  readonly transport: 'in-process' | 'nats';
  stop(): Promise<void>;
}

export const log = createLogger('events');

/** The delay before attempt `attempt + 1`. */
export function backoff(options: ResolvedBusOptions, attempt: number): number {
  return Math.min(options.backoffMs * 2 ** (attempt - 1), 30_000);
}

/** A sleep that a stop cuts short. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Relays one outbox until stopped: publish what is there, then look again after `pollMs` when it was empty.
 * `exclusive`: see `relayOutbox`.
 */
export async function relayLoop(
  node: EventNode,
  publish: (envelope: EventEnvelope) => Promise<void>,
  options: ResolvedBusOptions,
  signal: AbortSignal,
  exclusive: boolean,
): Promise<void> {
  while (!signal.aborted) {
    let published = 0;
    try {
      const round = await relayOutbox(node.orm.em, publish, { exclusive });
      published = round.published;
      if (round.failure) log.warn('publish failed; retrying', { subgraph: node.name, message: messageOf(round.failure) });
    } catch (error) {
      log.warn('outbox relay failed; retrying', { subgraph: node.name, message: messageOf(error) });
    }
    if (published === 0) await pause(options.pollMs, signal);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
