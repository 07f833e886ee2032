// The registers: WBP (inmates) and their placements, petugas (officers).
import { classes, type TableClasses } from './classes.ts';

export const REGISTERS: Record<string, TableClasses> = {
  inmates: classes({
    personal: ['registration_number', 'name', 'birth_date'],
    special: ['case_type'],
    none: [
      'id',
      'pseudonym',
      'facility_id',
      'sex',
      'admission_date',
      'expected_release_date',
      'block',
      'cell',
      'status',
      'released_on',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  inmate_placements: classes({
    personal: ['registration_number'],
    // A copy of the entry's case type, kept for the population counts.
    special: ['narcotics_user'],
    none: ['id', 'inmate_id', 'facility_id', 'from_date', 'until_date', 'end_reason', 'prev_until', 'created_at'],
  }),
  officers: classes({
    personal: ['nip', 'name'],
    none: [
      'id',
      'pseudonym',
      'facility_id',
      'sex',
      'position',
      'unit',
      'status',
      'joined_on',
      'left_on',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
};
