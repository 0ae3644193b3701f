import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { withLuhnDigit } from '../../common/luhn.js';
import { failsWith, succeeds, type Data } from '../support/graphql.js';
import { uniqueId } from '../support/ids.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

let training: TestSubgraph;
beforeAll(async () => {
  training = await openTestSubgraph('training');
});
afterAll(async () => {
  await training.close();
});

const BODY = `mutation ($input: CreateTrainingBodyInput!) { createTrainingBody(input: $input) { trainingBody { id name siret lots { id } } } }`;
const LOT = `mutation ($input: CreateContractLotInput!) { createContractLot(input: $input) { contractLot { id contract contractNumber lotNumber label holder { id name } } } }`;

describe('training bodies and their contract lots', () => {
  test('a body wins lots; both are listed and validated', async () => {
    const name = `Organisme ${uniqueId()}`;
    const siret = withLuhnDigit('1234567800001');
    const body = await succeeds(training.execute(BODY, { input: { name, siret } }));
    expect(body).toMatchObject({ createTrainingBody: { trainingBody: { name, siret, lots: [] } } });
    const holderId = body.createTrainingBody.trainingBody.id;

    const contractNumber = `L${String(uniqueId()).slice(-7)}`;
    const lot = {
      holderId,
      contract: 'CONTRACT_2024',
      contractNumber,
      lotNumber: 2,
      label: 'Outre-mer',
      startDate: '2024-01-01',
      endDate: '2027-12-31',
    };
    const created = await succeeds(training.execute(LOT, { input: lot }));
    expect(created).toMatchObject({
      createContractLot: {
        contractLot: { contract: 'CONTRACT_2024', contractNumber, lotNumber: 2, label: 'Outre-mer', holder: { id: holderId, name } },
      },
    });
    const lotId = created.createContractLot.contractLot.id;

    const listed = await succeeds(training.execute(`{ trainingBodies { id lots { id } } }`));
    expect(listed.trainingBodies.find((b: Data) => b.id === holderId)).toEqual({ id: holderId, lots: [{ id: lotId }] });

    expect(await failsWith('CONFLICT', training.execute(BODY, { input: { name } }))).toMatchObject({ field: 'name' });
    expect(
      await failsWith('BAD_USER_INPUT', training.execute(BODY, { input: { name: `${name} bis`, siret: '12345678000010' } })),
    ).toMatchObject({
      field: 'siret',
    });
    expect(await failsWith('CONFLICT', training.execute(LOT, { input: lot }))).toMatchObject({ field: 'lotNumber' });
    expect(
      await failsWith('BAD_USER_INPUT', training.execute(LOT, { input: { ...lot, lotNumber: 3, contractNumber: 'SHORT' } })),
    ).toMatchObject({
      field: 'contractNumber',
    });
    expect(
      await failsWith('BAD_USER_INPUT', training.execute(LOT, { input: { ...lot, lotNumber: 3, endDate: '2023-01-01' } })),
    ).toMatchObject({
      field: 'endDate',
    });
    await failsWith('NOT_FOUND', training.execute(LOT, { input: { ...lot, lotNumber: 3, holderId: '2147000000' } }));

    // A session under the new lot, found through the lot filter.
    const session = await succeeds(
      training.execute(
        `mutation ($input: CreateTrainingSessionInput!) { createTrainingSession(input: $input) { trainingSession { id } } }`,
        {
          input: {
            lotId,
            place: 'Pointe-à-Pitre',
            departementCode: '971',
            startDate: '2025-02-03',
            endDate: '2025-02-14',
            hours: 70,
            rhythm: 'CONTINUOUS',
            modality: 'IN_PERSON',
            capacity: 10,
          },
        },
      ),
    );
    const byLot = await succeeds(
      training.execute(
        `query ($lot: ID!) { trainingSessions(filter: { lotId: $lot }) { totalCount edges { node { id place trainingBody { name } } } } }`,
        { lot: lotId },
      ),
    );
    expect(byLot).toEqual({
      trainingSessions: {
        totalCount: 1,
        edges: [{ node: { id: session.createTrainingSession.trainingSession.id, place: 'Pointe-à-Pitre', trainingBody: { name } } }],
      },
    });
  });
});
