import { z } from 'zod';
import { Id, LocalDate, pageOf, Timestamp } from '../../http/schemas.ts';
import { EvidenceKind, FindingCategory, InspectionKind, InspectionStatus, QuantityUnit } from './request-schemas.ts';

// What clients receive: the report, its parts, and the records a POST creates.

export const ActionStatusShown = z.enum(['open', 'in_progress', 'done', 'verified', 'overdue']).meta({
  description: "overdue is derived: open or in progress past the due date in the facility's time zone",
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
export const InspectionPage = pageOf(InspectionSummary).meta({ id: 'InspectionPage' });
export const ActionPage = pageOf(Action).meta({ id: 'CorrectiveActionPage' });

export type ActionDto = z.infer<typeof Action>;
