import type { Viewer } from '../common/viewer.js';

/** The gateway's per-request context: who is calling, established once, forwarded signed to every subgraph. */
export interface GatewayContext {
  viewer: Viewer;
  /** The client's address (rate limits of anonymous callers; audit). */
  ip: string;
}
