import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { LocalReport, OutboxItem } from './outbox';
import type { Profile } from './profile';

/**
 * The console's store on the device. It holds only what work offline needs: the signed-in user's
 * profile, and reports not yet sent. Signing out empties it but for unsent reports.
 *
 * reports: each report being written here, as its screens need it (no copy of what the server holds
 * once sent). outbox: the requests still to send, in order, each under its Idempotency-Key, photos
 * as Blobs; an item leaves the store when the server has accepted it.
 */
export interface ConsoleDb extends DBSchema {
  profile: { key: 'current'; value: Profile };
  reports: { key: string; value: LocalReport; indexes: { owner: string } };
  outbox: { key: string; value: OutboxItem; indexes: { owner: string; report: string } };
}

let opened: Promise<IDBPDatabase<ConsoleDb>> | null = null;

export function consoleDb(): Promise<IDBPDatabase<ConsoleDb>> {
  opened ??= openDB<ConsoleDb>('bersinar-console', 2, {
    upgrade(db) {
      if (!db.objectStoreNames.contains('profile')) db.createObjectStore('profile');
      if (!db.objectStoreNames.contains('reports')) {
        db.createObjectStore('reports', { keyPath: 'localId' }).createIndex('owner', 'ownerId');
      }
      if (!db.objectStoreNames.contains('outbox')) {
        const outbox = db.createObjectStore('outbox', { keyPath: 'key' });
        outbox.createIndex('owner', 'ownerId');
        outbox.createIndex('report', 'reportLocalId');
      }
    },
    // A newer build in another tab needs the store upgraded: let go, and open afresh next time.
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      opened = null;
    },
  });
  return opened;
}
