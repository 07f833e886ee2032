import { z } from 'zod';
import { Id, LocalDate, OrderingUpdatedSince, PageQuery, QueryFlag, text, UpdatedSince } from '../../http/schemas.ts';

// What clients send: request bodies and queries, and the kinds both directions share.

export const InspectionKind = z.enum(['surprise', 'scheduled', 'joint']);
export const InspectionStatus = z.enum(['draft', 'submitted', 'signed_off']);
export const FindingCategory = z.enum([
  'narcotics',
  'drug_paraphernalia',
  'mobile_phone',
  'sharp_object',
  'alcohol',
  'cash',
  'other_contraband',
]);
export const QuantityUnit = z.enum(['grams', 'pieces', 'millilitres', 'rupiah']);
export const EvidenceKind = z.enum(['photo', 'video', 'seized_item', 'document']);
export const ActionStatus = z.enum(['open', 'in_progress', 'done', 'verified']);

const When = z.iso.datetime({ offset: true, local: true }).meta({
  description: "RFC 3339; without an offset it is read in the facility's time zone",
  example: '2024-12-13T09:00:00+07:00',
});

const TeamMember = z.strictObject({
  name: text({ min: 2, max: 200 }),
  agency: z.enum(['facility', 'bnn', 'police', 'army', 'other']),
  role: text({ max: 100 }).optional(),
});
const Area = z.strictObject({
  kind: z.enum(['block', 'cell', 'visitor_area', 'kitchen', 'staff_room', 'other']),
  name: text({ max: 100 }).optional(),
});
const PersonInvolved = z.strictObject({
  type: z.enum(['inmate', 'officer', 'unknown']),
  id: Id.optional().meta({ description: 'The inmate or officer, from the registers of the same facility' }),
});

export const InspectionFields = z.strictObject({
  kind: InspectionKind,
  lead_organisation_id: Id.optional().meta({ description: 'Who led it; absent when the facility itself did' }),
  team: z.array(TeamMember).min(1).max(100),
  started_at: When,
  ended_at: When,
  areas: z.array(Area).min(1).max(200),
  inmates_searched: z.number().int().min(0).max(100_000),
  officers_searched: z.number().int().min(0).max(10_000),
  summary: text({ min: 3, max: 10_000, multiline: true }),
});

export const InspectionCreate = InspectionFields.meta({
  id: 'InspectionCreate',
  examples: [
    {
      kind: 'joint',
      lead_organisation_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d',
      team: [
        { name: 'Karutan Banjarnegara', agency: 'facility', role: 'ketua' },
        { name: 'Tim BNNK Purbalingga', agency: 'bnn' },
      ],
      started_at: '2024-12-13T09:00:00+07:00',
      ended_at: '2024-12-13T11:30:00+07:00',
      areas: [{ kind: 'block', name: 'A' }, { kind: 'kitchen' }],
      inmates_searched: 120,
      officers_searched: 15,
      summary: 'Penggeledahan blok hunian dan dapur; tes urine acak setelahnya.',
    },
  ],
});

export const InspectionUpdate = InspectionFields.partial()
  .extend({ lead_organisation_id: Id.nullable().optional() })
  .meta({ id: 'InspectionUpdate', examples: [{ summary: 'Ringkasan diperbarui', inmates_searched: 125 }] });

export const FindingCreate = z
  .strictObject({
    category: FindingCategory,
    description: text({ min: 3, max: 5_000, multiline: true }),
    quantity: z.number().positive().max(1e9),
    unit: QuantityUnit,
    location: text({ min: 1, max: 200 }),
    people: z.array(PersonInvolved).max(100).default([]),
  })
  .meta({
    id: 'FindingCreate',
    examples: [
      {
        category: 'narcotics',
        description: 'Satu paket kristal bening diduga sabu dalam bungkus rokok',
        quantity: 0.8,
        unit: 'grams',
        location: 'Blok A kamar 12, di bawah kasur',
        people: [{ type: 'inmate', id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c20' }],
      },
    ],
  });

export const EvidenceCreate = z
  .strictObject({
    kind: EvidenceKind,
    description: text({ min: 3, max: 2_000, multiline: true }),
    seal_number: text({ min: 1, max: 100 }).optional().meta({ description: 'Required for a seized item' }),
  })
  .meta({
    id: 'EvidenceCreate',
    description: 'As JSON for an item without a file, or as multipart/form-data with these fields and one file',
    examples: [{ kind: 'seized_item', description: 'Paket sabu 0,8 g', seal_number: 'SEGEL-BNJ-2024-0113' }],
  });

export const CustodyCreate = z
  .strictObject({
    handed_by: text({ min: 2, max: 200 }),
    handed_to: text({ min: 2, max: 200 }),
    handed_at: When,
    note: text({ max: 2_000, multiline: true }).optional(),
  })
  .meta({
    id: 'CustodyCreate',
    examples: [
      {
        handed_by: 'Kepala KPR Rutan Banjarnegara',
        handed_to: 'Penyidik BNNK Purbalingga',
        handed_at: '2024-12-13T14:00:00+07:00',
      },
    ],
  });

export const ActionCreate = z
  .strictObject({
    description: text({ min: 3, max: 2_000, multiline: true }),
    finding_id: Id.optional(),
    owner_organisation_id: Id.optional(),
    owner_officer_id: Id.optional().meta({ description: 'An officer of the same facility' }),
    due_date: LocalDate,
  })
  .meta({
    id: 'ActionCreate',
    examples: [{ description: 'Pasang kamera CCTV di blok A', due_date: '2025-01-31' }],
  });

export const ActionUpdate = z
  .strictObject({
    status: ActionStatus.optional(),
    closing_comment: text({ min: 3, max: 2_000, multiline: true }).optional(),
  })
  .meta({ id: 'ActionUpdate', examples: [{ status: 'done', closing_comment: 'CCTV terpasang 20 Januari 2025' }] });

export const AddendumCreate = z
  .strictObject({
    corrects_type: z.enum(['inspection', 'finding', 'evidence', 'action']),
    corrects_id: Id,
    reason: text({ min: 3, max: 2_000, multiline: true }),
    text: text({ min: 3, max: 10_000, multiline: true }),
  })
  .meta({
    id: 'AddendumCreate',
    examples: [
      {
        corrects_type: 'finding',
        corrects_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c40',
        reason: 'Berat ditimbang ulang di laboratorium',
        text: 'Berat bersih 0,76 gram, bukan 0,8 gram.',
      },
    ],
  });

export const InspectionListQuery = z.strictObject({
  kind: InspectionKind.optional(),
  status: InspectionStatus.optional(),
  from: LocalDate.optional().meta({
    description: 'Started on or after this local date; with from or to, ordered by started_at, then id',
  }),
  to: LocalDate.optional().meta({
    description: 'Started on or before this local date; with from or to, ordered by started_at, then id',
  }),
  has_findings: QueryFlag.optional(),
  category: FindingCategory.optional(),
  ...PageQuery,
  updated_since: OrderingUpdatedSince,
});
export const InspectionTopListQuery = InspectionListQuery.extend({ facility_id: Id.optional() });

export const ActionListQuery = z.strictObject({
  facility_id: Id.optional(),
  inspection_id: Id.optional(),
  status: ActionStatus.optional(),
  overdue: QueryFlag.optional(),
  ...PageQuery,
  updated_since: UpdatedSince,
});

export type InspectionFieldsInput = z.infer<typeof InspectionFields>;
export type InspectionUpdateInput = z.infer<typeof InspectionUpdate>;
export type FindingCreateInput = z.infer<typeof FindingCreate>;
export type ActionCreateInput = z.infer<typeof ActionCreate>;
