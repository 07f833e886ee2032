import { until } from './processes.ts';

// The sweep of the replicas test: due work arranged in the database before the processes start,
// and the wait until both have run their chores.

// biome-ignore lint/suspicious/noExplicitAny: rows, read as the test checks them
type Rows = <T = Record<string, any>>(query: string, params?: unknown[]) => Promise<T[]>;

/**
 * Work the chores will find due: tests to open cases for, cases to tell overdue, every chore due.
 * Answers them, the chores' names, the last event's position and the database's time before.
 */
export async function arrangeDueWork(rows: Rows) {
  // Due work: negatives of the demo become presumptive positives left unconfirmed past the
  // window, and the demo's open cases fall past their assessment due date.
  const tests = (
    await rows<{ id: string }>(
      `UPDATE urine_tests t
          SET outcome = 'presumptive_positive', confirmation = 'pending',
              collected_at = t.collected_at - interval '40 days',
              classes = (SELECT classes FROM urine_tests WHERE outcome = 'presumptive_positive' LIMIT 1)
        WHERE t.id IN (SELECT u.id FROM urine_tests u
                        WHERE u.outcome = 'negative'
                          AND NOT EXISTS (SELECT 1 FROM follow_up_cases c WHERE c.test_id = u.id)
                        ORDER BY u.id LIMIT 6)
        RETURNING t.id::text`,
    )
  ).map((r) => r.id);
  const overdue = (
    await rows<{ id: string }>(
      `UPDATE follow_up_cases SET assessment_due = current_date - 3
        WHERE status = 'awaiting_assessment' RETURNING id::text`,
    )
  ).map((r) => r.id);
  await rows(`UPDATE chore_runs SET last_run_at = '-infinity'`);
  const chores = (await rows<{ name: string }>('SELECT name FROM chore_runs')).map((r) => r.name);
  const [{ from }] = (await rows<{ from: string }>('SELECT max(position)::text AS from FROM domain_events')) as [
    { from: string },
  ];
  const [{ since }] = (await rows<{ since: Date }>('SELECT now() AS since')) as [{ since: Date }];

  return { tests, overdue, chores, from, since };
}

/** Until every chore has run since `since`, and then no statement of the processes still runs. */
export async function choresSettled(rows: Rows, since: Date) {
  // Every chore taken by one of them, and then no statement of theirs still running.
  await until('every chore to have run', async () => {
    const [due] = await rows<{ n: number }>('SELECT count(*)::int AS n FROM chore_runs WHERE last_run_at < $1', [
      since,
    ]);
    return due?.n === 0 ? true : undefined;
  });
  await until('the processes to be idle', async () => {
    const [busy] = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND backend_type = 'client backend' AND state <> 'idle'`,
    );
    return busy?.n === 0 ? true : undefined;
  });
}
