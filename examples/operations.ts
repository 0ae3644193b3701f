import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The example operations (examples/operations/*.graphql), in file-name order: the playground's tabs, the
 * benchmark's mix and a test that runs each one read them here, so they cannot drift from the schema. Each file
 * starts with `# caller: <who>`, who it is meant for: `anonymous`, a development user of `npm run token` (`admin`,
 * `prefet-13`…), or `partner (<scope>,…)` for a partner key with those scopes.
 */
export interface ExampleOperation {
  /** The file's name without `.graphql`. */
  name: string;
  /** The whole text, comments included: what the playground shows. */
  query: string;
  caller: { kind: 'anonymous' } | { kind: 'user'; demoUser: string } | { kind: 'partner'; scopes: string[] };
}

export const EXAMPLES_DIR = join(import.meta.dirname, 'operations');

export function exampleOperations(): ExampleOperation[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const query = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
      const who = /^# caller: (\S+)(?: \(([^)]*)\))?$/.exec(query.split('\n', 1)[0]!);
      if (!who) throw new Error(`${file}: the first line must say who the operation is for (# caller: …).`);
      const caller: ExampleOperation['caller'] =
        who[1] === 'anonymous'
          ? { kind: 'anonymous' }
          : who[1] === 'partner'
            ? { kind: 'partner', scopes: (who[2] ?? '').split(',') }
            : { kind: 'user', demoUser: who[1]! };
      return { name: file.replace(/\.graphql$/, ''), query, caller };
    });
}

/** The example in `<name>.graphql`. */
export function exampleOperation(name: string): ExampleOperation {
  const found = exampleOperations().find((o) => o.name === name);
  if (!found) throw new Error(`No example operation ${name} in ${EXAMPLES_DIR}.`);
  return found;
}
