import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { contractSigned, recruitmentRequested, ruptureValidated, structureDecided } from '../../common/events/catalogue.js';
import { contractsEmployingOn, RecruitmentContract, RecruitmentStructure } from '../../common/events/copies.js';
import { contractState, envelope, feed, feedEnvelope, structureState } from '../support/events.js';
import { uniqueId } from '../support/ids.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

/**
 * The copies of recruitment's structures and contracts that conventions, training and activity keep
 * (common/events/copies.ts): built from the events alone, each applied once, and never rolled back by an older event
 * delivered late.
 */

let training: TestSubgraph;
beforeAll(async () => {
  training = await openTestSubgraph('training');
});
afterAll(async () => {
  await training?.close();
});

test('a structure event writes the whole state; an older one delivered late changes nothing', async () => {
  const structureId = uniqueId();
  const granted = envelope(structureDecided, structureId, structureState({ structureId, advisorPosts: 3 }));
  const older = {
    ...envelope(structureDecided, structureId, structureState({ structureId, advisorPosts: 1 })),
    sequence: granted.sequence! - 1,
  };
  expect(await feedEnvelope(training.orm, 'training', granted)).toEqual(['applied']);
  expect(await feedEnvelope(training.orm, 'training', older)).toEqual(['applied']);
  expect(await feedEnvelope(training.orm, 'training', granted)).toEqual(['duplicate']);
  const row = await training.orm.em.fork().findOneOrFail(RecruitmentStructure, structureId);
  expect(row).toMatchObject({ advisorPosts: 3, status: 'VALIDATION_COSELEC', departementCode: '13', sequence: granted.sequence });
});

test('contract events give the days an advisor is employed, from the signature to the rupture', async () => {
  const [miseEnRelationId, conseillerId, structureId] = [uniqueId(), uniqueId(), uniqueId()];
  const base = { miseEnRelationId, conseillerId, structureId };
  await feed(training.orm, 'training', recruitmentRequested, miseEnRelationId, contractState({ ...base, status: 'RECRUTEE' }));
  const em = () => training.orm.em.fork();
  expect(await contractsEmployingOn(em(), conseillerId, '2024-03-01')).toEqual([]);
  await feed(training.orm, 'training', contractSigned, miseEnRelationId, contractState(base));
  expect((await contractsEmployingOn(em(), conseillerId, '2024-03-01')).map((c) => c.structureId)).toEqual([structureId]);
  await feed(
    training.orm,
    'training',
    ruptureValidated,
    miseEnRelationId,
    contractState({ ...base, status: 'FINALISEE_RUPTURE', ruptureDate: '2024-06-30' }),
  );
  expect(await contractsEmployingOn(em(), conseillerId, '2024-06-30')).toHaveLength(1);
  expect(await contractsEmployingOn(em(), conseillerId, '2024-07-01')).toEqual([]);
  expect(await em().findOneOrFail(RecruitmentContract, miseEnRelationId)).toMatchObject({
    status: 'FINALISEE_RUPTURE',
    employedFrom: '2024-01-01',
    employedUntil: '2024-06-30',
  });
});

test('an event whose payload does not parse is parked, the copy untouched', async () => {
  const structureId = uniqueId();
  const bad = { ...envelope(structureDecided, structureId, structureState({ structureId })), payload: { structureId, status: 'NOPE' } };
  expect(await feedEnvelope(training.orm, 'training', bad)).toEqual(['parked']);
  expect(await training.orm.em.fork().findOne(RecruitmentStructure, structureId)).toBeNull();
});
