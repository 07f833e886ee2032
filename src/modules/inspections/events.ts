import { z } from 'zod';
import { defineEvent } from '../../core/events.ts';
import { Id, Timestamp } from '../../http/schemas.ts';

// What outside systems are told of surprise inspections (the catalogue: modules/events/catalogue.ts).

const Report = { inspection_id: Id, facility_id: Id };

export const inspectionCreated = defineEvent({
  type: 'inspection.created.v1',
  part: 'inspections',
  summary: 'An inspection report was opened (as a draft)',
  data: z.object({ ...Report, kind: z.enum(['surprise', 'scheduled', 'joint']), started_at: Timestamp }),
});

export const inspectionSubmitted = defineEvent({
  type: 'inspection.submitted.v1',
  part: 'inspections',
  summary: "A report was put before the facility's head",
  data: z.object({ ...Report, submitted_at: Timestamp }),
});

export const inspectionSignedOff = defineEvent({
  type: 'inspection.signed_off.v1',
  part: 'inspections',
  summary: 'The head signed a report off: it is frozen from now on',
  data: z.object({ ...Report, signed_off_at: Timestamp }),
});

export const INSPECTION_EVENTS = [inspectionCreated, inspectionSubmitted, inspectionSignedOff];
