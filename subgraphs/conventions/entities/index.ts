import { Convention } from './convention.entity.js';

export { Convention };
export const entities = [Convention];
