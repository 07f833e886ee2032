/**
 * How sensitive each column is. Every column of every table is named in data-classes/, a file for
 * each part of the domain (a test checks it), so a new column is classified when it is added; the
 * classes are described in data-classes/classes.ts.
 * Callers without the personal_data scope get personal columns as null (src/http/personal-data.ts);
 * special-category columns stay visible beside the pseudonym, for oversight and research.
 */
import { ACCESS } from './data-classes/access.ts';
import type { DataClass, TableClasses } from './data-classes/classes.ts';
import { INSPECTIONS } from './data-classes/inspections.ts';
import { ORGANISATIONS } from './data-classes/organisations.ts';
import { P4GN } from './data-classes/p4gn.ts';
import { REGISTERS } from './data-classes/registers.ts';
import { REHAB } from './data-classes/rehab.ts';
import { TRAINING } from './data-classes/training.ts';
import { URINE } from './data-classes/urine.ts';

export type { DataClass } from './data-classes/classes.ts';

export const DATA_CLASSES: Record<string, TableClasses> = {
  ...ORGANISATIONS,
  ...ACCESS,
  ...REGISTERS,
  ...INSPECTIONS,
  ...URINE,
  ...TRAINING,
  ...REHAB,
  ...P4GN,
};

/** The columns of a table that identify a person: hidden from callers without personal_data. */
export function personalColumns(table: string): string[] {
  return DATA_CLASSES[table]?.personal ?? [];
}

export function dataClassOf(table: string, column: string): DataClass | undefined {
  const classes = DATA_CLASSES[table];
  if (!classes) return undefined;
  for (const [name, columns] of Object.entries(classes)) if (columns?.includes(column)) return name as DataClass;
  return undefined;
}
