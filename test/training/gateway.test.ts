import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createConseiller, createStructure } from '../support/factories/recruitment.js';
import { createLearner, createTrainingPath } from '../support/factories/training.js';
import { failsWith, succeeds } from '../support/graphql.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/** Training's extensions of recruitment's entities, answered through the gateway. */
let system: TestSystem;
let admin: Record<string, string>;
beforeAll(async () => {
  system = await startTestSystem();
  admin = await system.bearer({ sub: 'u-admin', role: 'admin' });
});
afterAll(async () => {
  await system?.stop();
});

describe('training through the gateway', () => {
  test('an advisor’s path, level and deadline; the structure’s figures', async () => {
    const structure = await createStructure(system.orms.recruitment, { departementCode: '29', regionCode: '53' });
    const advisor = await createConseiller(system.orms.recruitment, { structureId: structure.id });
    await createLearner(system.orms.training, {
      conseillerId: advisor.id,
      structureId: structure.id,
      departementCode: '29',
      regionCode: '53',
      entryDate: '2024-09-02',
    });
    await createTrainingPath(system.orms.training, {
      conseillerId: advisor.id,
      hours: 175,
      status: 'COMPLETED',
      startDate: '2024-09-02',
      endDate: '2024-10-31',
    });

    const data = await succeeds(
      system.query(
        `query ($id: ID!) {
          conseiller(id: $id) {
            id
            structure { id training(asOf: "2025-06-01") { advisors trained certificationOverdue } }
            trainingPath { hours status contract positioningLevel certificationDeadline }
            certificationLevel
            certificationProgress(asOf: "2025-06-01") { overdue missing }
          }
        }`,
        { id: String(advisor.id) },
        admin,
      ),
    );
    expect(data).toMatchObject({
      conseiller: {
        id: String(advisor.id),
        structure: { id: String(structure.id), training: { advisors: 1, trained: 1, certificationOverdue: 1 } },
        trainingPath: {
          hours: 175,
          status: 'COMPLETED',
          contract: 'CONTRACT_2024',
          positioningLevel: 'INTERMEDIAIRE',
          certificationDeadline: '2025-04-30',
        },
        certificationLevel: 'NONE',
        certificationProgress: { overdue: true, missing: ['CCP1', 'PIX'] },
      },
    });
  });

  test('the viewer travels to training: a préfet sees its advisor’s path, not a structure’s figures; the catalogue is public', async () => {
    const structure = await createStructure(system.orms.recruitment, { departementCode: '29', regionCode: '53' });
    const advisor = await createConseiller(system.orms.recruitment, { structureId: structure.id });
    await createLearner(system.orms.training, {
      conseillerId: advisor.id,
      structureId: structure.id,
      departementCode: '29',
      regionCode: '53',
      entryDate: '2024-09-02',
    });
    await createTrainingPath(system.orms.training, {
      conseillerId: advisor.id,
      hours: 175,
      status: 'COMPLETED',
      startDate: '2024-09-02',
      endDate: '2024-10-31',
    });
    const prefet = await system.bearer({ sub: 'u-prefet-29', role: 'prefet', departements: ['29'] });
    const response = await system.query<{ conseiller: { trainingPath: { hours: number }; structure: { id: string; training: null } } }>(
      `query ($id: ID!) { conseiller(id: $id) { trainingPath { hours } structure { id training { advisors } } } }`,
      { id: String(advisor.id) },
      prefet,
    );
    expect(response.data?.conseiller.trainingPath).toEqual({ hours: 175 });
    // A structure's figures are given to the structure itself or national viewers only (the rule for aggregates).
    expect(response.data?.conseiller.structure).toEqual({ id: String(structure.id), training: null });
    await failsWith('FORBIDDEN', response);

    const anonymous = await succeeds(system.query(`{ thematicModules { code } trainingBodies { name lots { label } } pixSkills }`));
    expect(anonymous.pixSkills).toHaveLength(3);
    // Sessions need `training:read`: a caller without credentials is told to authenticate.
    const refused = await system.query(`{ trainingSessions { totalCount } }`);
    await failsWith('UNAUTHENTICATED', refused);
    expect(refused.data?.trainingSessions ?? null).toBeNull();
  });
});
