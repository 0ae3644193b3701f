import type { MikroORM } from '../../../subgraphs/common/db.js';
import { withLuhnDigit } from '../../../subgraphs/common/luhn.js';
import { Conseiller, Structure } from '../../../subgraphs/recruitment/entities/index.js';
import { uniqueId } from '../ids.js';

type StructureData = Partial<Omit<Structure, 'id'>> & { id?: number };
type ConseillerData = Partial<Omit<Conseiller, 'id' | 'structure'>> & { id?: number; structureId?: number | null };

/** A validated public structure in Marseille unless told otherwise. */
export async function createStructure(orm: MikroORM, data: StructureData = {}): Promise<Structure> {
  const em = orm.em.fork();
  const id = data.id ?? uniqueId();
  const structure = em.create(Structure, {
    name: `Structure ${id}`,
    siret: withLuhnDigit(String(21130055300000 + (id % 10000)).slice(0, 13)),
    type: 'COMMUNE',
    status: 'VALIDATION_COSELEC',
    communeCode: '13055',
    departementCode: '13',
    regionCode: '93',
    postQuota: 2,
    ...data,
    id,
  });
  await em.flush();
  return structure;
}

export async function createConseiller(orm: MikroORM, data: ConseillerData = {}): Promise<Conseiller> {
  const em = orm.em.fork();
  const { structureId, ...rest } = data;
  const id = data.id ?? uniqueId();
  const conseiller = em.create(Conseiller, {
    firstName: 'Camille',
    lastName: `Test${id}`,
    status: structureId ? 'RECRUTE' : 'CANDIDAT',
    communeCode: '13055',
    departementCode: '13',
    regionCode: '93',
    structure: structureId ?? null,
    ...rest,
    id,
  });
  await em.flush();
  return conseiller;
}
