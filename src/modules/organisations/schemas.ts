import { z } from 'zod';
import { Id, PageQuery, ProvinceCode, pageOf, Timestamp, TimeZone, text, UpdatedSince } from '../../http/schemas.ts';

export const OrganisationType = z.enum(['ministry', 'kanwil', 'bnn', 'regional_government']).meta({
  description:
    'ministry (Kementerian), kanwil (regional office, one per province), bnn (BNN RI, BNNP, BNNK), regional_government (Pemda: a province, or with regency a regency or city)',
});
export const BnnLevel = z.enum(['national', 'province', 'district']);

export const Organisation = z
  .object({
    id: Id,
    type: OrganisationType,
    bnn_level: BnnLevel.nullable(),
    name: z.string(),
    province_code: ProvinceCode.nullable(),
    province_name: z.string().nullable(),
    regency: z.string().nullable(),
    timezone: TimeZone,
    parent_id: Id.nullable(),
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({
    id: 'Organisation',
    examples: [
      {
        id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d',
        type: 'bnn',
        bnn_level: 'district',
        name: 'BNNK Purbalingga',
        province_code: '33',
        province_name: 'Jawa Tengah',
        regency: 'Purbalingga',
        timezone: 'Asia/Jakarta',
        parent_id: null,
        version: 1,
        created_at: '2024-12-13T02:30:00.000Z',
        updated_at: '2024-12-13T02:30:00.000Z',
      },
    ],
  });

export const OrganisationCreate = z
  .strictObject({
    type: OrganisationType,
    bnn_level: BnnLevel.optional(),
    name: text({ min: 3, max: 200 }),
    province_code: ProvinceCode.optional(),
    regency: text({ min: 2, max: 100 }).optional(),
    parent_id: Id.optional(),
  })
  .meta({
    id: 'OrganisationCreate',
    examples: [
      { type: 'bnn', bnn_level: 'district', name: 'BNNK Purbalingga', province_code: '33', regency: 'Purbalingga' },
    ],
  });

export const OrganisationUpdate = z
  .strictObject({
    name: text({ min: 3, max: 200 }).optional(),
    regency: text({ min: 2, max: 100 }).nullable().optional(),
    parent_id: Id.nullable().optional(),
  })
  .meta({ id: 'OrganisationUpdate', examples: [{ name: 'BNN Kabupaten Purbalingga' }] });

export const OrganisationListQuery = z.strictObject({
  type: OrganisationType.optional(),
  bnn_level: BnnLevel.optional(),
  province_code: ProvinceCode.optional(),
  ...PageQuery,
  updated_since: UpdatedSince,
});

export const OrganisationPage = pageOf(Organisation).meta({ id: 'OrganisationPage' });
export type OrganisationDto = z.infer<typeof Organisation>;
export type OrganisationCreateInput = z.infer<typeof OrganisationCreate>;
export type OrganisationUpdateInput = z.infer<typeof OrganisationUpdate>;
