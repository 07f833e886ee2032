import { LRUCache } from 'lru-cache';
import { localDate, type Period } from '../../core/calendar/index.ts';
import { type Executor, queryRows, sql } from '../../db/client.ts';
import type { IndicatorCode } from './indicators.ts';
import { type Measures, measure, type RecordLink, recordsBehind } from './measures.ts';
import type { FacilityClock } from './predicates.ts';

/**
 * The scorecard's figures of each facility, kept in this process for as long as they hold: under
 * the facility's data version (moved by the database in every transaction that writes a row the
 * figures read, see migration facility_data_versions) and the global one, for one period and one
 * local date of the facility (a new day moves "today", the end of a running period and the due
 * dates judged). The versions are read in one query before the figures, from the database the
 * figures are read from: a write racing the read can only leave newer figures under an older
 * version, which the next read finds moved and computes again. Several processes each keep their
 * own; the version check in the database keeps them all true.
 *
 * Kept: the counts (the rules turn them into a scorecard per request, so that a configuration
 * change needs no invalidation) and, per indicator, the records behind it as ids and links
 * (whether a caller may follow them is judged per request).
 */

/** The global version's row: moved by what names no facility (a TRUNCATE). */
const GLOBAL = '00000000-0000-0000-0000-000000000000';

/** How many facility-periods are kept, counting each record link kept beside them as one more. */
const MAX_SIZE = 200_000;

interface Entry {
  stamp: string;
  measures: Measures;
  records: Map<IndicatorCode, RecordLink[]>;
}

export interface Figures {
  measures: Map<string, Measures>;
  /** The versions each facility's figures were read under, to keep its records under. */
  stamps: Map<string, string>;
}

export class FiguresCache {
  private readonly kept = new LRUCache<string, Entry>({
    maxSize: MAX_SIZE,
    sizeCalculation: (e) => 1 + [...e.records.values()].reduce((n, r) => n + r.length, 0),
  });
  /**
   * Reads under way, by key and stamp: a request finding one joins it rather than reading the same
   * figures again (as all the requests do together after a write or a new day). Joining is safe:
   * both read the same stamp, so no write to the facility committed before either looked.
   */
  private readonly reading = new Map<string, Promise<unknown>>();

  private share<T>(key: string, read: () => Promise<T>): Promise<T> {
    const under = this.reading.get(key);
    if (under) return under as Promise<T>;
    const started = read();
    this.reading.set(key, started);
    const done = () => this.reading.delete(key);
    started.then(done, done);
    return started;
  }

  private key(f: FacilityClock, period: Period, now: Date, trainingMonths: number) {
    return `${f.id} ${f.timezone} ${period.code} ${localDate(now, f.timezone)} ${trainingMonths}`;
  }

  /**
   * Each facility's stamp, in one query: its data version, the global one, and the versions
   * table's own identity. A restore in place recreates the table with the versions of its backup
   * (its rows are loaded before the triggers exist), so the same numbers could name other figures;
   * the new table's oid tells them apart.
   */
  async stamps(db: Executor, ids: string[]): Promise<Map<string, string>> {
    const rows = await queryRows<{ id: string; version: string }>(
      db,
      sql`SELECT facility_id::text AS id, version::text AS version FROM facility_data_versions
           WHERE facility_id = ANY(${sql.param([...ids, GLOBAL])}::uuid[])
          UNION ALL SELECT 'table', 'facility_data_versions'::regclass::oid::text`,
    );
    const versions = new Map(rows.map((r) => [r.id, r.version]));
    const global = `${versions.get(GLOBAL) ?? '0'}/${versions.get('table')}`;
    return new Map(ids.map((id) => [id, `${versions.get(id) ?? '0'}/${global}`]));
  }

  /** The figures of the facilities: those kept under their current stamp, the others read in one set. */
  async measures(
    db: Executor,
    facilities: FacilityClock[],
    period: Period,
    now: Date,
    trainingMonths: number,
  ): Promise<Figures> {
    const stamps = await this.stamps(
      db,
      facilities.map((f) => f.id),
    );
    const result = new Map<string, Measures>();
    const missing: FacilityClock[] = [];
    for (const f of facilities) {
      const entry = this.kept.get(this.key(f, period, now, trainingMonths));
      if (entry && entry.stamp === stamps.get(f.id)) result.set(f.id, entry.measures);
      else missing.push(f);
    }
    // Those already being read are joined; the rest are read together, in one set.
    const under = (f: FacilityClock) => `${this.key(f, period, now, trainingMonths)}@${stamps.get(f.id)}`;
    const fresh = missing.filter((f) => !this.reading.has(under(f)));
    const set = fresh.length ? measure(db, fresh, period, now, trainingMonths) : undefined;
    const pending = missing.map((f) =>
      this.share(under(f), async () => {
        const m = (await (set as Promise<Map<string, Measures>>)).get(f.id) as Measures;
        this.kept.set(this.key(f, period, now, trainingMonths), {
          stamp: stamps.get(f.id) as string,
          measures: m,
          records: new Map(),
        });
        return m;
      }),
    );
    const read = await Promise.all(pending);
    missing.forEach((f, i) => {
      result.set(f.id, read[i] as Measures);
    });
    return { measures: result, stamps };
  }

  /** The records behind an indicator of a facility, kept beside its figures of the same stamp. */
  async records(
    db: Executor,
    facility: FacilityClock,
    period: Period,
    now: Date,
    code: IndicatorCode,
    trainingMonths: number,
    stamp: string,
  ): Promise<RecordLink[]> {
    const key = this.key(facility, period, now, trainingMonths);
    const kept = this.kept.get(key);
    const links = kept?.stamp === stamp ? kept.records.get(code) : undefined;
    if (links) return links;
    return this.share(`${key}@${stamp}/${code}`, async () => {
      const read = await recordsBehind(db, facility, period, now, code, trainingMonths);
      // Read after the stamp, so at least as new as it; kept only while the entry is still of that stamp.
      const entry = this.kept.get(key);
      if (entry && entry.stamp === stamp) {
        entry.records.set(code, read);
        this.kept.set(key, entry);
      }
      return read;
    });
  }
}
