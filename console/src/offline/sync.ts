import { api, type Schemas } from '../api/client';
import type { ProblemBody } from '../api/problem';
import { tokenSubject } from '../auth/token';
import { itemsOf, type LocalReport, loadReport, type OutboxItem, removeItem, updateItem } from './outbox';
import { contractMatches } from './worker';

/**
 * Sends the signed-in user's queue in order, each request under its own Idempotency-Key, so a
 * resend after a lost answer is answered as the first was. A refusal stays on its item (and holds
 * back what follows in the same report); a lost connection stops the pass until the next chance.
 */

type Outcome = 'sent' | 'refused' | 'later';

let running: Promise<void> | null = null;
// The user whose queue the next pass sends: the latest asked, so a new sign-in is never served by
// a pass started for someone else.
let next: string | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
// Back-off after a failed pass: doubling from the first wait up to the last, with jitter, so that
// a prison's phones do not all come back at the same instant after an outage.
const FIRST_RETRY_MS = 3000;
const LAST_RETRY_MS = 300_000;
let failures = 0;
// The server's own word on when to come back (Retry-After), when it gave one.
let askedToWaitMs = 0;
const syncingListeners = new Set<() => void>();
let syncing = false;

export function isSyncing(): boolean {
  return syncing;
}

export function subscribeSyncing(listener: () => void): () => void {
  syncingListeners.add(listener);
  return () => syncingListeners.delete(listener);
}

function setSyncing(next: boolean) {
  syncing = next;
  for (const listener of syncingListeners) listener();
}

export function requestSync(userId: string): Promise<void> {
  next = userId;
  if (running) return running;
  running = (async () => {
    setSyncing(true);
    try {
      while (next) {
        const user = next;
        next = null;
        await acrossTabs(() => pass(user));
      }
    } finally {
      running = null;
      setSyncing(false);
    }
  })();
  return running;
}

/** Stops retrying: at sign-out, a pass in progress stops at its next item (its token is gone). */
export function stopSync() {
  next = null;
  clearTimeout(retryTimer);
}

/** Two tabs of one browser send one queue: one pass at a time across them. */
function acrossTabs(run: () => Promise<void>): Promise<void> {
  return navigator.locks ? (navigator.locks.request('bersinar-sync', run) as unknown as Promise<void>) : run();
}

function retryLater(userId: string) {
  clearTimeout(retryTimer);
  const backOff = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
  failures += 1;
  const wait = Math.max(askedToWaitMs, backOff * (0.5 + Math.random() / 2));
  askedToWaitMs = 0;
  retryTimer = setTimeout(() => {
    if (navigator.onLine) void requestSync(userId);
  }, wait);
}

async function pass(userId: string) {
  if (!navigator.onLine || tokenSubject() !== userId) return;
  if (!(await contractMatches())) return;
  const blocked = new Set<string>();
  for (const queued of await itemsOf(userId)) {
    // Signed out, or another user signed in, since the pass began: their token must not send this.
    if (tokenSubject() !== userId) return;
    if (blocked.has(queued.reportLocalId)) continue;
    if (queued.problem) {
      blocked.add(queued.reportLocalId);
      continue;
    }
    const report = await loadReport(queued.reportLocalId);
    if (!report || report.ownerId !== userId) continue;
    let outcome: Outcome;
    try {
      outcome = await send(queued, report);
    } catch {
      // No answer: offline, or the connection dropped after the request left.
      outcome = 'later';
    }
    if (outcome === 'sent') failures = 0;
    if (outcome === 'refused') blocked.add(queued.reportLocalId);
    if (outcome === 'later') {
      retryLater(userId);
      return;
    }
  }
}

interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** Sorts an answer: kept, refused (stored on the item), or to try again later. */
async function settle(item: OutboxItem, answer: Answer): Promise<Outcome> {
  const { status, ok, headers } = answer.response;
  if (ok) return 'sent';
  // The same key still in flight (another tab, or a lost answer's request not yet done) says
  // Retry-After, as throttles and outages do: not a refusal.
  if (status === 401 || status === 408 || status >= 500 || headers.has('retry-after')) {
    askedToWaitMs = Number(headers.get('retry-after') ?? 0) * 1000 || 0;
    return 'later';
  }
  await refuse(item, status, (answer.error ?? {}) as ProblemBody);
  return 'refused';
}

async function refuse(item: OutboxItem, status: number, body: ProblemBody) {
  await updateItem({ ...item, problem: { status, body } }, { onlyIfQueued: true });
}

const headers = (item: OutboxItem) => ({ 'Idempotency-Key': item.key });

/** An inmate's or officer's id from the register of the facility, by the number typed offline. */
async function lookUp(
  facilityId: string,
  type: 'inmate' | 'officer',
  number: string,
): Promise<string | null | 'later'> {
  const answer =
    type === 'inmate'
      ? await api.GET('/v1/facilities/{facilityId}/inmates', {
          params: { path: { facilityId }, query: { registration_number: number, limit: 1 } },
        })
      : await api.GET('/v1/facilities/{facilityId}/officers', {
          params: { path: { facilityId }, query: { nip: number, limit: 1 } },
        });
  if (!answer.response.ok) return answer.response.status < 500 && answer.response.status !== 401 ? null : 'later';
  return answer.data?.data[0]?.id ?? null;
}

function notFoundProblem(number: string): ProblemBody {
  return {
    title: 'Tidak ditemukan di register / Not in the register',
    detail: number,
    code: 'register_number_unknown',
  };
}

async function send(item: OutboxItem, report: LocalReport): Promise<Outcome> {
  if (item.type === 'inspection') {
    const answer = await api.POST('/v1/facilities/{facilityId}/inspections', {
      params: { path: { facilityId: report.facilityId } },
      headers: headers(item),
      body: item.body as Schemas['InspectionCreateInput'],
    });
    const outcome = await settle(item, answer);
    if (outcome === 'sent' && answer.data) {
      const serverId = answer.data.id;
      await removeItem(item, (r) => ({ ...r, serverId }));
    }
    return outcome;
  }
  const inspectionId = report.serverId;
  if (!inspectionId) return 'later';

  if (item.type === 'finding') {
    const people: { type: 'inmate' | 'officer' | 'unknown'; id?: string }[] = [];
    for (const person of item.people ?? []) {
      if (person.id || person.type === 'unknown' || !person.number) {
        people.push(person.id ? { type: person.type, id: person.id } : { type: person.type });
        continue;
      }
      const id = await lookUp(report.facilityId, person.type, person.number);
      if (id === 'later') return 'later';
      if (id === null) {
        await refuse(item, 422, notFoundProblem(person.number));
        return 'refused';
      }
      people.push({ type: person.type, id });
    }
    const answer = await api.POST('/v1/inspections/{inspectionId}/findings', {
      params: { path: { inspectionId } },
      headers: headers(item),
      body: { ...(item.body as Omit<Schemas['FindingCreateInput'], 'people'>), people },
    });
    const outcome = await settle(item, answer);
    if (outcome === 'sent' && answer.data && item.ref) {
      const [ref, id] = [item.ref, answer.data.id];
      await removeItem(item, (r) => ({ ...r, refs: { ...r.refs, [ref]: id } }));
    }
    return outcome;
  }

  if (item.type === 'evidence') {
    const findingId = item.ref ? report.refs[item.ref] : undefined;
    if (!findingId) return 'later';
    const body = item.body as { kind: 'photo' | 'seized_item'; description: string; seal_number?: string };
    let answer: Answer;
    if (item.file) {
      const form = new FormData();
      form.set('kind', body.kind);
      form.set('description', body.description);
      if (body.seal_number) form.set('seal_number', body.seal_number);
      form.set('file', item.file, item.fileName ?? 'foto.jpg');
      answer = await api.POST('/v1/inspections/{inspectionId}/findings/{findingId}/evidence', {
        params: { path: { inspectionId, findingId } },
        headers: headers(item),
        body: form as never,
        bodySerializer: (b: unknown) => b as FormData,
      });
    } else {
      answer = await api.POST('/v1/inspections/{inspectionId}/findings/{findingId}/evidence', {
        params: { path: { inspectionId, findingId } },
        headers: headers(item),
        body,
      });
    }
    const outcome = await settle(item, answer);
    if (outcome === 'sent') await removeItem(item);
    return outcome;
  }

  if (item.type === 'action') {
    const body = { ...(item.body as { description: string; due_date: string; owner_officer_id?: string }) };
    if (item.ownerNip && !body.owner_officer_id) {
      const id = await lookUp(report.facilityId, 'officer', item.ownerNip);
      if (id === 'later') return 'later';
      if (id === null) {
        await refuse(item, 422, notFoundProblem(item.ownerNip));
        return 'refused';
      }
      body.owner_officer_id = id;
    }
    const answer = await api.POST('/v1/inspections/{inspectionId}/actions', {
      params: { path: { inspectionId } },
      headers: headers(item),
      body,
    });
    const outcome = await settle(item, answer);
    if (outcome === 'sent') await removeItem(item);
    return outcome;
  }

  const answer = await api.POST('/v1/inspections/{inspectionId}/submit', {
    params: { path: { inspectionId } },
    headers: headers(item),
  });
  const outcome = await settle(item, answer);
  if (outcome === 'sent') await removeItem(item);
  return outcome;
}
