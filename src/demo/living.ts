import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { SeedResult } from '../db/seed.ts';
import type { SigningKey } from '../http/keys.ts';
import { demoCaller, type LivingDemo } from './context.ts';
import { draftInspection, signedOffInspection } from './inspections.ts';
import { campaign, kotan, rakor } from './p4gn.ts';
import { byRegistration, registers } from './registers.ts';
import { rehabAttendance, rehabProgramme } from './rehab.ts';
import { officerTraining } from './training.ts';
import { inmateRound, officerRound } from './urine.ts';

/**
 * The living demo: a small Rutan/Lapas world on top of the minimal seed, made through the public API
 * as the demo users would, so every rule of the service holds in it. The service's clock is moved to
 * the day each thing happened; every date is counted back from today, so the demo looks alive
 * whenever it is loaded. The content is the same on every load (a seeded generator): each part of
 * the world has its file here, called in the order below, since the generator's draws run in it.
 */

export type { LivingDemo } from './context.ts';

export async function loadLivingDemo(deps: {
  config: Config;
  database: Database;
  signingKey: SigningKey;
  password: string;
  world: SeedResult;
  /** The real now; the demo's dates count back from it. */
  today?: Date;
}): Promise<LivingDemo> {
  const startedAt = performance.now();
  const realNow = deps.today ?? new Date();
  const clock = { now: realNow };
  const app = await buildApp({
    // The loader is one busy caller: no limits of a shared service, no logs of its own.
    config: {
      ...deps.config,
      LOG_LEVEL: 'silent',
      AUTH_RATE_LIMIT_MAX: 1_000_000,
      API_RATE_LIMIT_MAX: 1_000_000,
      MAX_EVENT_LOOP_DELAY_MS: 0,
    },
    database: deps.database,
    signingKey: deps.signingKey,
    clock: () => clock.now,
  });
  try {
    await app.ready();
    const d = demoCaller(app, clock, { password: deps.password, world: deps.world, realNow });

    const people = await registers(d);
    // Banjarnegara's stories cast its inmates in a stable order.
    const held = byRegistration(people.inmates.banjarnegara);
    const programme = await rehabProgramme(d, held);
    await signedOffInspection(d, held);
    const confirmedPositive = await inmateRound(d, held);
    await rehabAttendance(d, programme, confirmedPositive);
    await draftInspection(d);
    // Kupang (WITA): officer training a month ago with certificates, a campaign, a rakor, KOTAN.
    await officerTraining(d, people.officers);
    await campaign(d);
    await officerRound(d, people.officers);
    await rakor(d);
    await kotan(d);

    const banjarnegara = d.facilities.banjarnegara as string;
    d.summary.followUpCases = (
      await d.call('GET', `/v1/follow-up-cases?facility_id=${banjarnegara}&limit=50`, 'admin')
    ).data.length;
    d.summary.ms = Math.round(performance.now() - startedAt);
    return d.summary;
  } finally {
    await app.close();
  }
}
