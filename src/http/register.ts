import type { ImportReportDto } from './import.ts';
import { type FieldTextCode, fieldSentence, type Localized } from './messages.ts';
import { type StampedKeyset, stampedPage } from './pagination.ts';
import { presentPerson, seesPersonalData } from './personal-data.ts';
import type { Principal } from './principal.ts';
import { forbidden, ruleViolated } from './problem.ts';

// What the registers of people (inmates, officers) share on the service side.

/** A rule a register entry breaks, at the field it names. */
export interface RuleError extends Localized {
  pointer: string;
}

export const ruleError = (pointer: string, code: FieldTextCode, params: Record<string, unknown> = {}): RuleError => ({
  pointer,
  ...fieldSentence(code, params),
});

/** The first rule broken is the answer (422 at its field). */
export function throwFirst(errors: RuleError[]): void {
  const first = errors[0];
  if (first) throw ruleViolated(`${first.en}.`, `${first.id}.`, first.pointer);
}

/** Filtering a register by a field that names people needs the personal_data scope (403). */
export function requireSightForFilter(principal: Principal, ...filters: (string | undefined)[]): void {
  if (filters.some(Boolean) && !seesPersonalData(principal)) throw forbidden();
}

/** A page of a register (rows fetched with limit + 1), each person shown as the caller may see them. */
export function peoplePage<R extends { id: string }, T extends Record<string, unknown>>(
  principal: Principal,
  table: string,
  rows: { row: R; at: string | null }[],
  keyset: StampedKeyset,
  toDto: (row: R) => T,
) {
  return stampedPage(
    rows,
    keyset,
    (x) => ({ id: x.row.id, at: x.at }),
    (x) => presentPerson(principal, table, toDto(x.row)),
  );
}

/** What the audit event of an import keeps: the counts, not the rows. */
export function importSummary(report: ImportReportDto) {
  return {
    total: report.total,
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    rejected: report.rejected.length,
  };
}

/** Rows a set-based import writes in one statement. */
export const IMPORT_CHUNK = 1_000;
