import { z } from 'zod';
import { Id, PageQuery, ProvinceCode, pageOf, Timestamp, TimeZone, text, UpdatedSince } from '../../http/schemas.ts';

export const FacilityType = z.enum(['rutan', 'lapas', 'lapas_narkotika', 'lpp', 'lpka']).meta({
  description:
    'rutan (remand centre), lapas (prison), lapas_narkotika (drug-offender prison), lpp (women), lpka (juvenile)',
});
export const FacilityClass = z.enum(['I', 'IIA', 'IIB', 'III']);

const example = {
  id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
  type: 'rutan',
  class: 'IIB',
  name: 'Rutan Kelas IIB Banjarnegara',
  province_code: '33',
  province_name: 'Jawa Tengah',
  regency: 'Banjarnegara',
  capacity: 150,
  timezone: 'Asia/Jakarta',
  kanwil_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0f',
  version: 1,
  created_at: '2024-12-13T02:30:00.000Z',
  updated_at: '2024-12-13T02:30:00.000Z',
};

export const Facility = z
  .object({
    id: Id,
    type: FacilityType,
    class: FacilityClass,
    name: z.string(),
    province_code: ProvinceCode,
    province_name: z.string(),
    regency: z.string(),
    capacity: z.number().int(),
    timezone: TimeZone,
    kanwil_id: Id,
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Facility', examples: [example] });

export const FacilityCreate = z
  .strictObject({
    type: FacilityType,
    class: FacilityClass,
    name: text({ min: 3, max: 200 }),
    province_code: ProvinceCode,
    regency: text({ min: 2, max: 100 }),
    capacity: z.number().int().min(1).max(100_000),
    timezone: TimeZone,
    kanwil_id: Id.optional().meta({ description: "Defaults to the Kanwil of the facility's province" }),
  })
  .meta({
    id: 'FacilityCreate',
    examples: [
      {
        type: 'rutan',
        class: 'IIB',
        name: 'Rutan Kelas IIB Banjarnegara',
        province_code: '33',
        regency: 'Banjarnegara',
        capacity: 150,
        timezone: 'Asia/Jakarta',
      },
    ],
  });

export const FacilityUpdate = z
  .strictObject({
    name: text({ min: 3, max: 200 }).optional(),
    class: FacilityClass.optional(),
    capacity: z.number().int().min(1).max(100_000).optional(),
  })
  .meta({ id: 'FacilityUpdate', examples: [{ capacity: 180 }] });

export const FacilityListQuery = z.strictObject({
  type: FacilityType.optional(),
  province_code: ProvinceCode.optional(),
  timezone: TimeZone.optional(),
  kanwil_id: Id.optional(),
  name: text({ min: 1, max: 100, trim: false }).optional().meta({ description: 'Name starts with (case-insensitive)' }),
  ...PageQuery,
  updated_since: UpdatedSince,
});

export const FacilityPage = pageOf(Facility).meta({ id: 'FacilityPage' });
export type FacilityDto = z.infer<typeof Facility>;
export type FacilityCreateInput = z.infer<typeof FacilityCreate>;
export type FacilityUpdateInput = z.infer<typeof FacilityUpdate>;
