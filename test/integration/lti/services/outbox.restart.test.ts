import mongoose from 'mongoose';
import { submitGrade } from '../../../../src/lti/services/grades.service';
import { OutboxJobModel } from '../../../../src/lti/services/outbox.model';
import type { Rounds } from '../../../../src/runtime';
import {
  drainOutbox,
  gradeSubmission,
  jobReaches,
  outboxJob,
  sandboxCourseIn,
  sandboxScores,
  signedInAs,
  startTestRounds,
  testDatabaseUri,
  waitFor,
} from '../../../support';

// The outbox's promise, end to end: grades given while the LMS is down survive a Rounds restart and arrive in
// the LMS gradebook exactly once when it is back.
let rounds: Rounds | undefined;

afterAll(async () => {
  await rounds?.close();
  await mongoose.disconnect();
});

/**
 * A second Rounds as a restarted process would be: fresh copies of every module (Rounds' caches and outbox
 * worker start empty), on the same database and port.
 */
function restartedRoundsModule(): typeof import('../../../support/rounds') {
  let loaded: typeof import('../../../support/rounds') | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('../../../support/rounds');
  });
  return loaded!;
}

describe('the outbox across an LMS outage and a Rounds restart', () => {
  it('when grades are given while the LMS grade service is down and Rounds restarts, then each arrives exactly once after it is back', async () => {
    rounds = await startTestRounds();
    const { port, url } = { port: rounds.config.port, url: rounds.url };
    for (const person of ['nurse', 'physician', 'pharmacist'] as const) await signedInAs(rounds, person);
    const course = await sandboxCourseIn(rounds);
    rounds.sandbox!.setAgsAvailable(false);

    const learners = { '3': 9, '4': 7, '5': 10 } as const;
    const jobIds: string[] = [];
    for (const [subject, scoreGiven] of Object.entries(learners)) {
      const grade = await gradeSubmission(course, subject, { scoreGiven, attemptId: `outage:${subject}` });
      const { jobId } = await submitGrade(grade);
      // A double click, or a handler retried by its caller: the same attempt again.
      expect(await submitGrade(grade)).toEqual({ jobId, created: false });
      jobIds.push(jobId);
    }
    // Every grade has met the outage at least once and waits for its next attempt.
    for (const jobId of jobIds) {
      await waitFor(`job ${jobId} to fail against the outage`, async () => {
        const job = await outboxJob(jobId);
        return job.attempts >= 1 && job.lastError?.includes('503') && job.status !== 'sent';
      });
    }
    const attemptsBeforeRestart = await Promise.all(jobIds.map(async (id) => (await outboxJob(id)).attempts));

    await rounds.close();
    rounds = undefined;
    rounds = await restartedRoundsModule().startTestRounds({ port, publicUrl: url });
    // The LMS is still down: the sandbox is a fresh object in the new process, so switch it off again at once
    // (before any of the new worker's requests can reach it: they all wait on I/O, this line does not).
    rounds.sandbox!.setAgsAvailable(false);
    expect(rounds.url).toBe(url);
    // This test reads jobs and scores through its own connection (the first Rounds closed the shared one).
    await mongoose.connect(testDatabaseUri());

    // The new Rounds picks the same jobs up and keeps trying.
    for (const [index, jobId] of jobIds.entries()) {
      await waitFor(`job ${jobId} to be tried by the restarted Rounds`, async () => {
        return (await outboxJob(jobId)).attempts > attemptsBeforeRestart[index]!;
      });
    }
    expect(await sandboxScores(rounds)).toHaveLength(0);

    rounds.sandbox!.setAgsAvailable(true);
    for (const jobId of jobIds) await jobReaches(jobId, 'sent');
    // Whatever else is due (a duplicate would be) is sent before counting.
    await drainOutbox(rounds);
    const scores = await sandboxScores(rounds);
    expect(scores.map((score) => [score.userId, score.scoreGiven]).sort()).toEqual([
      ['3', 9],
      ['4', 7],
      ['5', 10],
    ]);
    expect(await OutboxJobModel.countDocuments({ idempotencyKey: /^grade:outage:/ })).toBe(3);
  });
});
