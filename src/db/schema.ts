// Every table, for drizzle's typed client and for drizzle-kit.
export * from '../modules/audit/tables.ts';
export * from '../modules/auth/tables.ts';
export * from '../modules/campaigns/tables.ts';
export * from '../modules/compliance/tables.ts';
export * from '../modules/coordination/tables.ts';
export * from '../modules/events/tables.ts';
export * from '../modules/facilities/tables.ts';
export * from '../modules/inmates/tables.ts';
export * from '../modules/inspections/tables.ts';
export * from '../modules/kotan/tables.ts';
export * from '../modules/mous/tables.ts';
export * from '../modules/officers/tables.ts';
export * from '../modules/organisations/tables.ts';
export * from '../modules/rehab/tables.ts';
export * from '../modules/trainings/tables.ts';
export * from '../modules/urine/tables.ts';
export * from './tables.ts';
