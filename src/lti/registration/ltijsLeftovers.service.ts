import type mongoose from 'mongoose';
import type { Logger } from '../../shared/logger';

/**
 * The collections ltijs 5.9.9 kept in Rounds' database while it was Rounds' runtime (its Utils/Database.js
 * models, pluralised by mongoose). Rounds never reads them; none shares a name with a collection of Rounds'.
 */
const ltijsCollections = [
  'idtokens',
  'contexttokens',
  'platforms',
  'platformstatuses',
  'privatekeys',
  'publickeys',
  'accesstokens',
  'nonces',
  'states',
];

/**
 * Drops what ltijs left in a database from before Rounds verified launches alone. Idempotent: on a database
 * without them it finds nothing and says nothing; the one run that drops them logs which. Returns their names.
 */
export async function dropLtijsLeftovers(db: mongoose.mongo.Db, logger: Logger): Promise<string[]> {
  const present = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((collection) => collection.name)
    .filter((name) => ltijsCollections.includes(name));
  for (const name of present) await db.dropCollection(name).catch(() => undefined);
  if (present.length > 0) {
    logger.info(
      { collections: present },
      "dropped ltijs' collections, unused since Rounds checks launches itself",
    );
  }
  return present;
}
