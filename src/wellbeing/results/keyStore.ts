import mongoose from 'mongoose';
import { WellbeingKeyModel, wellbeingKeySchema } from './vault.models';

// Where learners' sealed data keys live. By default beside their results, in Rounds' database. With
// WELLBEING_KEYS_URI they live in a database of their own, backed up on its own short schedule: then deleting a
// learner's key also makes the copies of their results in the main database's (longer-kept) backups unreadable
// once the key store's backups from before the deletion have aged out (issue 10, "Confidential results").

let keys = WellbeingKeyModel;
let connection: mongoose.Connection | undefined;

/** The model of the data keys, in whichever database holds them. */
export function wellbeingKeys(): typeof WellbeingKeyModel {
  return keys;
}

/** Opens the separate key database when `uri` names one (and builds its index); otherwise keys stay in Rounds' own. */
export async function openWellbeingKeyStore(uri: string, timeoutMs: number): Promise<void> {
  if (!uri) return;
  connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: timeoutMs }).asPromise();
  keys = connection.model('WellbeingKey', wellbeingKeySchema) as unknown as typeof WellbeingKeyModel;
  await keys.init();
}

/** Closes the separate key database, if one was opened. */
export async function closeWellbeingKeyStore(): Promise<void> {
  const open = connection;
  connection = undefined;
  keys = WellbeingKeyModel;
  await open?.close();
}
