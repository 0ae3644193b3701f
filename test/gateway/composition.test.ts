import { readFileSync } from 'node:fs';
import { expect, test } from '@jest/globals';
import { SUPERGRAPH_PATH } from '../../common/type-defs.js';
import { composeSupergraph } from '../../scripts/compose.js';

test('the four subgraphs compose', () => {
  expect(() => composeSupergraph()).not.toThrow();
});

test('the committed supergraph is up to date (run `npm run schema:compose` after changing schema/)', () => {
  expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composeSupergraph());
});
