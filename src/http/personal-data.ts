import type { FastifyRequest } from 'fastify';
import { recordReads } from '../core/change.ts';
import { compactIds } from '../core/compact-ids.ts';
import type { Db } from '../core/executor.ts';
import type { ReadRecord } from '../core/named-read.ts';
import { personalColumns } from '../db/data-classes.ts';
import { hasScope, type Principal } from './principal.ts';
import { actorOf } from './write.ts';

export const PERSONAL_DATA_SCOPE = 'personal_data';

/**
 * The one place that decides whether a caller sees who a person is. Without the personal_data
 * scope the personal columns of the table (src/db/data-classes.ts) answer null; the pseudonymous
 * id stays. Every module that shows a person passes its answer through here.
 */
export function presentPerson<T extends Record<string, unknown>>(principal: Principal, table: string, dto: T): T {
  if (hasScope(principal, PERSONAL_DATA_SCOPE)) return dto;
  const hidden = { ...dto } as Record<string, unknown>;
  for (const column of personalColumns(table)) if (column in hidden) hidden[column] = null;
  return hidden as T;
}

export function seesPersonalData(principal: Principal): boolean {
  return hasScope(principal, PERSONAL_DATA_SCOPE);
}

/**
 * The record a list of named people leaves, written in the statement that reads them
 * (core/named-read.ts); undefined when that statement writes none: a caller without personal_data
 * saw no names, and an export is audited once at its end (then auditPersonalRead tallies the page).
 */
export function readRecordOf(request: FastifyRequest, entityType: string): ReadRecord | undefined {
  const principal = request.principal;
  if (!principal || !seesPersonalData(principal) || request.csvExport) return undefined;
  return { actor: actorOf(request), action: `${entityType}.viewed`, entityType, url: request.url };
}

/**
 * Reads of named people are audited: one event per facility whose people the answer showed.
 * Callers without personal_data saw no names, so their reads are not.
 */
export async function auditPersonalRead(
  db: Db,
  request: FastifyRequest,
  entityType: string,
  people: { id: string; facility_id: string }[],
): Promise<void> {
  const principal = request.principal;
  if (!principal || !seesPersonalData(principal) || people.length === 0) return;
  // An export is audited once, with its filter and row count (http/csv-export.ts).
  if (request.csvExport) {
    for (const p of people)
      request.csvExport.named.set(p.facility_id, (request.csvExport.named.get(p.facility_id) ?? 0) + 1);
    return;
  }
  const byFacility = new Map<string, string[]>();
  for (const p of people) byFacility.set(p.facility_id, [...(byFacility.get(p.facility_id) ?? []), p.id]);
  await recordReads(
    db,
    actorOf(request),
    [...byFacility].map(([facilityId, ids]) => ({
      action: `${entityType}.viewed`,
      entityType,
      entityId: ids.length === 1 ? (ids[0] as string) : null,
      facilityId,
      after: { ...compactIds(ids), url: request.url },
    })),
  );
}
