import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { withLuhnDigit } from '../../common/luhn.js';
import { uniqueId } from '../support/ids.js';
import { expectNoErrors, openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

let training: TestSubgraph;
beforeAll(async () => {
  training = await openTestSubgraph('training');
});
afterAll(async () => {
  await training.close();
});

const BODY = `mutation ($input: CreateTrainingBodyInput!) { createTrainingBody(input: $input) { id name siret lots { id } } }`;
const LOT = `mutation ($input: CreateContractLotInput!) { createContractLot(input: $input) { id contract contractNumber lotNumber label holder { id name } } }`;

describe('training bodies and their contract lots', () => {
  test('a body wins lots; both are listed and validated', async () => {
    const name = `Organisme ${uniqueId()}`;
    const siret = withLuhnDigit('1234567800001');
    const body = await training.execute<{ createTrainingBody: { id: string } }>(BODY, { input: { name, siret } });
    expectNoErrors(body);
    expect(body.data).toMatchObject({ createTrainingBody: { name, siret, lots: [] } });
    const holderId = body.data!.createTrainingBody.id;

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
    const created = await training.execute<{ createContractLot: { id: string } }>(LOT, { input: lot });
    expectNoErrors(created);
    expect(created.data).toMatchObject({
      createContractLot: { contract: 'CONTRACT_2024', contractNumber, lotNumber: 2, label: 'Outre-mer', holder: { id: holderId, name } },
    });

    const listed = await training.execute<{ trainingBodies: { id: string; lots: { id: string }[] }[] }>(
      `{ trainingBodies { id lots { id } } }`,
    );
    expectNoErrors(listed);
    expect(listed.data!.trainingBodies.find((b) => b.id === holderId)).toEqual({
      id: holderId,
      lots: [{ id: created.data!.createContractLot.id }],
    });

    expect((await training.execute(BODY, { input: { name } })).errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'name' });
    expect(
      (await training.execute(BODY, { input: { name: `${name} bis`, siret: '12345678000010' } })).errors?.[0]?.extensions,
    ).toMatchObject({ field: 'siret' });
    expect((await training.execute(LOT, { input: lot })).errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'lotNumber' });
    expect((await training.execute(LOT, { input: { ...lot, lotNumber: 3, contractNumber: 'SHORT' } })).errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'contractNumber',
    });
    expect((await training.execute(LOT, { input: { ...lot, lotNumber: 3, endDate: '2023-01-01' } })).errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'endDate',
    });
    expect((await training.execute(LOT, { input: { ...lot, lotNumber: 3, holderId: '2147000000' } })).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );

    // A session under the new lot, found through the lot filter.
    const session = await training.execute(
      `mutation ($input: CreateTrainingSessionInput!) { createTrainingSession(input: $input) { id } }`,
      {
        input: {
          lotId: created.data!.createContractLot.id,
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
    );
    expectNoErrors(session);
    const byLot = await training.execute(
      `query ($lot: ID!) { trainingSessions(filter: { lotId: $lot }) { totalCount edges { node { id place trainingBody { name } } } } }`,
      { lot: created.data!.createContractLot.id },
    );
    expect(byLot.data).toEqual({
      trainingSessions: {
        totalCount: 1,
        edges: [
          {
            node: {
              id: (session.data as { createTrainingSession: { id: string } }).createTrainingSession.id,
              place: 'Pointe-à-Pitre',
              trainingBody: { name },
            },
          },
        ],
      },
    });
  });
});
