// Who may sign in and what the service keeps of its own: users, API clients, tokens, the audit
// trail, stored answers, the outbox of domain events and the chores' bookkeeping.
import { classes, type TableClasses } from './classes.ts';

export const ACCESS: Record<string, TableClasses> = {
  users: classes({
    personal: ['username', 'display_name'],
    secret: ['password_hash'],
    none: ['id', 'role', 'organisation_id', 'facility_id', 'active', 'created_at', 'updated_at', 'version'],
  }),
  api_clients: classes({
    secret: ['secret_hash'],
    none: ['id', 'client_id', 'name', 'scopes', 'organisation_id', 'active', 'created_at', 'updated_at', 'version'],
  }),
  refresh_tokens: classes({
    secret: ['secret_hash'],
    none: ['id', 'family_id', 'user_id', 'expires_at', 'spent_at', 'revoked_at', 'created_at'],
  }),
  audit_events: classes({
    held: ['before', 'after'],
    none: [
      'seq',
      'id',
      'occurred_at',
      'actor_type',
      'actor_id',
      'actor_role',
      'action',
      'entity_type',
      'entity_id',
      'facility_id',
      'request_id',
      'prev_hash',
      'hash',
    ],
  }),
  // The chain's last link and what each partition held when last verified: seq numbers and hashes.
  audit_chain_head: classes({ none: ['one', 'seq', 'id', 'hash'] }),
  audit_checkpoints: classes({ none: ['partition', 'last_seq', 'last_id', 'last_hash', 'events', 'verified_at'] }),
  idempotency_keys: classes({
    held: ['response_body'],
    none: ['principal', 'key', 'request_hash', 'response_status', 'response_headers', 'created_at', 'expires_at'],
  }),
  // Events carry ids and what changed (a test's outcome among them), never a name: people are
  // referred to by id and named only when read with personal_data.
  domain_events: classes({
    special: ['data'],
    none: [
      'position',
      'id',
      'type',
      'occurred_at',
      'part',
      'subject_type',
      'subject_id',
      'facility_ids',
      'organisation_ids',
      'province_code',
      'regency',
      'people',
    ],
  }),
  event_marks: classes({ none: ['key', 'marked_at'] }),
  chore_runs: classes({ none: ['name', 'last_run_at'] }),
  webhook_subscriptions: classes({
    secret: ['secret', 'previous_secret'],
    none: [
      'id',
      'api_client_id',
      'url',
      'event_types',
      'facility_id',
      'description',
      'previous_secret_until',
      'status',
      'disabled_reason',
      'disabled_at',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  webhook_deliveries: classes({
    none: [
      'id',
      'subscription_id',
      'event_id',
      'event_type',
      'status',
      'attempts',
      'next_attempt_at',
      'locked_until',
      'created_at',
      'last_attempt_at',
      'completed_at',
    ],
  }),
  // A receiver's answer may echo what it was sent.
  webhook_attempts: classes({
    held: ['response_excerpt'],
    none: ['id', 'delivery_id', 'attempted_at', 'status_code', 'error', 'latency_ms'],
  }),
  webhook_dispatch: classes({ none: ['name', 'position'] }),
};
