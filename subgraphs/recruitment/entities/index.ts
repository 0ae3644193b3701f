import { Conseiller } from './conseiller.entity.js';
import { Structure } from './structure.entity.js';

export { Conseiller, Structure };
export const entities = [Structure, Conseiller];
