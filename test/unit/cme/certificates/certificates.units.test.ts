import mongoose from 'mongoose';
import { assertCanOpenCertificate } from '../../../../src/cme/certificates/certificate.policy';
import { creditsChart } from '../../../../src/cme/certificates/credits.chart';
import {
  calendarDateText,
  certificatesFromLedger,
  creditsText,
  instantText,
  localDateOf,
  totalsByCreditType,
  type LedgerRecord,
} from '../../../../src/cme/certificates/ledger.reading';
import { csvField } from '../../../../src/cme/core';
import { transcriptRange } from '../../../../src/cme/certificates/transcript.service';

const id = () => new mongoose.Types.ObjectId();

function entry(overrides: Partial<LedgerRecord>): LedgerRecord {
  return {
    _id: id(),
    kind: 'claim',
    number: `N-${Math.random()}`,
    activityKey: 'sfa',
    activityId: id(),
    activityVersion: 1,
    creditType: 'ama-pra-1',
    amount: 1.25,
    completionDate: '2026-03-05',
    recordedAt: new Date('2026-03-06T05:30:00Z'),
    learnerName: 'Dr. Priya Raman',
    revokesEntryId: undefined,
    reissueOfEntryId: undefined,
    ...overrides,
  } as LedgerRecord;
}

describe('reading the ledger', () => {
  it('when a claim is revoked and reissued, then the claim is marked revoked, the reissue names it, and totals count only the reissue', () => {
    const claim = entry({ amount: 2 });
    const revocation = entry({
      kind: 'revocation',
      revokesEntryId: claim._id,
      recordedAt: new Date('2026-04-12T15:00:00Z'),
    });
    const reissue = entry({ kind: 'reissue', amount: 1.5, reissueOfEntryId: claim._id });
    const ancc = entry({ creditType: 'ancc', amount: 0.75, completionDate: '2026-01-02' });
    const rows = certificatesFromLedger([claim, revocation, reissue, ancc]);
    expect(rows.map((row) => row.number)).toEqual([ancc.number, claim.number, reissue.number]);
    expect(rows[1]).toMatchObject({ revoked: true, revokedAt: new Date('2026-04-12T15:00:00Z') });
    expect(rows[2]).toMatchObject({ revoked: false, reissueOfNumber: claim.number });
    expect(totalsByCreditType(rows).map((total) => total.text)).toEqual([
      '1.50 AMA PRA Category 1 Credits™',
      '0.75 ANCC contact hours',
    ]);
  });

  it('when amounts are printed, then quarter steps keep two decimals and one credit is singular', () => {
    expect(creditsText(1, 'ama-pra-1')).toBe('1.00 AMA PRA Category 1 Credit™');
    expect(creditsText(2.5, 'participation')).toBe('2.50 hours of participation');
    expect(creditsText(0.25, 'acpe')).toBe('0.25 ACPE contact hours');
  });

  it('when dates are shown, then a completion date is never shifted and instants are read in the tenant zone, zone named', () => {
    expect(calendarDateText('2026-03-05')).toBe('March 5, 2026');
    const lateEvening = new Date('2026-03-06T05:30:00Z');
    expect(localDateOf(lateEvening, 'America/Chicago')).toBe('2026-03-05');
    expect(instantText(lateEvening, 'America/Chicago')).toBe('March 5, 2026, 11:30 PM CST');
  });
});

describe('the transcript', () => {
  it('when no range is asked for, then it covers this calendar year in the tenant zone up to today', () => {
    const newYearsEveInChicago = new Date('2027-01-01T03:00:00Z');
    expect(transcriptRange({ from: '', to: '' }, 'America/Chicago', newYearsEveInChicago)).toEqual({
      from: '2026-01-01',
      to: '2026-12-31',
    });
  });

  it('when a CSV field could run as a spreadsheet formula or holds a comma or quote, then it is defused and quoted', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('Burnout, part 2')).toBe('"Burnout, part 2"');
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(1.25)).toBe('1.25');
  });
});

describe('the credits chart', () => {
  it('when there are totals, then bars share one scale and the description says every number', () => {
    const chart = creditsChart(
      [
        {
          creditType: 'ama-pra-1',
          label: 'AMA PRA Category 1 Credit™',
          total: 4,
          text: '4.00 AMA PRA Category 1 Credits™',
        },
        { creditType: 'ipce', label: 'IPCE credit', total: 1, text: '1.00 IPCE credit' },
      ],
      2026,
    );
    expect(chart.bars[0]!.barWidth).toBeCloseTo(chart.bars[1]!.barWidth * 4, 0);
    expect(chart.description).toBe(
      '2 credit types: 4.00 AMA PRA Category 1 Credits™; 1.00 IPCE credit. Revoked certificates are not counted.',
    );
  });
});

describe('who may open a certificate', () => {
  const tenantId = id().toHexString();
  const userId = id().toHexString();
  const certificate = { tenantId, userId, kind: 'claim' };

  it('when its learner or a CME admin of its tenant asks, then it opens; anyone else, another tenant or a revocation is 404', () => {
    expect(() => assertCanOpenCertificate({ kind: 'learner', tenantId, userId }, certificate)).not.toThrow();
    expect(() => assertCanOpenCertificate({ kind: 'cme-admin', tenantId }, certificate)).not.toThrow();
    const refusals = [
      () => assertCanOpenCertificate({ kind: 'learner', tenantId, userId: id().toHexString() }, certificate),
      () => assertCanOpenCertificate({ kind: 'cme-admin', tenantId: id().toHexString() }, certificate),
      () => assertCanOpenCertificate({ kind: 'cme-admin', tenantId }, { ...certificate, kind: 'revocation' }),
    ];
    for (const refusal of refusals) expect(refusal).toThrow(expect.objectContaining({ status: 404 }));
  });
});
