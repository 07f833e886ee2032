// Organisations, facilities and their MoUs, the facilities' blackout days, and scorecards.
import { classes, type TableClasses } from './classes.ts';

export const ORGANISATIONS: Record<string, TableClasses> = {
  organisations: classes({
    none: [
      'id',
      'type',
      'bnn_level',
      'name',
      'province_code',
      'regency',
      'timezone',
      'parent_id',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  facilities: classes({
    none: [
      'id',
      'type',
      'class',
      'name',
      'province_code',
      'regency',
      'capacity',
      'timezone',
      'kanwil_id',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  mous: classes({
    none: [
      'id',
      'number',
      'title',
      'bnn_unit_id',
      'scope',
      'signed_on',
      'valid_from',
      'valid_until',
      'terminated_at',
      'termination_reason',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  mou_facilities: classes({ none: ['mou_id', 'facility_id'] }),
  facility_blackout_dates: classes({ none: ['facility_id', 'day', 'reason', 'created_by', 'created_at'] }),
  scorecard_snapshots: classes({
    none: ['id', 'facility_id', 'period', 'revision', 'score', 'status', 'body', 'taken_at', 'taken_by'],
  }),
  facility_data_versions: classes({ none: ['facility_id', 'version'] }),
  facility_data_pending: classes({ none: ['xact', 'facility_id'] }),
};
