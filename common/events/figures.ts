import type { EntityManager } from '@mikro-orm/postgresql';
import type { Consumer } from './inbox.js';

/** One consumer's lag over the window: from the event's commit (its `occurredAt`) to its inbox row (`appliedAt`). */
export interface ConsumerFigures {
  consumer: string;
  /** Events applied in the window. */
  applied: number;
  /** Seconds; null when nothing was applied in the window. */
  lagP50: number | null;
  lagP99: number | null;
  lagMax: number | null;
  /** Events parked (unreadable, or failing N times), all time: each waits for someone to look at it. */
  parked: number;
}

/** What GET /events serves: figures only, never an event's payload. */
export interface EventFigures {
  windowMinutes: number;
  /** Events of this subgraph's outbox not published yet, and the age in seconds of the oldest (null when none). */
  outbox: { unpublished: number; oldestAgeSeconds: number | null };
  consumers: ConsumerFigures[];
}

const seconds = (value: string | number | null | undefined) => (value == null ? null : Math.round(Number(value) * 1000) / 1000);

/**
 * The domain-event figures of one subgraph, from its own outbox and inbox (the ORM's schema): per consumer, p50, p99
 * and max lag of the events applied in the last `windowMinutes`, and the parked count; the outbox backlog.
 */
export async function eventFigures(em: EntityManager, consumers: readonly Consumer[], windowMinutes = 5): Promise<EventFigures> {
  const schema = em.config.get('schema') ?? 'public';
  const connection = em.getConnection();
  const [outbox] = await connection.execute<{ unpublished: number; oldest: string | null }[]>(
    `select count(*)::int as unpublished, extract(epoch from clock_timestamp() - min(occurred_at)) as oldest
     from "${schema}".outbox where published_at is null`,
  );
  const names = consumers.map((c) => c.name);
  const lags = await connection.execute<
    { consumer: string; applied: number; p50: string | null; p99: string | null; max: string | null }[]
  >(
    `select consumer, count(*)::int as applied,
           percentile_cont(0.5) within group (order by lag) as p50,
           percentile_cont(0.99) within group (order by lag) as p99,
           max(lag) as max
         from (select consumer, extract(epoch from applied_at - occurred_at) as lag from "${schema}".inbox
               where applied_at > clock_timestamp() - ?::double precision * interval '1 minute' and occurred_at is not null) recent
         group by consumer`,
    [windowMinutes],
  );
  const parked = await connection.execute<{ consumer: string; parked: number }[]>(
    `select consumer, count(*)::int as parked from "${schema}".inbox where parked_at is not null group by consumer`,
  );
  return {
    windowMinutes,
    outbox: { unpublished: outbox?.unpublished ?? 0, oldestAgeSeconds: seconds(outbox?.oldest) },
    consumers: names.map((consumer) => {
      const lag = lags.find((l) => l.consumer === consumer);
      return {
        consumer,
        applied: lag?.applied ?? 0,
        lagP50: seconds(lag?.p50),
        lagP99: seconds(lag?.p99),
        lagMax: seconds(lag?.max),
        parked: parked.find((p) => p.consumer === consumer)?.parked ?? 0,
      };
    }),
  };
}
