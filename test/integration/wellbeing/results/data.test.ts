import mongoose from 'mongoose';
import { UserModel } from '../../../../src/tenancy';
import { wellbeingKeys, WellbeingResultModel, WellbeingTallyModel } from '../../../../src/wellbeing/results';
import {
  dataKeyAad,
  deriveKeyEncryptionKey,
  open,
  recordKey,
} from '../../../../src/wellbeing/results/vault.crypto';
import {
  decodeHtml,
  openForm,
  signedInAs,
  testDatabaseUri,
  useTestRounds,
  type Agent,
} from '../../../support';
import { phq2Answers, savedResult } from './takeCheck';

// The data keys in a database of their own (WELLBEING_KEYS_URI), as a production install should keep them.
const rounds = useTestRounds(() => ({ wellbeingKeysUri: testDatabaseUri('_keys') }));
let nurse: Agent;
let pharmacist: Agent;
let nurseOwner: { tenantId: mongoose.Types.ObjectId; userId: mongoose.Types.ObjectId };

async function ownerOf(subject: string) {
  const user = (await UserModel.findOne({ subject }).lean())!;
  return { tenantId: user.tenantId, userId: user._id };
}

beforeAll(async () => {
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  pharmacist = (await signedInAs(rounds, 'pharmacist')).agent;
  nurseOwner = await ownerOf('3');
  await savedResult(nurse, 'phq-2', phq2Answers(4));
  await savedResult(nurse, 'gad-2', { 'gad2-1': '1', 'gad2-2': '0' });
  await savedResult(pharmacist, 'phq-2', phq2Answers(1));
});

describe('where the keys are kept', () => {
  it('when WELLBEING_KEYS_URI names a database, then the data keys are there and none is beside the results', async () => {
    expect(await wellbeingKeys().countDocuments({})).toBe(2);
    expect(wellbeingKeys().db.name).toMatch(/_keys$/);
    expect(await mongoose.connection.db!.collection('wellbeingkeys').countDocuments({})).toBe(0);
    expect(await WellbeingResultModel.countDocuments({})).toBe(3);
  });
});

describe('a learner’s own data', () => {
  it('when the nurse downloads her data, then the JSON attachment holds both her results with questions, answers and scores', async () => {
    const download = await nurse.get('/wellbeing/data/export').expect(200);
    expect(download.headers['content-type']).toMatch(/^application\/json/);
    expect(download.headers['content-disposition']).toBe(
      'attachment; filename="rounds-self-check-results.json"',
    );
    const data = JSON.parse(download.text);
    expect(data.results).toHaveLength(2);
    expect(data.results[0]).toMatchObject({
      instrument: 'phq-2',
      total: 4,
      positiveScreen: true,
      answers: [
        { question: 'Little interest or pleasure in doing things', answer: 'Nearly every day', points: 3 },
        { question: 'Feeling down, depressed, or hopeless', answer: 'Several days', points: 1 },
      ],
    });
    expect(data.results[1]).toMatchObject({ instrument: 'gad-2', total: 1, positiveScreen: false });
  });

  it('when the raw result collection is read, then nothing about the answers is in clear', async () => {
    const raw = await WellbeingResultModel.collection.find({ userId: nurseOwner.userId }).toArray();
    expect(raw).toHaveLength(2);
    for (const record of raw) {
      expect(Object.keys(record).sort()).toEqual(['_id', 'sealed', 'tenantId', 'userId']);
      const text = JSON.stringify(record);
      for (const clear of ['phq', 'gad', 'total', 'band', 'takenAt', 'answers'])
        expect(text).not.toContain(clear);
    }
  });

  it('when the delete form is sent without ticking the confirmation, then nothing is deleted and the box says why', async () => {
    const { csrf } = await openForm(nurse, '/wellbeing/data');
    const answer = await nurse
      .post('/wellbeing/data/delete')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrf });
    expect(answer.status).toBe(400);
    expect(decodeHtml(answer.text)).toContain('<a href="#confirm-delete">Tick the box to confirm');
    expect(await WellbeingResultModel.countDocuments({ userId: nurseOwner.userId })).toBe(2);
  });

  it('when the nurse confirms the deletion, then her key, results and tallies are gone, nothing left opens, and the pharmacist keeps hers', async () => {
    const keyBefore = (await wellbeingKeys().collection.findOne(nurseOwner))!;
    const resultsBefore = await WellbeingResultModel.collection.find({ userId: nurseOwner.userId }).toArray();
    const talliesBefore = await WellbeingTallyModel.countDocuments({ tenantId: nurseOwner.tenantId });
    expect(talliesBefore).toBe(3);

    const { csrf } = await openForm(nurse, '/wellbeing/data');
    const answer = await nurse
      .post('/wellbeing/data/delete')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrf, confirm: 'yes' });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/wellbeing/data?done=deleted');
    expect(decodeHtml((await nurse.get(answer.headers.location!).expect(200)).text)).toContain(
      'Your self-check results were deleted.',
    );

    expect(await wellbeingKeys().collection.findOne(nurseOwner)).toBeNull();
    expect(await WellbeingResultModel.collection.countDocuments({ userId: nurseOwner.userId })).toBe(0);
    // The nurse's two tallies are gone; the pharmacist's one stays.
    expect(await WellbeingTallyModel.countDocuments({ tenantId: nurseOwner.tenantId })).toBe(1);
    // A backup copy of what was there opened only through her key record (checked here on the copy taken before);
    // now no key record in the raw collection opens as hers, so the copy stays sealed.
    const kek = deriveKeyEncryptionKey(rounds.config.wellbeingKey);
    const nurseKeyAad = dataKeyAad(String(nurseOwner.tenantId), String(nurseOwner.userId));
    const oldKey = open(kek, keyBefore.sealedKey, nurseKeyAad);
    const resultAadOf = (id: string) => `wellbeing-result|${nurseOwner.tenantId}|${nurseOwner.userId}|${id}`;
    for (const record of resultsBefore) {
      expect(
        JSON.parse(open(recordKey(oldKey), record.sealed, resultAadOf(String(record._id))).toString()),
      ).toHaveProperty('total');
    }
    for (const key of await wellbeingKeys().collection.find({}).toArray()) {
      expect(() => open(kek, key.sealedKey, nurseKeyAad)).toThrow();
    }
    expect(JSON.parse((await nurse.get('/wellbeing/data/export').expect(200)).text).results).toEqual([]);
    expect(
      JSON.parse((await pharmacist.get('/wellbeing/data/export').expect(200)).text).results,
    ).toHaveLength(1);
  });

  it('when the nurse takes a check after deleting, then a new key is made and only the new result is hers', async () => {
    await savedResult(nurse, 'phq-2', phq2Answers(0));
    const data = JSON.parse((await nurse.get('/wellbeing/data/export').expect(200)).text);
    expect(data.results).toHaveLength(1);
    expect(data.results[0].total).toBe(0);
  });
});
