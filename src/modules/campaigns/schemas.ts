import { z } from 'zod';
import {
  Id,
  LocalDate,
  notRepeated,
  PageQuery,
  ProvinceCode,
  pageOf,
  Timestamp,
  text,
  UpdatedSince,
} from '../../http/schemas.ts';

export const CampaignKind = z.enum(['socialization', 'education', 'joint_campaign']).meta({
  description: 'socialization (sosialisasi), education (penyuluhan), joint_campaign (kampanye bersama)',
});
export const AUDIENCE_KINDS = [
  'inmates',
  'officers',
  'students',
  'youth',
  'community',
  'government',
  'private_sector',
] as const;
export const AudienceKind = z.enum(AUDIENCE_KINDS);

const Text = text({ min: 2, max: 200 });
const ids = [
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9ca0',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c21',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
] as const;

const campaignExample = {
  id: ids[0],
  kind: 'joint_campaign',
  topic: 'Bahaya narkoba bagi warga binaan',
  held_on: '2024-10-01',
  province_code: '53',
  regency: 'Kota Kupang',
  venue: 'Aula Lapas Kelas IIA Kupang',
  facility_id: ids[2],
  audience_kind: 'inmates',
  audience_count: 250,
  organiser_ids: [ids[1]],
  organisers: [{ id: ids[1], name: 'BNNP Nusa Tenggara Timur' }],
  notes: 'Bersama Kanwil NTT, di kawasan rawan',
  created_by: ids[3],
  version: 1,
  created_at: '2024-10-01T08:00:00.000Z',
  updated_at: '2024-10-01T08:00:00.000Z',
};

export const Campaign = z
  .object({
    id: Id,
    kind: CampaignKind,
    topic: z.string(),
    held_on: LocalDate.meta({ description: 'The local date of the event at its place' }),
    province_code: z.string(),
    regency: z.string(),
    venue: z.string(),
    facility_id: Id.nullable().meta({
      description: "The facility it was held inside; it then counts for that facility's scorecard period",
    }),
    audience_kind: AudienceKind,
    audience_count: z.number().int(),
    organiser_ids: z.array(Id),
    organisers: z.array(z.object({ id: Id, name: z.string() })),
    notes: z.string().nullable(),
    created_by: Id,
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Campaign', examples: [campaignExample] });

const OrganiserIds = z
  .array(Id)
  .min(1)
  .max(20)
  .refine((a) => new Set(a).size === a.length, notRepeated('organiser_ids'));

export const CampaignCreate = z
  .strictObject({
    kind: CampaignKind,
    topic: Text,
    held_on: LocalDate,
    province_code: ProvinceCode,
    regency: Text.meta({ description: 'The regency or city (kabupaten/kota)' }),
    venue: Text,
    facility_id: Id.optional().meta({ description: 'When held inside a facility (in the same regency)' }),
    audience_kind: AudienceKind,
    audience_count: z.number().int().min(0).max(1_000_000),
    organiser_ids: OrganiserIds.meta({
      description: "One or more organisations; the caller's own must be one of them",
    }),
    notes: text({ max: 2000, multiline: true }).optional(),
  })
  .meta({
    id: 'CampaignCreate',
    examples: [
      Object.fromEntries(
        Object.entries(campaignExample).filter(([key]) =>
          [
            'kind',
            'topic',
            'held_on',
            'province_code',
            'regency',
            'venue',
            'facility_id',
            'audience_kind',
            'audience_count',
            'organiser_ids',
            'notes',
          ].includes(key),
        ),
      ),
    ],
  });

export const CampaignUpdate = z
  .strictObject({
    kind: CampaignKind.optional(),
    topic: Text.optional(),
    held_on: LocalDate.optional(),
    venue: Text.optional(),
    audience_kind: AudienceKind.optional(),
    audience_count: CampaignCreate.shape.audience_count.optional(),
    organiser_ids: OrganiserIds.optional(),
    notes: text({ max: 2000, multiline: true }).nullable().optional(),
  })
  .meta({ id: 'CampaignUpdate', examples: [{ audience_count: 265, notes: 'Jumlah peserta dikoreksi' }] });

export const CampaignListQuery = z.strictObject({
  organisation_id: Id.optional().meta({ description: 'Campaigns this organisation organised (alone or jointly)' }),
  province_code: ProvinceCode.optional(),
  regency: text({ min: 2, max: 200 }).optional(),
  facility_id: Id.optional(),
  kind: CampaignKind.optional(),
  audience_kind: AudienceKind.optional(),
  from: LocalDate.optional().meta({ description: 'Held on or after' }),
  to: LocalDate.optional().meta({ description: 'Held on or before' }),
  ...PageQuery,
  updated_since: UpdatedSince,
});
export const CampaignPage = pageOf(Campaign).meta({ id: 'CampaignPage' });

export const TotalsGroup = z.enum(['organisation', 'regency', 'month', 'quarter', 'year']);
export const CampaignTotalsQuery = z.strictObject({
  group_by: TotalsGroup.default('organisation').meta({
    description: 'organisation (a joint event counts for each organiser), regency, or period: month, quarter, year',
  }),
  from: LocalDate.optional().meta({ description: 'Held on or after' }),
  to: LocalDate.optional().meta({ description: 'Held on or before' }),
  province_code: ProvinceCode.optional(),
  regency: text({ min: 2, max: 200 }).optional(),
  organisation_id: Id.optional(),
  kind: CampaignKind.optional(),
  audience_kind: AudienceKind.optional(),
});

const Tally = {
  events: z.number().int(),
  audience: z.number().int(),
  by_audience_kind: z
    .object({
      inmates: z.number().int(),
      officers: z.number().int(),
      students: z.number().int(),
      youth: z.number().int(),
      community: z.number().int(),
      government: z.number().int(),
      private_sector: z.number().int(),
    })
    .meta({ description: 'Audience per kind' }),
};
export const CampaignTotals = z
  .object({
    group_by: TotalsGroup,
    from: LocalDate.nullable(),
    to: LocalDate.nullable(),
    total: z.object(Tally).meta({ description: 'Every campaign in reach that matches, each counted once' }),
    groups: z.array(
      z.object({
        key: z.string().meta({ description: 'The organisation id, "<province_code>/<regency>", or the period' }),
        label: z.string(),
        ...Tally,
      }),
    ),
  })
  .meta({
    id: 'CampaignTotals',
    examples: [
      {
        group_by: 'regency',
        from: '2024-01-01',
        to: '2024-12-31',
        total: {
          events: 3,
          audience: 420,
          by_audience_kind: {
            inmates: 250,
            officers: 0,
            students: 120,
            youth: 0,
            community: 50,
            government: 0,
            private_sector: 0,
          },
        },
        groups: [
          {
            key: '53/Kota Kupang',
            label: 'Kota Kupang, Nusa Tenggara Timur',
            events: 3,
            audience: 420,
            by_audience_kind: {
              inmates: 250,
              officers: 0,
              students: 120,
              youth: 0,
              community: 50,
              government: 0,
              private_sector: 0,
            },
          },
        ],
      },
    ],
  });

export type CampaignDto = z.infer<typeof Campaign>;
export type CampaignCreateInput = z.infer<typeof CampaignCreate>;
export type CampaignUpdateInput = z.infer<typeof CampaignUpdate>;
export type CampaignTotalsDto = z.infer<typeof CampaignTotals>;
export type TotalsGroupValue = z.infer<typeof TotalsGroup>;
export type AudienceKindValue = z.infer<typeof AudienceKind>;
