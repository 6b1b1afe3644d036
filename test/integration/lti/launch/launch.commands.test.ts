import mongoose from 'mongoose';
import request from 'supertest';
import { launchAs, signedInAs, useTestRounds, type Agent } from '../../../support';

// The launch issue's budget: a returning learner's launch, from the LMS's login initiation to the first page,
// costs Rounds at most 3 reads and 3 writes (the sandbox LMS's own queries aside, being the LMS's).

const rounds = useTestRounds();

const reads = new Set([
  'find',
  'findOne',
  'aggregate',
  'countDocuments',
  'distinct',
  'estimatedDocumentCount',
]);
const writes = new Set([
  'insertOne',
  'insertMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndReplace',
  'deleteOne',
  'deleteMany',
  'bulkWrite',
]);

interface Command {
  name: string;
  collection: string;
}

/**
 * Records the database operations Rounds sends while `work` runs (mongoose's debug hook sees each collection
 * call, one database command each), leaving out the sandbox LMS's collections.
 */
async function commandsDuring(work: () => Promise<unknown>): Promise<Command[]> {
  const seen: Command[] = [];
  mongoose.set('debug', (collection: string, method: string) => {
    // The outbox worker polls on its own clock, whatever the launch does.
    if (!collection.startsWith('sandbox') && collection !== 'outboxjobs')
      seen.push({ name: method, collection });
  });
  try {
    await work();
  } finally {
    mongoose.set('debug', false);
  }
  return seen;
}

/**
 * A launch in its own window, as the sandbox's "Launch as" opens it (`Sec-Fetch-Dest: document`; a framed one
 * adds the cookie check), through to the first page.
 */
async function launchInOwnWindow(agent: Agent) {
  const { launch } = await signedInAs(rounds, 'nurse', { agent, ownWindow: true });
  return agent.get(launch.headers.location!).expect(200);
}

describe('the database work of one launch', () => {
  it('when a learner who launched before opens Rounds again, then login to first page is at most 3 reads and 3 writes of Rounds’ own', async () => {
    const first = await launchAs(rounds, 'nurse');
    await first.agent.get('/home').expect(200); // the person, course and frame origins are now known

    const commands = await commandsDuring(async () => {
      const home = await launchInOwnWindow(request.agent(rounds.url));
      expect(home.text).toContain('Welcome, Nora');
    });
    const described = commands.map((command) => `${command.name} ${command.collection}`);
    // The recorder saw the launch (a silent recorder would pass any budget).
    expect(described).toEqual(expect.arrayContaining([expect.stringMatching(/^insertOne sessions$/)]));
    expect(commands.filter((command) => reads.has(command.name)).length).toBeLessThanOrEqual(3);
    expect(commands.filter((command) => writes.has(command.name)).length).toBeLessThanOrEqual(3);
    // Nothing else (no ltijs collection, no second validation's nonce or token documents).
    expect(
      described.filter((line) => !reads.has(line.split(' ')[0]!) && !writes.has(line.split(' ')[0]!)),
    ).toEqual([]);
    expect(described).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/nonces|idtokens|contexttokens/)]),
    );
  });

  it('when the learner opens another Rounds link in the same browser, then the old session ends within the same budget', async () => {
    const { agent } = await launchAs(rounds, 'nurse');
    await agent.get('/home').expect(200);
    const commands = await commandsDuring(() => launchInOwnWindow(agent));
    expect(commands.filter((command) => reads.has(command.name)).length).toBeLessThanOrEqual(3);
    expect(commands.filter((command) => writes.has(command.name)).length).toBeLessThanOrEqual(3);
    expect(commands.map((command) => `${command.name} ${command.collection}`)).toContain(
      'replaceOne sessions',
    );
  });
});
