/**
 * How sensitive a column is:
 * - personal: identifies a person (names, usernames, birth dates, registration numbers);
 * - special: special-category data (health, test results, case type);
 * - secret: credentials, never shown or logged;
 * - held: may carry copies of personal or special data (audit trails, stored answers).
 */
export type DataClass = 'none' | 'personal' | 'special' | 'secret' | 'held';
/** The columns of one table, by class. */
export type TableClasses = Partial<Record<DataClass, string[]>>;

/** A table's columns by class: every table names its unclassified columns too, as `none`. */
export const classes = (columns: Partial<Record<Exclude<DataClass, 'none'>, string[]>> & { none: string[] }) => columns;
