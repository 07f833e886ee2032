import { z } from 'zod';
import { Id, LocalDate, PageQuery, pageOf, Timestamp, text } from '../../http/schemas.ts';

/** One list for every operation of the module: the contract names it once. */
export const tags = ['Inspections'];

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
export const ActionStatusShown = z.enum(['open', 'in_progress', 'done', 'verified', 'overdue']).meta({
  description: "overdue is derived: open or in progress past the due date in the facility's time zone",
});

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

const Custody = z.object({
  id: Id,
  handed_by: z.string().nullable().meta({ description: 'Personal data: null without personal_data' }),
  handed_to: z.string().nullable().meta({ description: 'Personal data: null without personal_data' }),
  handed_at: Timestamp,
  note: z.string().nullable(),
  recorded_by: Id,
  created_at: Timestamp,
});

export const Evidence = z
  .object({
    id: Id,
    finding_id: Id,
    kind: EvidenceKind,
    description: z.string(),
    seal_number: z.string().nullable(),
    file: z
      .object({
        sha256: z.string(),
        size: z.number().int(),
        media_type: z.string(),
        name: z.string().nullable(),
        url: z.string(),
      })
      .nullable(),
    custody: z.array(Custody),
    created_by: Id,
    created_at: Timestamp,
  })
  .meta({
    id: 'Evidence',
    examples: [
      {
        id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c41',
        finding_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c40',
        kind: 'photo',
        description: 'Foto temuan di lokasi',
        seal_number: null,
        file: {
          sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
          size: 204800,
          media_type: 'image/jpeg',
          name: 'temuan.jpg',
          url: '/v1/evidence/01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c41/file',
        },
        custody: [],
        created_by: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
        created_at: '2024-12-13T03:00:00.000Z',
      },
    ],
  });

export const Finding = z.object({
  id: Id,
  category: FindingCategory,
  description: z.string(),
  quantity: z.number(),
  unit: QuantityUnit,
  location: z.string(),
  people: z.array(z.object({ type: z.enum(['inmate', 'officer', 'unknown']), id: Id.nullable() })),
  evidence: z.array(Evidence),
  created_by: Id,
  created_at: Timestamp,
});

// The records a POST creates, read on their own: each names the record it belongs to.
export const FindingRecord = Finding.extend({ inspection_id: Id }).meta({
  id: 'Finding',
  description: 'A finding of an inspection, with its evidence and their chain of custody',
  examples: [
    {
      id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c40',
      inspection_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c43',
      category: 'narcotics',
      description: 'Satu paket kristal bening diduga sabu dalam bungkus rokok',
      quantity: 0.8,
      unit: 'grams',
      location: 'Blok A kamar 12, di bawah kasur',
      people: [{ type: 'inmate', id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c20' }],
      evidence: [],
      created_by: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
      created_at: '2024-12-13T03:00:00.000Z',
    },
  ],
});

export const CustodyEntry = Custody.extend({ evidence_id: Id }).meta({
  id: 'CustodyEntry',
  description: 'A handover of an evidence item; the names need personal_data',
  examples: [
    {
      id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c44',
      evidence_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c41',
      handed_by: 'Kepala KPR Rutan Banjarnegara',
      handed_to: 'Penyidik BNNK Purbalingga',
      handed_at: '2024-12-13T07:00:00.000Z',
      note: null,
      recorded_by: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
      created_at: '2024-12-13T07:05:00.000Z',
    },
  ],
});

export const FindingPage = pageOf(Finding).meta({
  id: 'FindingPage',
  examples: [{ data: [], next_cursor: null }],
});

export const Action = z
  .object({
    id: Id,
    inspection_id: Id,
    facility_id: Id,
    finding_id: Id.nullable(),
    description: z.string(),
    owner_organisation_id: Id.nullable(),
    owner_officer_id: Id.nullable(),
    due_date: LocalDate,
    status: ActionStatusShown,
    overdue: z.boolean(),
    closing_comment: z.string().nullable(),
    closed_at: Timestamp.nullable().meta({ description: 'When it was first done; null while open or reopened' }),
    automatic: z.boolean().meta({ description: 'Created by the service (narcotics hand-over within 48 hours)' }),
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({
    id: 'CorrectiveAction',
    examples: [
      {
        id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c42',
        inspection_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c43',
        facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
        finding_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c40',
        description: 'Serahkan barang bukti narkotika kepada BNN/Polri dalam 48 jam',
        owner_organisation_id: null,
        owner_officer_id: null,
        due_date: '2024-12-15',
        status: 'open',
        overdue: false,
        closing_comment: null,
        closed_at: null,
        automatic: true,
        version: 1,
        created_at: '2024-12-13T03:00:00.000Z',
        updated_at: '2024-12-13T03:00:00.000Z',
      },
    ],
  });

const Addendum = z.object({
  id: Id,
  corrects_type: z.string(),
  corrects_id: Id,
  reason: z.string(),
  text: z.string(),
  author_id: Id,
  author_role: z.string(),
  created_at: Timestamp,
});

export const AddendumRecord = Addendum.extend({ inspection_id: Id }).meta({
  id: 'Addendum',
  description: 'A correction of a signed-off report',
  examples: [
    {
      id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c45',
      inspection_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c43',
      corrects_type: 'finding',
      corrects_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c40',
      reason: 'Berat ditimbang ulang di laboratorium',
      text: 'Berat bersih 0,76 gram, bukan 0,8 gram.',
      author_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
      author_role: 'facility_staff',
      created_at: '2024-12-16T02:00:00.000Z',
    },
  ],
});

const inspectionExample = {
  id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c43',
  facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
  kind: 'joint',
  lead_organisation_id: null,
  team: [{ name: 'Karutan Banjarnegara', agency: 'facility', role: 'ketua' }],
  started_at: '2024-12-13T09:00:00+07:00',
  ended_at: '2024-12-13T11:30:00+07:00',
  timezone: 'Asia/Jakarta',
  areas: [{ kind: 'block', name: 'A' }],
  inmates_searched: 120,
  officers_searched: 15,
  summary: 'Penggeledahan blok hunian.',
  status: 'draft',
  narcotics_found: false,
  result: 'nihil',
  finding_count: 0,
  submitted_at: null,
  submitted_by: null,
  signed_off_at: null,
  signed_off_by: null,
  created_by: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
  version: 1,
  created_at: '2024-12-13T04:40:00.000Z',
  updated_at: '2024-12-13T04:40:00.000Z',
};

export const InspectionSummary = z
  .object({
    id: Id,
    facility_id: Id,
    kind: InspectionKind,
    lead_organisation_id: Id.nullable(),
    team: z
      .array(z.object({ name: z.string(), agency: z.string(), role: z.string().optional() }))
      .nullable()
      .meta({
        description: 'Names of the team: null without personal_data',
      }),
    started_at: z.string().meta({ description: "RFC 3339 in the facility's time zone" }),
    ended_at: z.string(),
    timezone: z.string(),
    areas: z.array(z.object({ kind: z.string(), name: z.string().optional() })),
    inmates_searched: z.number().int(),
    officers_searched: z.number().int(),
    summary: z.string(),
    status: InspectionStatus,
    narcotics_found: z.boolean().meta({ description: 'Notify-worthy: narcotics were found' }),
    result: z.enum(['nihil', 'findings']),
    finding_count: z.number().int(),
    submitted_at: Timestamp.nullable(),
    submitted_by: Id.nullable(),
    signed_off_at: Timestamp.nullable(),
    signed_off_by: Id.nullable(),
    created_by: Id,
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'InspectionSummary', examples: [inspectionExample] });

export const InspectionReport = InspectionSummary.extend({
  findings: z.array(Finding),
  actions: z.array(Action),
  addenda: z.array(Addendum),
}).meta({
  id: 'InspectionReport',
  examples: [{ ...inspectionExample, findings: [], actions: [], addenda: [] }],
});

export const InspectionListQuery = z.strictObject({
  kind: InspectionKind.optional(),
  status: InspectionStatus.optional(),
  from: LocalDate.optional().meta({ description: 'Started on or after this local date' }),
  to: LocalDate.optional().meta({ description: 'Started on or before this local date' }),
  has_findings: z.enum(['true', 'false']).optional(),
  category: FindingCategory.optional(),
  ...PageQuery,
});
export const InspectionTopListQuery = InspectionListQuery.extend({ facility_id: Id.optional() });
export const InspectionPage = pageOf(InspectionSummary).meta({ id: 'InspectionPage' });

export const ActionListQuery = z.strictObject({
  facility_id: Id.optional(),
  inspection_id: Id.optional(),
  status: ActionStatus.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  ...PageQuery,
});
export const ActionPage = pageOf(Action).meta({ id: 'CorrectiveActionPage' });

export type InspectionFieldsInput = z.infer<typeof InspectionFields>;
export type InspectionUpdateInput = z.infer<typeof InspectionUpdate>;
export type FindingCreateInput = z.infer<typeof FindingCreate>;
export type ActionCreateInput = z.infer<typeof ActionCreate>;
export type ActionDto = z.infer<typeof Action>;
