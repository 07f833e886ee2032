import type { DefinedEvent } from '../../core/events.ts';

// What outside systems are told of this part of the record (the catalogue: modules/events/catalogue.ts).

// biome-ignore lint/suspicious/noExplicitAny: events of every data shape
export const CAMPAIGN_EVENTS: readonly DefinedEvent<any>[] = [];
