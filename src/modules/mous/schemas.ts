import { z } from 'zod';
import { MOU_SCOPES, type MouScopeValue } from '../../core/access.ts';
import { Id, LocalDate, notRepeated, PageQuery, pageOf, Timestamp, text, UpdatedSince } from '../../http/schemas.ts';

export const MouScope = z.enum(MOU_SCOPES);
export type { MouScopeValue };
export const MouStatus = z.enum(['draft', 'active', 'expired', 'terminated']).meta({
  description:
    "Derived, never stored: terminated once terminated; draft while unsigned or before valid_from; expired after valid_until; else active. Dates are read in the BNN unit's time zone.",
});

export const Mou = z
  .object({
    id: Id,
    number: z.string(),
    title: z.string(),
    bnn_unit_id: Id,
    bnn_unit_name: z.string(),
    facility_ids: z.array(Id),
    scope: z.array(MouScope),
    signed_on: LocalDate.nullable(),
    valid_from: LocalDate,
    valid_until: LocalDate,
    status: MouStatus,
    terminated_at: Timestamp.nullable(),
    termination_reason: z.string().nullable(),
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({
    id: 'Mou',
    examples: [
      {
        id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c10',
        number: 'PKS/12/XII/2024/BNNK-PBG',
        title: 'Rehabilitasi sosial WBP Rutan Banjarnegara',
        bnn_unit_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d',
        bnn_unit_name: 'BNNK Purbalingga',
        facility_ids: ['01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e'],
        scope: ['rehabilitation', 'urine_testing', 'inspection'],
        signed_on: '2024-12-13',
        valid_from: '2024-12-13',
        valid_until: '2029-12-12',
        status: 'active',
        terminated_at: null,
        termination_reason: null,
        version: 1,
        created_at: '2024-12-13T02:30:00.000Z',
        updated_at: '2024-12-13T02:30:00.000Z',
      },
    ],
  });

const FacilityIds = z
  .array(Id)
  .min(1)
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, notRepeated('facility_ids'));
const Scopes = z
  .array(MouScope)
  .min(1)
  .refine((s) => new Set(s).size === s.length, notRepeated('scope'));

export const MouCreate = z
  .strictObject({
    number: text({ min: 3, max: 100 }),
    title: text({ min: 3, max: 300 }),
    bnn_unit_id: Id,
    facility_ids: FacilityIds,
    scope: Scopes,
    signed_on: LocalDate.optional().meta({ description: 'Absent while the MoU is a draft' }),
    valid_from: LocalDate,
    valid_until: LocalDate,
  })
  .meta({
    id: 'MouCreate',
    examples: [
      {
        number: 'PKS/12/XII/2024/BNNK-PBG',
        title: 'Rehabilitasi sosial WBP Rutan Banjarnegara',
        bnn_unit_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d',
        facility_ids: ['01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e'],
        scope: ['rehabilitation'],
        signed_on: '2024-12-13',
        valid_from: '2024-12-13',
        valid_until: '2029-12-12',
      },
    ],
  });

export const MouUpdate = z
  .strictObject({
    title: text({ min: 3, max: 300 }).optional(),
    facility_ids: FacilityIds.optional(),
    scope: Scopes.optional(),
    signed_on: LocalDate.nullable().optional(),
    valid_from: LocalDate.optional(),
    valid_until: LocalDate.optional(),
  })
  .meta({ id: 'MouUpdate', examples: [{ scope: ['rehabilitation', 'urine_testing'] }] });

export const MouTerminate = z
  .strictObject({ reason: text({ min: 5, max: 1000, multiline: true }) })
  .meta({ id: 'MouTerminate', examples: [{ reason: 'Digantikan oleh PKS baru nomor 03/2026' }] });

export const MouListQuery = z.strictObject({
  status: MouStatus.optional(),
  bnn_unit_id: Id.optional(),
  facility_id: Id.optional(),
  scope: MouScope.optional(),
  expiring_within_days: z.coerce.number().int().min(1).max(366).optional().meta({
    description:
      "Only MoUs in force today (active: signed, started, not terminated) whose valid_until falls within today and today plus this many days (1 to 366), today being the BNN unit's local date. Ordered by valid_until, then id, instead of by id; a cursor of one order is refused (400) by the other.",
    example: 90,
  }),
  ...PageQuery,
  updated_since: UpdatedSince,
});

export const MouPage = pageOf(Mou).meta({ id: 'MouPage' });
export type MouDto = z.infer<typeof Mou>;
export type MouCreateInput = z.infer<typeof MouCreate>;
export type MouUpdateInput = z.infer<typeof MouUpdate>;
