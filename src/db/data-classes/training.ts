// Officer training: trainings, the facilities taking part, participants.
import { classes, type TableClasses } from './classes.ts';

export const TRAINING: Record<string, TableClasses> = {
  trainings: classes({
    personal: ['trainers'],
    none: [
      'id',
      'title',
      'topic',
      'organiser_type',
      'organiser_organisation_id',
      'organiser_facility_id',
      'starts_on',
      'ends_on',
      'hours',
      'venue',
      'mode',
      'capacity',
      'pass_mark',
      'created_by',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  training_facilities: classes({ none: ['training_id', 'facility_id'] }),
  training_participants: classes({
    none: [
      'id',
      'training_id',
      'officer_id',
      'facility_id',
      'attended_days',
      'attended_hours',
      'pre_test_score',
      'post_test_score',
      'certificate_number',
      'certificate_issued_at',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
};
