import { geography, type Commune } from '../geography.js';
import { withLuhnDigit } from '../luhn.js';
import type { ContractType } from '../programme.js';
import { seededRandom } from './random.js';

/**
 * The demo world every subgraph seeds from: one deterministic list of structures and people, so the four
 * subgraphs' demo data agree (same structure and advisor ids) without reading each other's tables.
 */
export const STRUCTURE_TYPES = ['COMMUNE', 'DEPARTEMENT', 'REGION', 'EPCI', 'COLLECTIVITE', 'GIP', 'PRIVATE'] as const;
export const STRUCTURE_STATUSES = [
  'CREEE',
  'EXAMEN_COMPLEMENTAIRE_COSELEC',
  'VALIDATION_COSELEC',
  'REFUS_COSELEC',
  'ABANDON',
  'ANNULEE',
  'DOUBLON',
  'REFUS_COORDINATEUR',
] as const;
export const PERSON_STATUSES = ['CANDIDAT', 'RECRUTE', 'RUPTURE', 'TERMINE'] as const;
/** The 14 national networks (*grands réseaux*) of the programme. */
export const NETWORKS = [
  'CROIX_ROUGE',
  'GROUPE_SOS',
  'EMMAUS_CONNECT',
  'LA_POSTE',
  'UNAF',
  'LIGUE_ENSEIGNEMENT',
  'FAMILLES_RURALES',
  'FACE',
  'PIMMS',
  'APF_HANDICAP',
  'UNIJ',
  'CONFEDERATION_MJC',
  'REGIE_DE_QUARTIER',
  'CHAMBRES_AGRICULTURE',
] as const;

export interface DemoStructure {
  id: number;
  name: string;
  type: (typeof STRUCTURE_TYPES)[number];
  siret: string;
  commune: Commune;
  status: (typeof STRUCTURE_STATUSES)[number];
  /** Advisor posts granted (a coordinator post, when `hasCoordinatorPost`, comes on top). */
  postQuota: number;
  /** Validated structures with `id % 5 === 1` also hold a coordinator post. */
  hasCoordinatorPost: boolean;
  /** National network of a private structure, if any. */
  network: (typeof NETWORKS)[number] | null;
  /** Rural revitalisation zone (ZRR) and priority neighbourhood (QPV): the priority areas of the V2 bonus. */
  isZrr: boolean;
  isQpv: boolean;
  isFranceServices: boolean;
  /** Day the application was submitted. */
  appliedOn: string;
}

export interface DemoPerson {
  id: number;
  firstName: string;
  lastName: string;
  commune: Commune;
  status: (typeof PERSON_STATUSES)[number];
  /** Employer (current, or last one for RUPTURE/TERMINE). */
  structureId: number | null;
  /** First day in post. */
  startDate: string | null;
  /** Type of the first contract (hired people only); those whose contract ended naturally had a fixed term. */
  contractType: ContractType | null;
  /** How far the candidate accepts to work, km (one of the programme's choices). */
  maxDistanceKm: number;
  /** Day the person applied as a candidate. */
  appliedOn: string;
}

export interface DemoWorld {
  structures: DemoStructure[];
  people: DemoPerson[];
}

/** What a subgraph's demo seeder may be given: another world than the default demo one (`npm run data:generate`). */
export interface SeedContext {
  world?: DemoWorld;
  [key: string]: unknown;
}

/** A spread of real départements: mainland, Corsica and overseas (different subsidy amounts). */
export const DEMO_DEPARTEMENTS = ['13', '33', '59', '69', '75', '93', '29', '2A', '971', '974'];

const FIRST_NAMES = [
  'Camille',
  'Louis',
  'Inès',
  'Hugo',
  'Léa',
  'Nassim',
  'Chloé',
  'Jules',
  'Amina',
  'Théo',
  'Manon',
  'Yanis',
  'Sarah',
  'Lucas',
  'Emma',
  'Karim',
];
const LAST_NAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'Benali',
];
const PRIVATE_NAMES = [
  'Association Numérique Solidaire',
  'Emmaüs Connect',
  'Centre social',
  'Maison de quartier',
  'Tiers-lieu',
  'PIMMS Médiation',
  'Familles rurales',
];

function structureName(type: DemoStructure['type'], commune: Commune, i: number): string {
  switch (type) {
    case 'COMMUNE':
      return `Mairie de ${commune.nom}`;
    case 'DEPARTEMENT':
      return `Conseil départemental (${commune.departement})`;
    case 'REGION':
      return `Conseil régional (${commune.region})`;
    case 'EPCI':
      return `Communauté de communes de ${commune.nom}`;
    case 'COLLECTIVITE':
      return `CCAS de ${commune.nom}`;
    case 'GIP':
      return `GIP Numérique ${commune.nom}`;
    case 'PRIVATE':
      return `${PRIVATE_NAMES[i % PRIVATE_NAMES.length]} ${commune.nom}`;
  }
}

const MAX_DISTANCES_KM = [5, 10, 15, 20, 40, 100, 2000];

const day = (year: number, month: number, dayOfMonth = 1) =>
  `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;

let cached: { key: string; world: DemoWorld } | undefined;

/** The two sizes of world: the demo one for `npm start`, and the programme's own scale for benchmarks. */
export type WorldScale = 'demo' | 'national';

export interface WorldOptions {
  scale?: WorldScale;
  structures?: number;
  people?: number;
  seed?: number;
}

/**
 * The demo world: 150 structures (every application status; two thirds validated with 1–3 posts) and 420 people
 * over 10 real départements, about 30 % of them hired. At national scale (docs/domain.md §6): 3,000 structures and
 * 40,000 candidates over every département, in communes drawn by population, about 4,000 of them hired.
 * Memoised: every seeder of a process reads it.
 */
export function demoWorld(options: WorldOptions = {}): DemoWorld {
  const scale = options.scale ?? 'demo';
  const {
    structures: structureCount = scale === 'national' ? 3_000 : 150,
    people: peopleCount = scale === 'national' ? 40_000 : 420,
    seed = 2021,
  } = options;
  const key = `${scale}/${structureCount}/${peopleCount}/${seed}`;
  if (cached?.key === key) return cached.world;
  const world = buildWorld(scale, structureCount, peopleCount, seed);
  cached = { key, world };
  return world;
}

/** Picks communes in proportion to their population (binary search over the running total). */
function byPopulation(random: ReturnType<typeof seededRandom>, communes: Commune[]): () => Commune {
  const cumulative: number[] = [];
  let total = 0;
  for (const c of communes) cumulative.push((total += c.population ?? 0));
  return () => {
    const r = random.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return communes[lo]!;
  };
}

function buildWorld(scale: WorldScale, structureCount: number, peopleCount: number, seed: number): DemoWorld {
  const random = seededRandom(seed);
  // Towns of 2,000+ inhabitants: where structures are, and where commune centres are known.
  const towns = geography().communes.filter((c) => (c.population ?? 0) >= 2000);
  let pickCommune: () => Commune;
  if (scale === 'national') {
    pickCommune = byPopulation(random, towns);
  } else {
    const communesByDepartement = new Map<string, Commune[]>();
    for (const c of towns) {
      if (DEMO_DEPARTEMENTS.includes(c.departement))
        communesByDepartement.set(c.departement, [...(communesByDepartement.get(c.departement) ?? []), c]);
    }
    pickCommune = () => random.pick(communesByDepartement.get(random.pick(DEMO_DEPARTEMENTS))!);
  }
  // Demo: a third of the people hired; national: about 4,000 of 40,000 candidates, as in the programme.
  const hireRate = scale === 'national' ? 0.12 : 0.3;

  const structures: DemoStructure[] = [];
  for (let id = 1; id <= structureCount; id++) {
    const commune = pickCommune();
    const type = random.chance(0.45) ? 'PRIVATE' : random.pick(STRUCTURE_TYPES.slice(0, 6));
    // Two thirds validated (the active status), the rest spread over every other status.
    const status = id % 3 === 0 ? STRUCTURE_STATUSES[(id / 3) % STRUCTURE_STATUSES.length]! : 'VALIDATION_COSELEC';
    const siren = withLuhnDigit(String(200000000 + random.int(0, 99999999)).slice(0, 8));
    structures.push({
      id,
      name: structureName(type, commune, id),
      type,
      siret: withLuhnDigit(siren + String(random.int(1, 9999)).padStart(4, '0')),
      commune,
      status,
      postQuota: status === 'VALIDATION_COSELEC' ? random.int(1, 3) : 0,
      hasCoordinatorPost: status === 'VALIDATION_COSELEC' && id % 5 === 1,
      network: type === 'PRIVATE' && random.chance(0.3) ? random.pick(NETWORKS) : null,
      isZrr: random.chance(0.2),
      isQpv: random.chance(0.25),
      isFranceServices: random.chance(0.15),
      appliedOn: day(random.int(2020, 2022), random.int(1, 12), random.int(1, 28)),
    });
  }

  const openPosts = structures.flatMap((s) => Array.from({ length: s.postQuota }, () => s.id));
  const people: DemoPerson[] = [];
  for (let id = 1; id <= peopleCount; id++) {
    const commune = pickCommune();
    let status: DemoPerson['status'] = 'CANDIDAT';
    let structureId: number | null = null;
    let startDate: string | null = null;
    let contractType: DemoPerson['contractType'] = null;
    if (openPosts.length > 0 && random.chance(hireRate)) {
      structureId = openPosts.splice(random.int(0, openPosts.length - 1), 1)[0]!;
      status = random.chance(0.8) ? 'RECRUTE' : random.chance(0.5) ? 'RUPTURE' : 'TERMINE';
      startDate = `${random.int(2021, 2024)}-${String(random.int(1, 12)).padStart(2, '0')}-01`;
      // First contracts were mostly fixed-term; CDIs came with the renewals.
      const draw = random.next();
      contractType = draw < 0.55 ? 'CDD' : draw < 0.8 ? (status === 'TERMINE' ? 'CDD' : 'CDI') : draw < 0.93 ? 'PEC' : 'CONTRAT_DE_PROJET';
    }
    const appliedOn = startDate
      ? `${Number(startDate.slice(0, 4)) - 1}-${startDate.slice(5, 7)}-15`
      : day(random.int(2020, 2025), random.int(1, 12), random.int(1, 28));
    people.push({
      id,
      firstName: random.pick(FIRST_NAMES),
      lastName: random.pick(LAST_NAMES),
      commune,
      status,
      structureId,
      startDate,
      contractType,
      maxDistanceKm: random.pick(MAX_DISTANCES_KM),
      appliedOn,
    });
  }
  return { structures, people };
}
