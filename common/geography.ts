import { createRequire } from 'node:module';

/** Real French geography (INSEE codes and names) from @etalab/decoupage-administratif. */
export interface Commune {
  code: string;
  nom: string;
  departement: string;
  region: string;
  population?: number;
  codesPostaux?: string[];
  type: string;
}
export interface Departement {
  code: string;
  nom: string;
  region: string;
}
export interface Region {
  code: string;
  nom: string;
}

const require = createRequire(import.meta.url);
let cache: { communes: Commune[]; departements: Departement[]; regions: Region[] } | undefined;

/** Loaded lazily: the communes file is 8 MB. */
export function geography() {
  cache ??= {
    communes: (require('@etalab/decoupage-administratif/data/communes.json') as Commune[]).filter((c) => c.type === 'commune-actuelle'),
    departements: require('@etalab/decoupage-administratif/data/departements.json') as Departement[],
    regions: require('@etalab/decoupage-administratif/data/regions.json') as Region[],
  };
  return cache;
}
