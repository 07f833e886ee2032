import { z } from 'zod';
import { type DefinedEvent, defineEvent } from '../../core/events.ts';
import { Id, LocalDate } from '../../http/schemas.ts';
import { actionItemStatus } from './tables.ts';

// What outside systems are told of rakor action plans (the catalogue: modules/events/catalogue.ts).
// The status enum comes from the table, not schemas.ts, so the catalogue does not reorder the contract.

const ActionStatus = z.enum(actionItemStatus.enumValues);

const Item = { action_item_id: Id, meeting_id: Id, owner_id: Id, due_on: LocalDate };

export const actionItemCreated = defineEvent({
  type: 'rakor_action_item.created.v1',
  part: 'meetings',
  summary: "An agency's promise was added to a coordination meeting's action plan",
  data: z.object({ ...Item, status: ActionStatus }),
});

export const actionItemDone = defineEvent({
  type: 'rakor_action_item.done.v1',
  part: 'meetings',
  summary: "An action item was marked done, on its owner's local date",
  data: z.object({ ...Item, closed_on: LocalDate }),
});

export const actionItemOverdue = defineEvent({
  type: 'rakor_action_item.overdue.v1',
  part: 'meetings',
  summary: "An open action item passed its due date in its owner's time zone (told once per item)",
  data: z.object({ ...Item, status: ActionStatus }),
});

// biome-ignore lint/suspicious/noExplicitAny: events of every data shape
export const COORDINATION_EVENTS: readonly DefinedEvent<any>[] = [actionItemCreated, actionItemDone, actionItemOverdue];

/** An item's meeting place and the organisations taking part: organiser, participants and owner. */
export interface ItemPlace {
  id: string;
  ownerId: string;
  organiserId: string;
  participantIds: readonly string[];
  provinceCode: string;
  regency: string | null;
}

export const itemPlace = (i: ItemPlace) => ({
  subject: { type: 'action_item', id: i.id },
  organisationIds: [i.organiserId, ...i.participantIds, i.ownerId],
  area: { provinceCode: i.provinceCode, regency: i.regency },
});
