import { Formation } from './formation.entity.js';

export { Formation };
export const entities = [Formation];
