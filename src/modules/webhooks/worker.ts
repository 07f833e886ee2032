import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { HOUR_MS } from '../../core/chores.ts';
import { queryRows } from '../../core/executor.ts';
import { nextDue, SEND_BATCH, sendDue } from './delivery.ts';
import { dispatchEvents } from './dispatch.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** One round of webhook work: the events since the last fanned out, then what is due sent. */
    deliverWebhooks(): Promise<{ dispatched: number; sent: number }>;
    /** Asks the background sender for a round soon (a ping or a redelivery made due now). */
    wakeWebhooks(): void;
  }
}

/** The slowest the sender ever sleeps: a notification lost on the way still gets sent after this. */
const SAFETY_POLL_MS = 60_000;
/** After a round that failed (the database away), how long before the next. */
const AFTER_FAILURE_MS = 5_000;

/**
 * Fans events out to subscriptions and sends what is due, outside the request path: woken by the
 * NOTIFY each committed event raises and at the next retry due, with a slow poll as a safety net.
 */
export async function deliveryWorker(app: FastifyInstance) {
  const settings = {
    secretsKey: app.secretsKey,
    allowPrivate: app.config.WEBHOOK_ALLOW_PRIVATE,
    timeoutMs: app.config.WEBHOOK_TIMEOUT_MS,
    now: () => app.now(),
  };

  // The log is kept as long as the events it tells of.
  app.addChore({
    name: 'webhook-deliveries-prune',
    everyMs: HOUR_MS,
    run: async (change) => {
      const keptFrom = new Date(change.now.getTime() - app.config.EVENT_RETENTION_DAYS * 86_400_000);
      const gone = await queryRows(
        change.tx,
        sql`DELETE FROM webhook_deliveries WHERE status <> 'pending' AND completed_at < ${keptFrom} RETURNING 1`,
      );
      return gone.length;
    },
  });

  const round = async () => {
    const fanned = await dispatchEvents(app.db, app.now());
    let sent = 0;
    for (;;) {
      const tried = await sendDue(app.db, settings);
      sent += tried;
      if (tried < SEND_BATCH) break;
    }
    return { dispatched: fanned.created, sent, more: fanned.more };
  };

  app.decorate('deliverWebhooks', async () => {
    const { dispatched, sent } = await round();
    return { dispatched, sent };
  });

  let wake: () => void = () => undefined;
  app.decorate('wakeWebhooks', () => wake());

  const enabled = app.config.WEBHOOK_WORKER ?? app.config.NODE_ENV !== 'test';
  const listen = app.database.listen?.bind(app.database);
  if (!enabled || !listen) return;

  let stopped = false;
  let asked = true;
  let timer: NodeJS.Timeout | undefined;
  let resolveSleep: (() => void) | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let loop: Promise<void> | undefined;

  wake = () => {
    asked = true;
    resolveSleep?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      resolveSleep = resolve;
      timer = setTimeout(resolve, Math.max(0, ms));
    }).finally(() => {
      clearTimeout(timer);
      resolveSleep = undefined;
    });

  const run = async () => {
    while (!stopped) {
      let waitMs = SAFETY_POLL_MS;
      if (asked) {
        asked = false;
        try {
          const done = await round();
          if (done.more) asked = true;
          const due = await nextDue(app.db);
          if (due) waitMs = Math.min(waitMs, due.getTime() - app.now().getTime());
          if (done.dispatched + done.sent > 0) app.log.debug({ ...done }, 'webhook round');
        } catch (err) {
          app.log.warn({ err }, 'webhook round failed');
          waitMs = AFTER_FAILURE_MS;
        }
      }
      if (stopped || asked) continue;
      await sleep(waitMs);
      asked = true;
    }
  };

  app.addHook('onReady', async () => {
    try {
      unlisten = await listen('domain_events', wake);
    } catch (err) {
      // Without the notifications the safety poll still sends, only later.
      app.log.warn({ err }, 'webhook sender cannot listen for events');
    }
    loop = run();
  });
  app.addHook('onClose', async () => {
    stopped = true;
    resolveSleep?.();
    await unlisten?.();
    await loop;
  });
}
