// What other modules ask of the events: who may be told of which (the webhooks fan-out), and an
// event as a reader is told of it.
export { presentEvents, type StoredEvent } from './feed.ts';
export { visibleEvents } from './visibility.ts';
