import mongoose from 'mongoose';
import { CmeProfileModel, CmeProfileRevisionModel } from '../../../../src/cme/core';
import { profileOf } from '../../../../src/cme/profile';
import {
  openForm,
  sandboxCourseIn,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';

const rounds = useTestRounds();
const profilePath = '/cme/profile';
let course: SandboxCourse;
const agents: Partial<Record<'physician' | 'nurse' | 'pharmacist', Agent>> = {};

const physicianForm = {
  profession: 'physician-md',
  firstName: 'Priya',
  lastName: 'Raman',
  npi: '1234567893',
  licenseNumber: '036.123456',
  licenseState: 'IL',
  certifyingBoard: 'American Board of Internal Medicine',
  boardId: '123456',
  birthMonth: '02',
  birthDay: '29',
  nabpEprofileId: '',
  consentPars: 'yes',
};

beforeAll(async () => {
  for (const person of ['physician', 'nurse', 'pharmacist'] as const)
    agents[person] = (await signedInAs(rounds, person)).agent;
  course = await sandboxCourseIn(rounds);
});

async function save(agent: Agent, fields: Record<string, string>, csrf?: string) {
  const token = csrf ?? (await openForm(agent, profilePath)).csrf;
  const response = await agent
    .post(profilePath)
    .type('form')
    .set('Accept', 'text/html')
    .send({ _csrf: token, ...fields });
  expect(response.status).toBe(303);
}

const revisionsOf = (userId: string) => CmeProfileRevisionModel.find({ userId }).sort({ revision: 1 }).lean();

describe('every save of a reporting profile is kept as a revision', () => {
  it('when a physician saves twice, then two revisions in order hold each state, and the profile names the newest', async () => {
    const agent = agents.physician!;
    const userId = await course.userId('4');
    await save(agent, physicianForm);
    await save(agent, { ...physicianForm, licenseNumber: '036.999999', consentPars: '' });

    const revisions = await revisionsOf(userId);
    expect(revisions.map((row) => [row.revision, row.licenseNumber, row.consents?.pars?.given])).toEqual([
      [1, '036.123456', true],
      [2, '036.999999', false],
    ]);
    expect(revisions[0]!.savedAt.getTime()).toBeLessThanOrEqual(revisions[1]!.savedAt.getTime());
    expect(revisions[1]).toMatchObject({
      tenantId: expect.anything(),
      npi: '1234567893',
      birthMonthDay: '0229',
    });
    const profile = await profileOf(course.tenantId, userId);
    expect(profile).toMatchObject({ revision: 2, licenseNumber: '036.999999' });
    expect(profile!.revisedAt!.getTime()).toBe(revisions[1]!.savedAt.getTime());
  });

  it('when a profile made before revisions existed is saved, then its old state is revision 1, from when it was saved', async () => {
    const agent = agents.nurse!;
    const userId = await course.userId('3');
    const madeAt = new Date('2025-11-02T15:00:00Z');
    await CmeProfileModel.collection.insertOne({
      tenantId: new mongoose.Types.ObjectId(course.tenantId),
      userId: new mongoose.Types.ObjectId(userId),
      profession: 'nurse',
      firstName: 'Nora',
      lastName: 'Okafor',
      licenseNumber: 'RN-100',
      licenseState: 'FL',
      consents: { ceBroker: { given: true, at: madeAt } },
      createdAt: madeAt,
      updatedAt: madeAt,
    });

    await save(agent, {
      profession: 'nurse',
      firstName: 'Nora',
      lastName: 'Okafor-Smith',
      licenseNumber: 'RN-200',
      licenseState: 'FL',
      consentCeBroker: 'yes',
    });

    const revisions = await revisionsOf(userId);
    expect(revisions).toHaveLength(2);
    expect(revisions[0]).toMatchObject({ revision: 1, lastName: 'Okafor', licenseNumber: 'RN-100', npi: '' });
    expect(revisions[0]!.savedAt).toEqual(madeAt);
    expect(revisions[0]!.consents?.ceBroker).toEqual({ given: true, at: madeAt });
    expect(revisions[1]).toMatchObject({ revision: 2, lastName: 'Okafor-Smith', licenseNumber: 'RN-200' });
    // The consent did not change, so it keeps the time it was given.
    expect(revisions[1]!.consents?.ceBroker).toEqual({ given: true, at: madeAt });
    expect(await profileOf(course.tenantId, userId)).toMatchObject({ revision: 2, lastName: 'Okafor-Smith' });
  });

  it('when two saves arrive at once, then both are kept under different revisions and the profile holds the newest', async () => {
    const agent = agents.pharmacist!;
    const userId = await course.userId('5');
    const pharmacist = {
      profession: 'pharmacist',
      firstName: 'Marcus',
      lastName: 'Lee',
      birthMonth: '07',
      birthDay: '14',
      consentCpeMonitor: 'yes',
    };
    const { csrf } = await openForm(agent, profilePath);
    await Promise.all([
      save(agent, { ...pharmacist, nabpEprofileId: '1111111' }, csrf),
      save(agent, { ...pharmacist, nabpEprofileId: '2222222' }, csrf),
    ]);

    const revisions = await revisionsOf(userId);
    expect(revisions.map((row) => row.revision)).toEqual([1, 2]);
    expect(revisions.map((row) => row.nabpEprofileId).sort()).toEqual(['1111111', '2222222']);
    const profile = await profileOf(course.tenantId, userId);
    expect(profile).toMatchObject({ revision: 2, nabpEprofileId: revisions[1]!.nabpEprofileId });
  });
});
