import mongoose from 'mongoose';
import type { Actor } from '../../../../src/shared/auth/actor';
import { UserModel } from '../../../../src/tenancy';
import { saveResult, vaultFor, WellbeingTallyModel } from '../../../../src/wellbeing/results';
import { decodeHtml, signedInAs, useTestRounds, type Agent } from '../../../support';
import { phq2Answers } from './takeCheck';

const rounds = useTestRounds();
let admin: Agent;
let tenantId: string;

/** A learner of the sandbox tenant who never launched: results are seeded through the service, not clicks. */
function fakeLearner(): Actor {
  return {
    tenantId,
    userId: new mongoose.Types.ObjectId().toHexString(),
    courseId: new mongoose.Types.ObjectId().toHexString(),
    role: 'learner',
    name: 'Seeded learner',
    courseTitle: 'Seeded course',
  };
}

/** The row of a month in an instrument's table on the admin page, as text. */
function rowOf(page: string, month: string): string {
  const row = new RegExp(`<tr>\\s*<th scope="row" data-label="Month">${month}</th>[\\s\\S]*?</tr>`).exec(
    page,
  );
  if (!row) throw new Error(`no row for ${month}:\n${page}`);
  return row[0];
}

beforeAll(async () => {
  admin = (await signedInAs(rounds, 'cmeAdmin')).agent;
  tenantId = String((await UserModel.findOne({ subject: '2' }).lean())!.tenantId);
  const vault = vaultFor(rounds.config);
  // March 2024: 9 people below the PHQ-2 cut-off, 12 at or above it. April 2024: 15 below, 10 above.
  const seed = async (people: number, total: number, now: Date) => {
    for (let person = 0; person < people; person++) {
      await saveResult(vault, fakeLearner(), 'phq-2', phq2Answers(total), { now });
    }
  };
  await seed(9, 1, new Date('2024-03-10T12:00:00Z'));
  await seed(12, 4, new Date('2024-03-12T12:00:00Z'));
  await seed(15, 0, new Date('2024-04-10T12:00:00Z'));
  await seed(10, 6, new Date('2024-04-11T12:00:00Z'));
  // One person retaking in May: only their latest result that month counts, and a month of 1 shows no numbers.
  const retaker = fakeLearner();
  await saveResult(
    vault,
    retaker,
    'gad-2',
    { 'gad2-1': '3', 'gad2-2': '3' },
    { now: new Date('2024-05-02T12:00:00Z') },
  );
  await saveResult(
    vault,
    retaker,
    'gad-2',
    { 'gad2-1': '0', 'gad2-2': '0' },
    { now: new Date('2024-05-20T12:00:00Z') },
  );
});

describe('the admins’ aggregate view', () => {
  it('when a month has 9 people in one range and 12 in the other, then the 9 shows as "fewer than 10", the 12 shows, and no total gives the 9 away', async () => {
    const page = decodeHtml((await admin.get('/admin/wellbeing/aggregates').expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    const march = rowOf(page, 'March 2024');
    expect(march).toContain('<td data-label="Below the screening cut-off (0 to 2)">fewer than 10</td>');
    expect(march).toContain('<td data-label="At or above the screening cut-off (3 to 6)">12</td>');
    expect(march).not.toMatch(/>(9|21)</);
    expect(page).not.toContain('All people that month');
    expect(page).toContain('Why some numbers are not shown');
  });

  it('when every range of a month has 10 or more people, then the counts show', async () => {
    const page = decodeHtml((await admin.get('/admin/wellbeing/aggregates').expect(200)).text);
    const april = rowOf(page, 'April 2024');
    expect(april).toContain('>15</td>');
    expect(april).toContain('>10</td>');
  });

  it('when a month had nobody, then it has a row like any small month, so nobody and a few read the same', async () => {
    const page = decodeHtml((await admin.get('/admin/wellbeing/aggregates').expect(200)).text);
    const june = rowOf(page, 'June 2024');
    expect(june.match(/fewer than 10/g)).toHaveLength(2);
  });

  it('when someone takes a check in the month under way, then no row shows it until the month has ended', async () => {
    const now = new Date();
    await saveResult(vaultFor(rounds.config), fakeLearner(), 'phq-2', phq2Answers(5), { now });
    const page = decodeHtml((await admin.get('/admin/wellbeing/aggregates').expect(200)).text);
    const thisMonth = now.toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    expect(page).not.toContain(`data-label="Month">${thisMonth}<`);
    expect(page).toContain('data-label="Month">April 2024<');
  });

  it('when one person took a check twice in a month, then they are counted once, in the range of their latest result, and a month of 1 shows no numbers', async () => {
    const may = await WellbeingTallyModel.find({ tenantId, instrument: 'gad-2', month: '2024-05' }).lean();
    expect(may).toHaveLength(1);
    expect(may[0]!.band).toBe('below-3');
    const page = decodeHtml((await admin.get('/admin/wellbeing/aggregates').expect(200)).text);
    const row = rowOf(page, 'May 2024');
    expect(row.match(/fewer than 10/g)).toHaveLength(2);
    expect(row).not.toMatch(/>1</);
  });

  it('when the tallies are read raw, then they hold an anonymous token, never a learner id', async () => {
    const tallies = await WellbeingTallyModel.collection
      .find({ tenantId: new mongoose.Types.ObjectId(tenantId) })
      .toArray();
    expect(tallies.length).toBeGreaterThanOrEqual(47);
    for (const tally of tallies)
      expect(Object.keys(tally).sort()).toEqual(['_id', 'band', 'instrument', 'month', 'tenantId']);
  });
});
