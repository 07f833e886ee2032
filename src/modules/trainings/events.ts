import { z } from 'zod';
import { defineEvent } from '../../core/events.ts';
import { Id, Timestamp } from '../../http/schemas.ts';

// What outside systems are told of officers' training (the catalogue: modules/events/catalogue.ts).

export const certificateIssued = defineEvent({
  type: 'training.certificate_issued.v1',
  part: 'trainings',
  summary: 'A participant who passed was issued a certificate (the officer named by id)',
  data: z.object({ training_id: Id, participant_id: Id, facility_id: Id, issued_at: Timestamp }),
});

export const TRAINING_EVENTS = [certificateIssued];
