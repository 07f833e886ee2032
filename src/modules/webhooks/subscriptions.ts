import { and, asc, eq, gt } from 'drizzle-orm';
import { facilityReach } from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../core/executor.ts';
import { iso, isoNotNull } from '../../http/dto.ts';
import type { RuleName } from '../../http/messages.ts';
import { keysetOf, page } from '../../http/pagination.ts';
import { hasScope, type Principal } from '../../http/principal.ts';
import { forbidden, notFound, refuse } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { getFacility } from '../facilities/service.ts';
import { type DestinationRefusal, refusalOf } from './destination.ts';
import type {
  ListQueryInput,
  WebhookSubscriptionCreateInput,
  WebhookSubscriptionDto,
  WebhookSubscriptionUpdateInput,
} from './schemas.ts';
import { encryptSecret, newSecret } from './secrets.ts';
import { webhookSubscriptions } from './tables.ts';

// An API client's webhook subscriptions, its own alone. The signing secret is shown twice at most
// (when made and when rotated) and kept only encrypted: no answer or audit record holds it.

export type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;

/** What the commands need of the app's settings. */
export interface WebhookSettings {
  /** Encrypts secrets at rest (app.secretsKey). */
  secretsKey: Buffer;
  allowPrivate: boolean;
  overlapHours: number;
}

/** The reason a subscription's own client gives when it disables it. */
export const DISABLED_BY_OWNER = 'by_owner';

const URL_RULES: Record<DestinationRefusal, RuleName> = {
  scheme: 'webhook_url_scheme',
  credentials: 'webhook_url_credentials',
  unresolvable: 'webhook_url_unresolvable',
  private_address: 'webhook_url_private_address',
};

export function toSubscriptionDto(row: SubscriptionRow): WebhookSubscriptionDto {
  return {
    id: row.id,
    url: row.url,
    event_types: row.eventTypes,
    facility_id: row.facilityId,
    description: row.description,
    status: row.status,
    disabled_reason: row.disabledReason,
    disabled_at: iso(row.disabledAt),
    previous_secret_until: iso(row.previousSecretUntil),
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

/** Only an API client granted the webhooks scope keeps subscriptions: anyone else 403. */
export function requireWebhookClient(principal: Principal): Principal {
  if (principal.kind !== 'api_client' || !hasScope(principal, 'webhooks')) throw forbidden();
  return principal;
}

/**
 * The caller's own subscription: 403 without the webhooks scope, and another client's is the
 * same 404 as a missing one. `lock` holds the row until the write's transaction ends.
 */
export async function ownSubscription(
  db: Executor,
  principal: Principal,
  id: string,
  lock = false,
): Promise<SubscriptionRow> {
  requireWebhookClient(principal);
  const query = db
    .select()
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.apiClientId, principal.id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('webhook subscription');
  return row;
}

export async function listSubscriptions(db: Executor, principal: Principal, query: ListQueryInput) {
  requireWebhookClient(principal);
  const { after, limit } = keysetOf(query);
  const rows = await db
    .select()
    .from(webhookSubscriptions)
    .where(
      and(eq(webhookSubscriptions.apiClientId, principal.id), after ? gt(webhookSubscriptions.id, after) : undefined),
    )
    .orderBy(asc(webhookSubscriptions.id))
    .limit(limit + 1);
  return page(rows, limit, (row) => row.id, toSubscriptionDto);
}

export async function readSubscription(db: Executor, principal: Principal, id: string) {
  return toSubscriptionDto(await ownSubscription(db, principal, id));
}

/** A URL webhooks may be sent to, else 422 at /url naming why. */
async function checkUrl(url: string, settings: WebhookSettings): Promise<void> {
  const refusal = await refusalOf(url, settings.allowPrivate);
  if (refusal) refuse('/url', URL_RULES[refusal]);
}

/** A facility the client reaches, else the same 404 as a missing one. */
async function checkFacility(change: Change, principal: Principal, facilityId: string): Promise<void> {
  await getFacility(change.tx, await facilityReach(change.tx, principal, change.now), facilityId);
}

export async function createSubscription(
  change: Change,
  principal: Principal,
  input: WebhookSubscriptionCreateInput,
  settings: WebhookSettings,
): Promise<WebhookSubscriptionDto & { secret: string }> {
  requireWebhookClient(principal);
  if (input.facility_id) await checkFacility(change, principal, input.facility_id);
  await checkUrl(input.url, settings);
  const secret = newSecret();
  const [row] = await change.tx
    .insert(webhookSubscriptions)
    .values({
      apiClientId: principal.id,
      url: input.url,
      eventTypes: input.event_types,
      facilityId: input.facility_id ?? null,
      description: input.description ?? null,
      secret: encryptSecret(settings.secretsKey, secret),
      createdAt: change.now,
      updatedAt: change.now,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  const answer = toSubscriptionDto(row);
  await change.audit({
    action: 'webhook_subscription.created',
    entityType: 'webhook_subscription',
    entityId: row.id,
    facilityId: row.facilityId,
    after: answer,
  });
  return { ...answer, secret };
}

/** `expectedVersion` is read after the scope check (403 before 428). */
export async function updateSubscription(
  change: Change,
  principal: Principal,
  id: string,
  expectedVersion: () => number,
  input: WebhookSubscriptionUpdateInput,
  settings: WebhookSettings,
): Promise<WebhookSubscriptionDto> {
  requireWebhookClient(principal);
  const expected = expectedVersion();
  const before = await ownSubscription(change.tx, principal, id);
  checkVersion(before.version, expected);
  if (input.facility_id) await checkFacility(change, principal, input.facility_id);
  if (input.url !== undefined) await checkUrl(input.url, settings);
  const status = input.status ?? before.status;
  // Re-enabled: the reason goes; disabled now by its owner: the owner's reason. A subscription
  // already disabled keeps the reason it was disabled for.
  const disabled =
    status === 'active'
      ? { disabledReason: null, disabledAt: null }
      : before.status === 'active'
        ? { disabledReason: DISABLED_BY_OWNER, disabledAt: change.now }
        : { disabledReason: before.disabledReason, disabledAt: before.disabledAt };
  const row = await updateVersioned(
    change.tx,
    webhookSubscriptions,
    before,
    {
      url: input.url ?? before.url,
      eventTypes: input.event_types ?? before.eventTypes,
      facilityId: input.facility_id === undefined ? before.facilityId : input.facility_id,
      description: input.description === undefined ? before.description : input.description,
      status,
      ...disabled,
    },
    change.now,
  );
  const answer = toSubscriptionDto(row);
  await change.audit({
    action: 'webhook_subscription.updated',
    entityType: 'webhook_subscription',
    entityId: id,
    facilityId: row.facilityId,
    before: toSubscriptionDto(before),
    after: answer,
  });
  return answer;
}

/**
 * A new secret, shown this once; the one it replaces still signs until the overlap ends, so that
 * the receiver can take the new one without refusing a delivery. A secret kept from an earlier
 * rotation is dropped: two are in force at most.
 */
export async function rotateSecret(
  change: Change,
  principal: Principal,
  id: string,
  settings: WebhookSettings,
): Promise<WebhookSubscriptionDto & { secret: string }> {
  const before = await ownSubscription(change.tx, principal, id, true);
  const secret = newSecret();
  const row = await updateVersioned(
    change.tx,
    webhookSubscriptions,
    before,
    {
      secret: encryptSecret(settings.secretsKey, secret),
      previousSecret: before.secret,
      previousSecretUntil: new Date(change.now.getTime() + settings.overlapHours * 3_600_000),
    },
    change.now,
  );
  const answer = toSubscriptionDto(row);
  await change.audit({
    action: 'webhook_subscription.secret_rotated',
    entityType: 'webhook_subscription',
    entityId: id,
    facilityId: row.facilityId,
    before: toSubscriptionDto(before),
    after: answer,
  });
  return { ...answer, secret };
}

/** Gone with its deliveries and their attempts; the audit trail keeps what it was. */
export async function deleteSubscription(change: Change, principal: Principal, id: string): Promise<void> {
  const before = await ownSubscription(change.tx, principal, id, true);
  await change.tx.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  await change.audit({
    action: 'webhook_subscription.deleted',
    entityType: 'webhook_subscription',
    entityId: id,
    facilityId: before.facilityId,
    before: toSubscriptionDto(before),
  });
}
