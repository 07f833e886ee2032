import { and, eq, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Change } from '../../core/change.ts';
import { organisations } from '../organisations/tables.ts';
import { mouExpired, mouExpiring } from './events.ts';
import { mouStatus, mouToday } from './service.ts';
import { mous } from './tables.ts';

// Told by the hourly chore (routes.ts): an MoU in force nearing its end, and one that has passed
// it, each judged on the BNN unit's local date. Keyed by the end date, so an MoU extended later
// is told again when its new end comes.

export const EXPIRING_WITHIN_DAYS = 30;

const expiringKey = sql`'mou.expiring.v1:' || ${mous.id}::text || ':' || ${mous.validUntil}::text`;
const expiredKey = sql`'mou.expired.v1:' || ${mous.id}::text || ':' || ${mous.validUntil}::text`;
const untold = (key: ReturnType<typeof sql>) => sql`NOT EXISTS (SELECT 1 FROM event_marks em WHERE em.key = ${key})`;

/** One query finds the MoUs due and not yet told; each is then told once. Answers how many were told. */
export async function tellMouExpiry(change: Change): Promise<number> {
  const status = mouStatus(change.now);
  const today = mouToday(change.now);
  const due = await change.tx
    .select({
      id: mous.id,
      bnnUnitId: mous.bnnUnitId,
      validUntil: mous.validUntil,
      status,
      daysLeft: sql<number>`(${mous.validUntil} - ${today})::int`,
      facilityIds: sql<string[]>`(SELECT coalesce(array_agg(mf.facility_id::text ORDER BY mf.facility_id), '{}')::text[]
        FROM mou_facilities mf WHERE mf.mou_id = ${mous.id})`,
    })
    .from(mous)
    .innerJoin(organisations, eq(organisations.id, mous.bnnUnitId))
    .where(
      and(
        isNull(mous.terminatedAt),
        isNotNull(mous.signedOn),
        or(
          and(
            sql`${status} = 'active'`,
            sql`${mous.validUntil} <= ${today} + ${EXPIRING_WITHIN_DAYS}::int`,
            untold(expiringKey),
          ),
          and(sql`${status} = 'expired'`, untold(expiredKey)),
        ),
      ),
    )
    .orderBy(mous.validUntil, mous.id);
  const item = (m: (typeof due)[number]) => ({
    place: { subject: { type: 'mou', id: m.id }, organisationIds: [m.bnnUnitId], facilityIds: m.facilityIds },
    agreement: { mou_id: m.id, bnn_unit_id: m.bnnUnitId, valid_until: m.validUntil },
  });
  // Each kind in one statement: the audit chain's lock, taken by the first event, is held briefly.
  const expiring = due
    .filter((m) => m.status === 'active')
    .map((m) => {
      const { place, agreement } = item(m);
      return {
        place: { ...place, once: `mou.expiring.v1:${m.id}:${m.validUntil}` },
        data: { ...agreement, days_left: m.daysLeft },
      };
    });
  const expired = due
    .filter((m) => m.status !== 'active')
    .map((m) => {
      const { place, agreement } = item(m);
      return { place: { ...place, once: `mou.expired.v1:${m.id}:${m.validUntil}` }, data: agreement };
    });
  return (await mouExpiring.emitEach(change, expiring)) + (await mouExpired.emitEach(change, expired));
}
