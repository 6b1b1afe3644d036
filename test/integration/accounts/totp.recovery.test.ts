import { hkdfSync } from 'node:crypto';
import request from 'supertest';
import { AccountModel } from '../../../src/accounts/account.model';
import { AccountAuditModel } from '../../../src/accounts/accountAudit.model';
import { resetTotp } from '../../../src/accounts';
import { totpCodeAt, totpStepAt } from '../../../src/accounts/totp';
import { sealBytes } from '../../../src/shared/crypto/aesGcm';
import { useTestRounds } from '../../support';
import {
  atCodeStep,
  createTestAccount,
  postCode,
  signInAccount,
  signInOverHttp,
} from '../../support/accounts';

// When the second factor cannot be checked (issue 11 review, H2): a TOTP secret that no longer opens answers a
// refusal, not a 500, and recovery codes still sign in; an operator's TOTP can be reset and is enrolled afresh.

const rounds = useTestRounds();

describe('a TOTP secret that no longer opens', () => {
  it('when the secret was sealed under the old session-secret key, then a TOTP code is refused (not a 500) and a recovery code still signs in', async () => {
    const account = await createTestAccount(rounds, { roles: ['operator'], totp: true });
    // The secret as it was sealed before: under a key derived from the session secret.
    const oldKey = Buffer.from(
      hkdfSync(
        'sha256',
        Buffer.from(rounds.config.sessionSecret, 'utf8'),
        'rounds/accounts',
        'totp secrets v1',
        32,
      ),
    );
    const sealedSecret = sealBytes(
      oldKey,
      Buffer.from(account.totpSecret!, 'utf8'),
      `totp|${account.accountId}`,
    );
    await AccountModel.updateOne({ _id: account.accountId }, { $set: { 'totp.sealedSecret': sealedSecret } });

    const agent = await atCodeStep(rounds, account);
    const code = totpCodeAt(account.totpSecret!, (totpStepAt(Date.now()) + 1) * 30_000);
    const refused = await postCode(agent, code);
    expect([400, 401]).toContain(refused.status);
    const recovered = await postCode(agent, account.recoveryCodes![0]!);
    expect(recovered.status).toBe(303);
    await agent.get('/account').expect(200);
  });
});

describe('resetting TOTP', () => {
  it('when an operator’s TOTP is reset, then its sessions end, it has no TOTP, and signing in again sends it to enrol', async () => {
    const account = await signInAccount(rounds, { roles: ['operator'], totp: true });
    await account.agent.get('/operator/tenants').expect(200);

    expect(await resetTotp(account.accountId, { by: 'cli' })).toBe(true);
    const stored = (await AccountModel.findById(account.accountId).lean())!;
    expect(stored.totp).toBeUndefined();
    expect(stored.recoveryCodes).toEqual([]);
    expect(
      await AccountAuditModel.countDocuments({ accountId: account.accountId, event: 'totp-reset' }),
    ).toBe(1);
    await account.agent.get('/operator/tenants').set('Accept', 'text/html').expect(401);

    const browser = request.agent(rounds.url);
    await signInOverHttp(browser, { ...account, totpSecret: undefined });
    await browser.get('/operator/tenants').expect(303).expect('Location', '/account/totp');
    await browser.get('/account/totp').expect(200);
  });
});
