import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { SUBGRAPH_NAMES } from '../../common/env.js';

/**
 * The architecture's import rules: a subgraph imports only itself and common/ (other subgraphs' data comes
 * through federation only); common/ is the kit the gateway and the subgraphs share, so it imports neither; the
 * gateway imports no subgraph. Only scripts/ (runners and CLIs) and test/ put the pieces together.
 */
const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.generated.ts') ? [path] : [];
  });
}

/** Project-relative targets of the file's relative imports. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) =>
    relative(ROOT, resolve(dirname(file), m[1]!)),
  );
}

describe.each(SUBGRAPH_NAMES)('subgraph %s', (name) => {
  test('imports only itself and common/', () => {
    const offending = sourceFiles(join(ROOT, 'subgraphs', name)).flatMap((file) =>
      importsOf(file)
        .filter((target) => !target.startsWith(`subgraphs/${name}/`) && !target.startsWith('common/'))
        .map((target) => `${relative(ROOT, file)} → ${target}`),
    );
    expect(offending).toEqual([]);
  });
});

test('common/ imports neither a subgraph nor the gateway', () => {
  const offending = sourceFiles(join(ROOT, 'common')).flatMap((file) =>
    importsOf(file)
      .filter((t) => !t.startsWith('common/'))
      .map((t) => `${relative(ROOT, file)} → ${t}`),
  );
  expect(offending).toEqual([]);
});

test('the gateway imports no subgraph code', () => {
  const offending = sourceFiles(join(ROOT, 'gateway')).flatMap((file) =>
    importsOf(file)
      .filter((t) => t.startsWith('subgraphs/') || t.startsWith('scripts/'))
      .map((t) => `${relative(ROOT, file)} → ${t}`),
  );
  expect(offending).toEqual([]);
});
