import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';

/**
 * The documentation stands alone: what code, SDL and READMEs cite lives in the repository's docs/, and every
 * `docs/<file>.md §N` names a section that exists there (its headings are numbered `## 1.`, `### 1.3 …`).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const SELF = 'test/common/docs.test.ts';

/** Every text file git tracks (the generated supergraph too: its descriptions are the SDL's). */
const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((path) => path && path !== SELF && path !== 'package-lock.json' && existsSync(join(ROOT, path)))
  .map((path) => ({ path, lines: readFileSync(join(ROOT, path), 'utf8').split('\n') }));

/** The notes the project once cited from outside the repository. */
const NOTES = ['domain', 'security', 'gateways', 'toolchain', 'style'].join('|');
const OUTSIDE = [
  // A path out of the clone.
  /(?:\.\.|\/work)\/shared\//,
  // A note's file name without docs/ before it.
  new RegExp(`(?<![\\w/.-])(?:${NOTES})\\.md\\b`),
  // A section cited by the note's bare name: "domain §2", "domain facts §1.6".
  /(?<![\w/.-])(?:domain|security)(?: facts)? §/,
];

/** `docs/x.md §1.3, §2` and `docs/x.md §1.1–1.4`: the file and every section number named. */
const CITATION = /docs\/([\w-]+)\.md`?\s*((?:§\s?\d+(?:\.\d+)*(?:\s?[–-]\s?\d+(?:\.\d+)*)?(?:,\s*|\s+and\s+|\s+)?)+)/g;

function sectionsOf(doc: string): Set<string> {
  const headings = readFileSync(join(ROOT, 'docs', `${doc}.md`), 'utf8').matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.? /gm);
  return new Set([...headings].map((m) => m[1]!));
}

describe('documentation', () => {
  test('nothing cites a note outside the repository or without its docs/ path', () => {
    const offending = files.flatMap(({ path, lines }) =>
      lines.flatMap((line, i) => (OUTSIDE.some((pattern) => pattern.test(line)) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offending).toEqual([]);
  });

  test('every docs/<file>.md §N names a file and a section that exist', () => {
    const sections = new Map<string, Set<string> | null>();
    const broken: string[] = [];
    let citations = 0;
    for (const { path, lines } of files) {
      lines.forEach((line, i) => {
        for (const [, doc, list] of line.matchAll(CITATION)) {
          if (!sections.has(doc!)) sections.set(doc!, existsSync(join(ROOT, 'docs', `${doc}.md`)) ? sectionsOf(doc!) : null);
          const known = sections.get(doc!);
          for (const [section] of list!.matchAll(/\d+(?:\.\d+)*/g)) {
            citations++;
            if (!known?.has(section)) broken.push(`${path}:${i + 1}: docs/${doc}.md §${section}`);
          }
        }
      });
    }
    expect(broken).toEqual([]);
    expect(citations).toBeGreaterThan(0);
  });

  test('every repository path the Markdown names exists (a file moved is a README to update)', () => {
    const PATH = /(?<![\w/.-])((?:common|subgraphs|gateway|scripts|test|schema|docs|examples)\/[\w./-]+\.(?:ts|graphql|md|json|mjs))\b/g;
    const missing = files
      .filter(({ path }) => path.endsWith('.md'))
      .flatMap(({ path, lines }) =>
        lines.flatMap((line, i) =>
          [...line.matchAll(PATH)].filter(([, named]) => !existsSync(join(ROOT, named!))).map(([, named]) => `${path}:${i + 1}: ${named}`),
        ),
      );
    expect(missing).toEqual([]);
  });
});
