import type { SubgraphContext } from '../../common/server.js';
import type { Loaders } from './loaders.js';

/** The resolvers' context (codegen's `contextType`). */
export type Context = SubgraphContext<Loaders>;
