import type { MikroORM } from '../../../common/db.js';
import { withLuhnDigit } from '../../../common/luhn.js';
import { Conseiller, ConseillerPersonalData, MiseEnRelation, Structure } from '../../../subgraphs/recruitment/entities/index.js';
import type { MiseEnRelationStatus } from '../../../subgraphs/recruitment/entities/vocabulary.js';
import { uniqueId } from '../ids.js';

type StructureData = Partial<Omit<Structure, 'id'>> & { id?: number };
type ConseillerData = Partial<Omit<Conseiller, 'id' | 'structure'>> & { id?: number; structureId?: number | null; email?: string };
type MiseEnRelationData = Partial<Omit<MiseEnRelation, 'id' | 'structure' | 'conseiller' | 'renewalOf'>> & {
  structureId: number;
  conseillerId: number;
  status: MiseEnRelationStatus;
};

/** Marseille (13055), with its GeoNames centre. */
export const MARSEILLE = {
  communeCode: '13055',
  communeName: 'Marseille',
  departementCode: '13',
  regionCode: '93',
  latitude: 43.29695,
  longitude: 5.38107,
};

/** A validated public structure in Marseille with 2 posts unless told otherwise. */
export async function createStructure(orm: MikroORM, data: StructureData = {}): Promise<Structure> {
  const em = orm.em.fork();
  const id = data.id ?? uniqueId();
  const structure = em.create(Structure, {
    name: `Structure ${id}`,
    siret: withLuhnDigit(String(21130055300000 + (id % 10000)).slice(0, 13)),
    type: 'COMMUNE',
    status: 'VALIDATION_COSELEC',
    ...MARSEILLE,
    postQuota: 2,
    ...data,
    id,
  });
  await em.flush();
  return structure;
}

/** A candidate (or, with `structureId`, an advisor in post) living in Marseille, with personal data. */
export async function createConseiller(orm: MikroORM, data: ConseillerData = {}): Promise<Conseiller> {
  const em = orm.em.fork();
  const { structureId, email, ...rest } = data;
  const id = data.id ?? uniqueId();
  const conseiller = em.create(Conseiller, {
    firstName: 'Camille',
    lastName: `Test${id}`,
    status: structureId ? 'RECRUTE' : 'CANDIDAT',
    ...MARSEILLE,
    maxDistanceKm: 40,
    isAvailable: !structureId,
    isJobSeeker: true,
    structure: structureId ?? null,
    ...rest,
    id,
  });
  em.create(ConseillerPersonalData, {
    conseiller,
    email: email ?? `camille.${id}@example.org`,
    phone: '0601020304',
    birthDate: '1990-05-17',
    sex: 'FEMME',
  });
  await em.flush();
  return conseiller;
}

/** A mise en relation written as is (no workflow checks): the starting point of workflow tests. */
export async function createMiseEnRelation(orm: MikroORM, data: MiseEnRelationData): Promise<MiseEnRelation> {
  const em = orm.em.fork();
  const { structureId, conseillerId, ...rest } = data;
  const mer = em.create(MiseEnRelation, { structure: structureId, conseiller: conseillerId, ...rest });
  await em.flush();
  return mer;
}
