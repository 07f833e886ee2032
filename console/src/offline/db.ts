import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { Profile } from './profile';

/**
 * The console's store on the device. It holds only what work offline needs: the signed-in user's
 * profile, and reports not yet sent. Signing out empties it but for unsent reports.
 */
export interface ConsoleDb extends DBSchema {
  profile: { key: 'current'; value: Profile };
}

let opened: Promise<IDBPDatabase<ConsoleDb>> | null = null;

export function consoleDb(): Promise<IDBPDatabase<ConsoleDb>> {
  opened ??= openDB<ConsoleDb>('bersinar-console', 1, {
    upgrade(db) {
      if (!db.objectStoreNames.contains('profile')) db.createObjectStore('profile');
    },
  });
  return opened;
}
