import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { demoWorld } from '../../common/demo/world.js';
import { Conseiller, Structure } from '../entities/index.js';

/** Structures and people of the shared demo world (subgraphs/common/demo/world.ts). */
export class DemoSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const world = demoWorld();
    await em.transactional((tx) => {
      for (const s of world.structures) {
        tx.create(Structure, {
          id: s.id,
          name: s.name,
          siret: s.siret,
          type: s.type,
          status: s.status,
          communeCode: s.commune.code,
          departementCode: s.commune.departement,
          regionCode: s.commune.region,
          postQuota: s.postQuota,
        });
      }
      for (const person of world.people) {
        tx.create(Conseiller, {
          id: person.id,
          firstName: person.firstName,
          lastName: person.lastName,
          status: person.status,
          communeCode: person.commune.code,
          departementCode: person.commune.departement,
          regionCode: person.commune.region,
          structure: person.status === 'RECRUTE' ? person.structureId : null,
        });
      }
    });
  }
}
