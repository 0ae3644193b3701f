import { Cra } from './cra.entity.js';

export { Cra };
export { CRA_ACTIVITY_TYPES, CRA_CHANNELS } from './cra.entity.js';
export const entities = [Cra];
