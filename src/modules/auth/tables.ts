import { sql } from 'drizzle-orm';
import { boolean, check, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { facilities } from '../facilities/tables.ts';
import { organisations } from '../organisations/tables.ts';

export const userRole = pgEnum('user_role', [
  'admin',
  'regional_viewer',
  'facility_staff',
  'facility_head',
  'bnn_officer',
  'regional_government_officer',
]);

// Staff who sign in with a password. Facility roles belong to a facility; the others to an organisation.
export const users = pgTable(
  'users',
  {
    id: idColumn(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(), // personal data
    passwordHash: text('password_hash').notNull(), // secret
    role: userRole('role').notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    facilityId: uuid('facility_id').references(() => facilities.id),
    active: boolean('active').notNull().default(true),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('users_username_key').on(t.username),
    check(
      'users_affiliation_ck',
      sql`CASE ${t.role}
        WHEN 'admin' THEN true
        WHEN 'facility_staff' THEN ${t.facilityId} IS NOT NULL
        WHEN 'facility_head' THEN ${t.facilityId} IS NOT NULL
        ELSE ${t.organisationId} IS NOT NULL END`,
    ),
  ],
);

// Outside systems that read with client credentials, limited by scopes.
export const apiClients = pgTable(
  'api_clients',
  {
    id: idColumn(),
    clientId: text('client_id').notNull(),
    name: text('name').notNull(),
    secretHash: text('secret_hash').notNull(), // secret
    scopes: text('scopes').array().notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    active: boolean('active').notNull().default(true),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [uniqueIndex('api_clients_client_id_key').on(t.clientId)],
);

// Rotating refresh tokens: each use spends one and issues the next in the same family.
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: idColumn(),
    familyId: uuid('family_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    secretHash: text('secret_hash').notNull(), // secret
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    spentAt: timestamp('spent_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('refresh_tokens_family_idx').on(t.familyId), index('refresh_tokens_user_idx').on(t.userId)],
);
