import { z } from 'zod';
import { defineEvent } from '../../core/events.ts';
import { Id, LocalDate, Timestamp } from '../../http/schemas.ts';
import { FindingCategory, QuantityUnit } from './request-schemas.ts';

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

const Finding = { ...Report, finding_id: Id, category: FindingCategory, quantity: z.number(), unit: QuantityUnit };

export const findingRecorded = defineEvent({
  type: 'inspection.finding_recorded.v1',
  part: 'inspections',
  summary: 'A finding was recorded on a draft report; the inmates and officers it names are its people',
  data: z.object({ ...Finding, narcotics: z.boolean() }),
});

export const narcoticsFound = defineEvent({
  type: 'inspection.narcotics_found.v1',
  part: 'inspections',
  summary:
    'A finding of narcotics, told besides inspection.finding_recorded.v1: the goods are due to BNN or the police by handover_due_date',
  data: z.object({
    ...Finding,
    category: z.literal('narcotics'),
    ended_at: Timestamp,
    handover_due_date: LocalDate,
  }),
});

export const addendumAdded = defineEvent({
  type: 'inspection.addendum_added.v1',
  part: 'inspections',
  summary: 'A signed-off report was corrected by an addendum: what it corrects, by id',
  data: z.object({
    ...Report,
    addendum_id: Id,
    corrects_type: z.enum(['inspection', 'finding', 'evidence', 'action']),
    corrects_id: Id,
  }),
});

const Action = {
  action_id: Id,
  ...Report,
  finding_id: Id.nullable(),
  owner_organisation_id: Id.nullable(),
  due_date: LocalDate,
  automatic: z.boolean().meta({ description: 'The narcotics hand-over the service added by itself' }),
};

export const actionCreated = defineEvent({
  type: 'corrective_action.created.v1',
  part: 'inspections',
  summary: 'An action was set on a report: by its recorders, or the narcotics hand-over by the service itself',
  data: z.object({ ...Action }),
});

export const actionOverdue = defineEvent({
  type: 'corrective_action.overdue.v1',
  part: 'inspections',
  summary: "An action not done by its due date, by its facility's calendar; told once per action",
  data: z.object({ ...Action, status: z.enum(['open', 'in_progress']) }),
});

export const actionDone = defineEvent({
  type: 'corrective_action.done.v1',
  part: 'inspections',
  summary: 'An action was done (with a closing comment), awaiting verification',
  data: z.object({ ...Action, closed_at: Timestamp, on_time: z.boolean() }),
});

export const actionVerified = defineEvent({
  type: 'corrective_action.verified.v1',
  part: 'inspections',
  summary: 'A done action was verified: final from now on',
  data: z.object({ ...Action, closed_at: Timestamp, verified_at: Timestamp }),
});

export const actionReopened = defineEvent({
  type: 'corrective_action.reopened.v1',
  part: 'inspections',
  summary: 'A done action was found not done after all and is in progress again',
  data: z.object({ ...Action }),
});

export const INSPECTION_EVENTS = [
  inspectionCreated,
  inspectionSubmitted,
  inspectionSignedOff,
  findingRecorded,
  narcoticsFound,
  addendumAdded,
  actionCreated,
  actionOverdue,
  actionDone,
  actionVerified,
  actionReopened,
];
