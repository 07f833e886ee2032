import { z } from 'zod';
import { Id, PageQuery, pageOf, Timestamp, WrittenSince } from '../../http/schemas.ts';

export const AuditEvent = z
  .object({
    seq: z.number().int(),
    id: Id,
    occurred_at: Timestamp,
    actor_type: z.string(),
    actor_id: z.string().nullable(),
    actor_role: z.string().nullable(),
    action: z.string(),
    entity_type: z.string(),
    entity_id: z.string().nullable(),
    facility_id: Id.nullable(),
    request_id: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .meta({
    id: 'AuditEvent',
    examples: [
      {
        seq: 42,
        id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c14',
        occurred_at: '2024-12-13T02:30:00.000Z',
        actor_type: 'user',
        actor_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
        actor_role: 'bnn_officer',
        action: 'mou.created',
        entity_type: 'mou',
        entity_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c10',
        facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
        request_id: 'req-1',
        before: null,
        after: { number: 'PKS/12/XII/2024/BNNK-PBG' },
        prev_hash: '9f2c...',
        hash: '1a7e...',
      },
    ],
  });

export const AuditListQuery = z.strictObject({
  entity_type: z.string().max(64).optional(),
  entity_id: z.string().max(64).optional(),
  facility_id: Id.optional(),
  action: z.string().max(64).optional(),
  ...PageQuery,
  updated_since: WrittenSince('occurred_at'),
});

export const AuditPage = pageOf(AuditEvent).meta({ id: 'AuditEventPage' });

export const ChainReport = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    first_broken: z
      .object({ seq: z.number().int(), id: Id, reason: z.enum(['hash_mismatch', 'broken_link']) })
      .nullable(),
  })
  .meta({ id: 'AuditChainReport', examples: [{ ok: true, checked: 1234, first_broken: null }] });
