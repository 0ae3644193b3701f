import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { SUBGRAPH_NAMES } from '../../subgraphs/common/env.js';

/**
 * The architecture's import rules: a subgraph imports only itself and subgraphs/common (other subgraphs' data
 * comes through federation only); common imports no subgraph; the gateway reaches subgraph code only in the
 * one-process runner (local.ts) through the registry.
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
  return [...source.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => relative(ROOT, resolve(dirname(file), m[1]!)));
}

describe.each(SUBGRAPH_NAMES)('subgraph %s', (name) => {
  test('imports only itself and subgraphs/common', () => {
    const offending = sourceFiles(join(ROOT, 'subgraphs', name)).flatMap((file) =>
      importsOf(file)
        .filter((target) => !target.startsWith(`subgraphs/${name}/`) && !target.startsWith('subgraphs/common/'))
        .map((target) => `${relative(ROOT, file)} → ${target}`),
    );
    expect(offending).toEqual([]);
  });
});

test('subgraphs/common imports none of the four subgraphs', () => {
  const offending = sourceFiles(join(ROOT, 'subgraphs/common')).flatMap((file) =>
    importsOf(file).filter((t) => !t.startsWith('subgraphs/common/')).map((t) => `${relative(ROOT, file)} → ${t}`),
  );
  expect(offending).toEqual([]);
});

test('the gateway uses subgraph code only in the one-process runner', () => {
  const offending = sourceFiles(join(ROOT, 'gateway'))
    .filter((file) => !file.endsWith('local.ts'))
    .flatMap((file) =>
      importsOf(file)
        .filter((t) => t.startsWith('subgraphs/') && !t.startsWith('subgraphs/common/'))
        .map((t) => `${relative(ROOT, file)} → ${t}`),
    );
  expect(offending).toEqual([]);
});
