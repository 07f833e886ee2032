import { z } from 'zod';
import type { DefinedEvent } from '../../core/events.ts';
import { defineEvent } from '../../core/events.ts';
import { Id, LocalDate, Timestamp } from '../../http/schemas.ts';
import { MouScope } from './schemas.ts';

// What outside systems are told of this part of the record (the catalogue: modules/events/catalogue.ts).

const Agreement = { mou_id: Id, bnn_unit_id: Id };
const Terms = {
  facility_ids: z.array(Id),
  scope: z.array(MouScope),
  valid_from: LocalDate,
  valid_until: LocalDate,
};

export const mouSigned = defineEvent({
  type: 'mou.signed.v1',
  part: 'mous',
  summary: 'An MoU was signed: it is in force from valid_from',
  data: z.object({ ...Agreement, ...Terms, signed_on: LocalDate }),
});

export const mouChanged = defineEvent({
  type: 'mou.changed.v1',
  part: 'mous',
  summary: "An MoU's terms were changed: its facilities, scope, dates or signature date",
  data: z.object({
    ...Agreement,
    ...Terms,
    signed_on: LocalDate.nullable(),
    changed: z.array(z.enum(['facility_ids', 'scope', 'valid_from', 'valid_until', 'signed_on'])),
    removed_facility_ids: z.array(Id),
  }),
});

export const mouTerminated = defineEvent({
  type: 'mou.terminated.v1',
  part: 'mous',
  summary: 'An MoU was ended early',
  data: z.object({ ...Agreement, terminated_at: Timestamp }),
});

export const mouExpiring = defineEvent({
  type: 'mou.expiring.v1',
  part: 'mous',
  summary: "An MoU in force ends within 30 days (by the BNN unit's calendar); told once per end date",
  data: z.object({ ...Agreement, valid_until: LocalDate, days_left: z.number().int().min(0) }),
});

export const mouExpired = defineEvent({
  type: 'mou.expired.v1',
  part: 'mous',
  summary: "A signed MoU passed its valid_until (by the BNN unit's calendar); told once per end date",
  data: z.object({ ...Agreement, valid_until: LocalDate }),
});

// biome-ignore lint/suspicious/noExplicitAny: events of every data shape
export const MOU_EVENTS: readonly DefinedEvent<any>[] = [mouSigned, mouChanged, mouTerminated, mouExpiring, mouExpired];
