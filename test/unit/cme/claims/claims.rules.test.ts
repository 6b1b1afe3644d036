import {
  attestationTextFor,
  checkClaim,
  claimableCredits,
  creditOfType,
  readAmount,
} from '../../../../src/cme/claims/claims.rules';
import { assertReissuable, assertRevocable } from '../../../../src/cme/claims/corrections.policy';

const amaStatement =
  'Mercy Health designates this enduring material for a maximum of 2 AMA PRA Category 1 Credits™. Physicians should claim only the credit commensurate with the extent of their participation in the activity.';

const activity = {
  title: 'Stress First Aid for clinical teams',
  providerName: 'Mercy Health',
  format: 'enduring' as const,
  designations: [
    { creditType: 'ama-pra-1', maximum: 2, statement: amaStatement },
    {
      creditType: 'ancc',
      maximum: 2,
      statement: 'Mercy Health designates this activity for a maximum of 2 ANCC contact hours.',
    },
  ],
} as never;

const form = (amounts: Record<string, string>, attested = true) => ({ attested, amounts });

describe('what a profession may claim', () => {
  it('when a physician opens an AMA + ANCC activity, then only AMA credit is offered, up to its maximum', () => {
    expect(
      claimableCredits(activity, 'physician-md').map((credit) => [credit.creditType, credit.maximum]),
    ).toEqual([['ama-pra-1', 2]]);
  });

  it('when a nurse opens it, then ANCC contact hours, never AMA credit', () => {
    expect(claimableCredits(activity, 'nurse').map((credit) => credit.creditType)).toEqual(['ancc']);
  });

  it('when a pharmacist opens it (nothing of their own designated), then a certificate of participation for up to the AMA maximum in hours', () => {
    const [credit] = claimableCredits(activity, 'pharmacist');
    expect(credit).toMatchObject({ creditType: 'participation', maximum: 2 });
    expect(credit!.statement).toContain('certificate of participation for up to 2 hours');
    expect(creditOfType(activity, 'participation')).toMatchObject({ maximum: 2 });
  });
});

describe('amounts', () => {
  const ama = claimableCredits(activity, 'physician-do')[0]!;
  it.each([
    ['1.25', 1.25],
    ['2', 2],
    ['0.25', 0.25],
  ])('when %s is claimed, then it is accepted', (typed, amount) => {
    expect(readAmount(typed, ama)).toEqual({ amount });
  });

  it.each([
    ['1.3', /quarter-hour steps .*1\.3 is not one/],
    ['2.25', /at most 2 AMA PRA Category 1 Credit™ .*designated maximum/],
    ['0', /more than 0/],
    ['-1', /as a number/],
    ['1e1', /as a number/],
    ['Infinity', /as a number/],
    ['0x2', /as a number/],
    ['1.255', /as a number/],
  ])('when %s is claimed, then it is refused naming the rule', (typed, message) => {
    const read = readAmount(typed, ama);
    expect('error' in read && read.error).toMatch(message);
  });
});

describe('checking a whole claim', () => {
  it('when a nurse sends AMA credit (a tampered form), then it is refused naming the physicians-only rule', () => {
    const checked = checkClaim(activity, 'nurse', form({ 'ama-pra-1': '1' }));
    expect(checked).toEqual({
      errors: { form: expect.stringMatching(/physicians \(MD or DO\) only.*certificate of participation/) },
    });
  });

  it('when a credit type the activity does not designate is sent, then it is refused as not designated', () => {
    const checked = checkClaim(activity, 'pharmacist', form({ acpe: '1' }));
    expect(checked).toEqual({ errors: { form: 'This activity does not designate ACPE contact hours.' } });
  });

  it('when nothing is claimed or the attestation is not ticked, then each is named at its field', () => {
    const checked = checkClaim(activity, 'physician-md', form({}, false));
    expect(checked).toEqual({
      errors: {
        'amount-ama-pra-1': 'Enter the credit you claim for at least one credit type.',
        attest: expect.stringContaining('Tick the attestation'),
      },
    });
  });

  it('when a physician claims 1.25 and attests, then one claim of 1.25 AMA credit', () => {
    const checked = checkClaim(activity, 'physician-md', form({ 'ama-pra-1': ' 1.25 ' }));
    expect(checked).toEqual({
      claims: [{ credit: expect.objectContaining({ creditType: 'ama-pra-1' }), amount: 1.25 }],
    });
  });

  it('then the recorded attestation names the activity, the completion date and the designation statement', () => {
    const credit = claimableCredits(activity, 'physician-md')[0]!;
    expect(attestationTextFor(activity, '2026-03-14', credit)).toBe(
      `I attest that I completed the activity “Stress First Aid for clinical teams” on 14 March 2026, and that I claim only the credit commensurate with the extent of my participation in the activity. ${amaStatement}`,
    );
  });
});

describe('corrections', () => {
  it('when a certificate stands, then it may be revoked but not reissued', () => {
    expect(() => assertRevocable({ kind: 'claim', revoked: false, reissued: false })).not.toThrow();
    expect(() => assertReissuable({ kind: 'claim', revoked: false, reissued: false })).toThrow(
      /Revoke this certificate first/,
    );
  });

  it('when it was revoked, then not again, and it may be reissued once', () => {
    expect(() => assertRevocable({ kind: 'claim', revoked: true, reissued: false })).toThrow(
      /already revoked/,
    );
    expect(() => assertReissuable({ kind: 'claim', revoked: true, reissued: false })).not.toThrow();
    expect(() => assertReissuable({ kind: 'claim', revoked: true, reissued: true })).toThrow(
      /already reissued/,
    );
  });

  it('when the entry is a revocation, then it can be neither revoked nor reissued', () => {
    expect(() => assertRevocable({ kind: 'revocation', revoked: false, reissued: false })).toThrow(
      /cannot be revoked/,
    );
    expect(() => assertReissuable({ kind: 'revocation', revoked: true, reissued: false })).toThrow();
  });
});
