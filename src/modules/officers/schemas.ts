import { z } from 'zod';
import { fieldSentence } from '../../http/messages.ts';
import { personal, Sex } from '../../http/register-schemas.ts';
import { Id, LocalDate, OrderingUpdatedSince, PageQuery, pageOf, Timestamp, text } from '../../http/schemas.ts';

export const OfficerStatus = z.enum(['active', 'inactive', 'transferred', 'retired']);

export const Officer = z
  .object({
    id: Id,
    pseudonym: z.string().meta({ description: 'Pseudonymous id: never changes, identifies nobody by itself' }),
    facility_id: Id,
    nip: personal(z.string()),
    name: personal(z.string()),
    sex: Sex,
    position: z.string(),
    unit: z.string(),
    status: OfficerStatus,
    joined_on: LocalDate,
    left_on: LocalDate.nullable(),
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({
    id: 'Officer',
    examples: [
      {
        id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c30',
        pseudonym: 'PTG-4HXM2C9T0A',
        facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
        nip: '198504172010121002',
        name: 'Agus Prasetyo',
        sex: 'male',
        position: 'Kepala Pengamanan Rutan',
        unit: 'KPR',
        status: 'active',
        joined_on: '2010-12-01',
        left_on: null,
        version: 1,
        created_at: '2024-12-13T02:30:00.000Z',
        updated_at: '2024-12-13T02:30:00.000Z',
      },
    ],
  });

const Nip = text({ max: 18 })
  .regex(/^[0-9]{18}$/, fieldSentence('nip_digits').en)
  .meta({ description: 'Nomor Induk Pegawai: 18 digits, unique nationally' });
const Text = text({ min: 2, max: 200 });

export const OfficerFields = z.strictObject({
  nip: Nip,
  name: Text,
  sex: Sex,
  position: Text,
  unit: Text,
  status: OfficerStatus.default('active'),
  joined_on: LocalDate,
  left_on: LocalDate.optional().meta({ description: 'Only for an officer no longer active' }),
});

export const OfficerCreate = OfficerFields.meta({
  id: 'OfficerCreate',
  examples: [
    {
      nip: '198504172010121002',
      name: 'Agus Prasetyo',
      sex: 'male',
      position: 'Kepala Pengamanan Rutan',
      unit: 'KPR',
      joined_on: '2010-12-01',
    },
  ],
});

export const OfficerUpdate = z
  .strictObject({
    name: Text.optional(),
    sex: Sex.optional(),
    position: Text.optional(),
    unit: Text.optional(),
    status: OfficerStatus.optional(),
    joined_on: LocalDate.optional(),
    left_on: LocalDate.nullable().optional(),
  })
  .meta({ id: 'OfficerUpdate', examples: [{ status: 'retired', left_on: '2026-10-31' }] });

export const OfficerListQuery = z.strictObject({
  name: text({ min: 1, max: 100, trim: false })
    .optional()
    .meta({ description: 'Name starts with (needs personal_data)' }),
  nip: text({ min: 1, max: 18, trim: false }).optional().meta({ description: 'Exact (needs personal_data)' }),
  status: OfficerStatus.optional(),
  unit: text({ min: 1, max: 200, trim: false }).optional(),
  ...PageQuery,
  updated_since: OrderingUpdatedSince,
});
export const OfficerTopListQuery = OfficerListQuery.extend({ facility_id: Id.optional() });
export const OfficerPage = pageOf(Officer).meta({ id: 'OfficerPage' });

export const OFFICER_CSV_COLUMNS = {
  required: ['nip', 'name', 'sex', 'position', 'unit', 'status', 'joined_on'],
  optional: ['left_on'],
} as const;

export type OfficerDto = z.infer<typeof Officer>;
export type OfficerFieldsOutput = z.output<typeof OfficerFields>;
export type OfficerUpdateInput = z.infer<typeof OfficerUpdate>;
export type OfficerListInput = z.output<typeof OfficerTopListQuery>;
