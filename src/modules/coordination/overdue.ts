import { sql } from 'drizzle-orm';
import type { Change } from '../../core/change.ts';
import { queryRows } from '../../core/executor.ts';
import { overdueSql } from './dto.ts';
import { actionItemOverdue, itemPlace } from './events.ts';
import type { ActionStatusValue } from './schemas.ts';

// The hourly chore that tells of action items gone past their due date, once per item and due
// date: an item given a later date and missing it again is told again.

type Due = {
  id: string;
  meeting_id: string;
  owner_id: string;
  due_on: string;
  status: ActionStatusValue;
  organiser_id: string;
  participant_ids: string[];
  province_code: string;
  regency: string | null;
};

/** Open items due before their owner's today and not yet told of: one query, then one event each. */
export async function tellOverdueItems(change: Change): Promise<number> {
  const overdue = overdueSql(change.now, { status: sql`i.status`, dueOn: sql`i.due_on` }, sql`o.timezone`);
  const prefix = `${actionItemOverdue.type}:`;
  const due = await queryRows<Due>(
    change.tx,
    sql`SELECT i.id, i.meeting_id, i.owner_id, to_char(i.due_on, 'YYYY-MM-DD') AS due_on, i.status,
               m.organiser_id, m.province_code, m.regency,
               (SELECT coalesce(array_agg(mp.organisation_id::text), '{}')::text[]
                  FROM coordination_meeting_participants mp WHERE mp.meeting_id = m.id) AS participant_ids
          FROM action_items i
          JOIN coordination_meetings m ON m.id = i.meeting_id
          JOIN organisations o ON o.id = i.owner_id
         WHERE ${overdue}
           AND NOT EXISTS (SELECT 1 FROM event_marks em WHERE em.key = ${prefix} || i.id::text || ':' || to_char(i.due_on, 'YYYY-MM-DD'))
         ORDER BY i.due_on, i.id`,
  );
  // In one statement: the audit chain's lock, taken by the first event, is held briefly.
  return actionItemOverdue.emitEach(
    change,
    due.map((row) => ({
      place: {
        ...itemPlace({
          id: row.id,
          ownerId: row.owner_id,
          organiserId: row.organiser_id,
          participantIds: row.participant_ids,
          provinceCode: row.province_code,
          regency: row.regency,
        }),
        once: `${prefix}${row.id}:${row.due_on}`,
      },
      data: {
        action_item_id: row.id,
        meeting_id: row.meeting_id,
        owner_id: row.owner_id,
        due_on: row.due_on,
        status: row.status,
      },
    })),
  );
}
