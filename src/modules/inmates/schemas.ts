import { z } from 'zod';
import { personal, Sex } from '../../http/register-schemas.ts';
import { Id, LocalDate, OrderingUpdatedSince, PageQuery, pageOf, Timestamp, text } from '../../http/schemas.ts';

export const CaseType = z.enum(['narcotics_user', 'narcotics_dealer', 'narcotics_courier', 'non_narcotics']);
export const InmateStatus = z.enum(['detained', 'sentenced', 'released', 'transferred', 'deceased']);

export const Placement = z.object({
  facility_id: Id,
  registration_number: personal(z.string()),
  from_date: LocalDate,
  until_date: LocalDate.nullable(),
  end_reason: z.string().nullable(),
});

const example = {
  id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c20',
  pseudonym: 'WBP-7K3MQ9XD',
  facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
  registration_number: 'B.I-123/2024',
  name: 'Budi Santoso',
  sex: 'male',
  birth_date: '1990-04-17',
  case_type: 'narcotics_user',
  admission_date: '2024-03-02',
  expected_release_date: '2027-03-01',
  block: 'A',
  cell: 'A-12',
  status: 'sentenced',
  released_on: null,
  version: 1,
  created_at: '2024-12-13T02:30:00.000Z',
  updated_at: '2024-12-13T02:30:00.000Z',
};

export const Inmate = z
  .object({
    id: Id,
    pseudonym: z.string().meta({ description: 'Pseudonymous id: never changes, identifies nobody by itself' }),
    facility_id: Id.meta({ description: 'The facility that holds the person now' }),
    registration_number: personal(z.string()),
    name: personal(z.string()),
    sex: Sex,
    birth_date: personal(LocalDate),
    case_type: CaseType.meta({ description: 'Special-category data' }),
    admission_date: LocalDate,
    expected_release_date: LocalDate.nullable(),
    block: z.string().nullable(),
    cell: z.string().nullable(),
    status: InmateStatus,
    released_on: LocalDate.nullable(),
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Inmate', examples: [example] });

export const InmateWithHistory = Inmate.extend({
  placements: z.array(Placement).meta({ description: 'Where the person was held, and when, oldest first' }),
}).meta({
  id: 'InmateWithHistory',
  examples: [
    {
      ...example,
      placements: [
        {
          facility_id: example.facility_id,
          registration_number: example.registration_number,
          from_date: '2024-03-02',
          until_date: null,
          end_reason: null,
        },
      ],
    },
  ],
});

const RegistrationNumber = text({ min: 1, max: 50 });
const Name = text({ min: 2, max: 200 });
const Block = text({ min: 1, max: 50 });

/** The fields of a register entry, shared by the form and the import. */
export const InmateFields = z.strictObject({
  registration_number: RegistrationNumber,
  name: Name,
  sex: Sex,
  birth_date: LocalDate,
  case_type: CaseType,
  admission_date: LocalDate,
  expected_release_date: LocalDate.optional(),
  block: Block.optional(),
  cell: Block.optional(),
  status: z.enum(['detained', 'sentenced']).default('detained').meta({
    description: 'A new entry is detained or sentenced; release and transfer have their own endpoints',
  }),
});

export const InmateCreate = InmateFields.meta({
  id: 'InmateCreate',
  examples: [
    {
      registration_number: 'B.I-123/2024',
      name: 'Budi Santoso',
      sex: 'male',
      birth_date: '1990-04-17',
      case_type: 'narcotics_user',
      admission_date: '2024-03-02',
      expected_release_date: '2027-03-01',
      block: 'A',
      cell: 'A-12',
      status: 'sentenced',
    },
  ],
});

export const InmateUpdate = z
  .strictObject({
    registration_number: RegistrationNumber.optional(),
    name: Name.optional(),
    sex: Sex.optional(),
    birth_date: LocalDate.optional(),
    case_type: CaseType.optional(),
    expected_release_date: LocalDate.nullable().optional(),
    block: Block.nullable().optional(),
    cell: Block.nullable().optional(),
    status: z.enum(['detained', 'sentenced']).optional(),
  })
  .meta({ id: 'InmateUpdate', examples: [{ block: 'B', cell: 'B-03' }] });

export const InmateRelease = z
  .strictObject({
    released_on: LocalDate,
    reason: z.enum(['end_of_sentence', 'parole', 'acquitted', 'other', 'deceased']).default('end_of_sentence'),
    note: text({ max: 1000, multiline: true }).optional(),
  })
  .meta({ id: 'InmateRelease', examples: [{ released_on: '2026-11-20', reason: 'parole' }] });

export const InmateTransfer = z
  .strictObject({
    to_facility_id: Id,
    transferred_on: LocalDate,
    registration_number: RegistrationNumber.optional().meta({
      description: 'Number at the receiving facility; the same number when absent',
    }),
    note: text({ max: 1000, multiline: true }).optional(),
  })
  .meta({
    id: 'InmateTransfer',
    examples: [{ to_facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0f', transferred_on: '2026-11-20' }],
  });

export const InmateListQuery = z.strictObject({
  name: text({ min: 1, max: 100, trim: false })
    .optional()
    .meta({ description: 'Name starts with (needs personal_data)' }),
  registration_number: text({ min: 1, max: 50, trim: false })
    .optional()
    .meta({ description: 'Exact (needs personal_data)' }),
  status: InmateStatus.optional(),
  case_type: CaseType.optional(),
  block: text({ min: 1, max: 50, trim: false }).optional(),
  ...PageQuery,
  updated_since: OrderingUpdatedSince,
});
export const InmateTopListQuery = InmateListQuery.extend({ facility_id: Id.optional() });

export const InmatePage = pageOf(Inmate).meta({ id: 'InmatePage' });

export const INMATE_CSV_COLUMNS = {
  required: ['registration_number', 'name', 'sex', 'birth_date', 'case_type', 'admission_date'],
  optional: ['expected_release_date', 'block', 'cell', 'status', 'released_on'],
} as const;

export type InmateDto = z.infer<typeof Inmate>;
export type InmateFieldsInput = z.input<typeof InmateFields>;
export type InmateFieldsOutput = z.output<typeof InmateFields>;
export type InmateUpdateInput = z.infer<typeof InmateUpdate>;
export type InmateReleaseInput = z.output<typeof InmateRelease>;
export type InmateTransferInput = z.output<typeof InmateTransfer>;
export type InmateListInput = z.output<typeof InmateTopListQuery>;
