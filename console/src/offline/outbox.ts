import type { ProblemBody } from '../api/problem';
import { consoleDb } from './db';

/** What step 1 and 2 of a report hold: the body of its creation, times in the facility's zone. */
export interface ReportHeader {
  kind: 'surprise' | 'scheduled' | 'joint';
  started_at: string;
  ended_at: string;
  team: { name: string; agency: 'facility' | 'bnn' | 'police' | 'army' | 'other'; role?: string }[];
  areas: { kind: 'block' | 'cell' | 'visitor_area' | 'kitchen' | 'staff_room' | 'other'; name?: string }[];
  inmates_searched: number;
  officers_searched: number;
  summary: string;
}

/** A person named in a finding: from the register (id), or a number typed offline, looked up when sent. */
export interface PersonRef {
  type: 'inmate' | 'officer' | 'unknown';
  id?: string;
  number?: string;
  label: string;
}

export interface LocalFinding {
  localId: string;
  category: string;
  description: string;
  quantity: number;
  unit: string;
  people: PersonRef[];
  photos: number;
}

export interface LocalAction {
  localId: string;
  description: string;
  owner?: string;
  due_date: string;
}

/** A report written on this device, kept until everything it needs has reached the server. */
export interface LocalReport {
  localId: string;
  ownerId: string;
  facilityId: string;
  createdAt: string;
  step: number;
  header: ReportHeader;
  /** The creation is queued: the header is fixed from then on. */
  queued: boolean;
  submitted: boolean;
  serverId?: string;
  /** Server ids of the findings created, by their local id. */
  refs: Record<string, string>;
  findings: LocalFinding[];
  actions: LocalAction[];
}

export type OutboxType = 'inspection' | 'finding' | 'evidence' | 'action' | 'submit';

/** One request to send, under the Idempotency-Key given when it was written. */
export interface OutboxItem {
  key: string;
  seq: number;
  ownerId: string;
  reportLocalId: string;
  type: OutboxType;
  /** The local finding it creates (finding) or belongs to (evidence). */
  ref?: string;
  body: Record<string, unknown>;
  /** People to look up in the register when sent (finding), or the owner's NIP (action). */
  people?: PersonRef[];
  ownerNip?: string;
  file?: Blob;
  fileName?: string;
  label: string;
  /** The server's refusal, kept until the user fixes or discards the item. */
  problem?: { status: number; body: ProblemBody };
}

const listeners = new Set<() => void>();

/** Called whenever a report or an item changes, in this page. */
export function subscribeOutbox(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function outboxChanged() {
  for (const listener of listeners) listener();
}

let lastSeq = 0;
function nextSeq(): number {
  lastSeq = Math.max(Date.now(), lastSeq + 1);
  return lastSeq;
}

export async function saveReport(report: LocalReport): Promise<void> {
  await (await consoleDb()).put('reports', report);
  outboxChanged();
}

export async function loadReport(localId: string): Promise<LocalReport | undefined> {
  return (await consoleDb()).get('reports', localId);
}

export async function reportsOf(userId: string): Promise<LocalReport[]> {
  return (await consoleDb()).getAllFromIndex('reports', 'owner', userId);
}

export async function itemsOf(userId: string): Promise<OutboxItem[]> {
  const items = await (await consoleDb()).getAllFromIndex('outbox', 'owner', userId);
  return items.sort((a, b) => a.seq - b.seq);
}

type Patch = (report: LocalReport) => LocalReport;

/** Changes a stored report in place, reading it first: the sync and the editor both write to it. */
export async function mutateReport(localId: string, patch: Patch): Promise<LocalReport | undefined> {
  const db = await consoleDb();
  const tx = db.transaction('reports', 'readwrite');
  const current = await tx.store.get(localId);
  const next = current ? patch(current) : undefined;
  if (next) await tx.store.put(next);
  await tx.done;
  outboxChanged();
  return next;
}

/** Queues requests; each Idempotency-Key is made now, so every resend is the same request. */
export async function enqueue(
  reportLocalId: string,
  items: Omit<OutboxItem, 'key' | 'seq' | 'reportLocalId'>[],
  patch?: Patch,
  /** Queues nothing when the report already shows it (a double tap queues once). */
  unless?: (report: LocalReport) => boolean,
): Promise<void> {
  const db = await consoleDb();
  const tx = db.transaction(['outbox', 'reports'], 'readwrite');
  const before = await tx.objectStore('reports').get(reportLocalId);
  if (before && unless?.(before)) {
    await tx.done;
    return;
  }
  for (const item of items) {
    await tx.objectStore('outbox').put({ ...item, reportLocalId, key: crypto.randomUUID(), seq: nextSeq() });
  }
  if (patch) {
    const current = await tx.objectStore('reports').get(reportLocalId);
    if (current) await tx.objectStore('reports').put(patch(current));
  }
  await tx.done;
  outboxChanged();
}

/** Stores an item's new state; `onlyIfQueued` leaves alone an item sent meanwhile (another tab). */
export async function updateItem(item: OutboxItem, options: { onlyIfQueued?: boolean } = {}): Promise<void> {
  const db = await consoleDb();
  const tx = db.transaction('outbox', 'readwrite');
  if (!options.onlyIfQueued || (await tx.store.get(item.key))) await tx.store.put(item);
  await tx.done;
  outboxChanged();
}

/** Removes a sent item; the report goes too once submitted and nothing of it is left to send. */
export async function removeItem(item: OutboxItem, patch?: Patch): Promise<void> {
  const db = await consoleDb();
  const tx = db.transaction(['outbox', 'reports'], 'readwrite');
  await tx.objectStore('outbox').delete(item.key);
  const current = await tx.objectStore('reports').get(item.reportLocalId);
  if (current) {
    const report = patch ? patch(current) : current;
    const left = await tx.objectStore('outbox').index('report').count(report.localId);
    if (report.submitted && left === 0) await tx.objectStore('reports').delete(report.localId);
    else await tx.objectStore('reports').put(report);
  }
  await tx.done;
  outboxChanged();
}

/**
 * Changes a refused item as the user fixed it. The request is another one now: it takes a new
 * Idempotency-Key (the old key stays bound to the refused body) and keeps its place in the queue.
 */
export async function reviseItem(
  item: OutboxItem,
  changes: Partial<Pick<OutboxItem, 'body' | 'people' | 'label'>>,
  patch?: Patch,
): Promise<void> {
  const db = await consoleDb();
  const tx = db.transaction(['outbox', 'reports'], 'readwrite');
  await tx.objectStore('outbox').delete(item.key);
  const { problem: _refused, ...rest } = item;
  await tx.objectStore('outbox').put({ ...rest, ...changes, key: crypto.randomUUID() });
  if (patch) {
    const current = await tx.objectStore('reports').get(item.reportLocalId);
    if (current) await tx.objectStore('reports').put(patch(current));
  }
  await tx.done;
  outboxChanged();
}

/** Discards an item the server refused, with what depends on it (a finding's photos; a whole report). */
export async function discardItem(item: OutboxItem): Promise<void> {
  const db = await consoleDb();
  const tx = db.transaction(['outbox', 'reports'], 'readwrite');
  const outbox = tx.objectStore('outbox');
  const reports = tx.objectStore('reports');
  const siblings = await outbox.index('report').getAll(item.reportLocalId);
  const report = await reports.get(item.reportLocalId);
  if (item.type === 'inspection') {
    for (const s of siblings) await outbox.delete(s.key);
    await reports.delete(item.reportLocalId);
  } else {
    const gone = siblings.filter((s) => s.key === item.key || (item.type === 'finding' && s.ref === item.ref));
    for (const s of gone) await outbox.delete(s.key);
    if (report) {
      if (item.type === 'finding') report.findings = report.findings.filter((f) => f.localId !== item.ref);
      if (item.type === 'action') report.actions = report.actions.filter((a) => a.localId !== item.ref);
      if (item.type === 'submit') report.submitted = false;
      const left = siblings.length - gone.length;
      if (report.submitted && left === 0) await reports.delete(report.localId);
      else await reports.put(report);
    }
  }
  await tx.done;
  outboxChanged();
}

/** Forgets a report written here that has nothing queued yet. */
export async function dropReport(localId: string): Promise<void> {
  await (await consoleDb()).delete('reports', localId);
  outboxChanged();
}

/**
 * At sign-out: forgets the user's reports the server holds whole (nothing left to send), with the
 * names and numbers they carry. Reports with anything unsent stay.
 */
export async function forgetSent(userId: string): Promise<void> {
  const db = await consoleDb();
  const tx = db.transaction(['outbox', 'reports'], 'readwrite');
  const reports = tx.objectStore('reports');
  for (const report of await reports.index('owner').getAll(userId)) {
    const left = await tx.objectStore('outbox').index('report').count(report.localId);
    if (report.serverId && left === 0) await reports.delete(report.localId);
  }
  await tx.done;
  outboxChanged();
}

/** Reports written on this device and not yet accepted by the server, for the user given. */
export async function countUnsent(userId: string): Promise<number> {
  try {
    const [reports, items] = await Promise.all([reportsOf(userId), itemsOf(userId)]);
    const waiting = new Set(items.map((i) => i.reportLocalId));
    return reports.filter((r) => waiting.has(r.localId) || !r.serverId).length;
  } catch {
    return 0;
  }
}
