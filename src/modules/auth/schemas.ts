import { z } from 'zod';
import { Id, PageQuery, pageOf, Timestamp, text, UpdatedSince } from '../../http/schemas.ts';

export const Role = z.enum([
  'admin',
  'regional_viewer',
  'facility_staff',
  'facility_head',
  'bnn_officer',
  'regional_government_officer',
]);
export const ApiScope = z.enum(['read', 'personal_data', 'audit', 'webhooks']).meta({
  description:
    'read: the records in reach; personal_data: names, birth dates and registration numbers; audit: the audit trail; webhooks: its own webhook subscriptions',
});

/** The cookie that carries a browser's refresh token, sent back only to the token and revoke endpoints. */
export const REFRESH_COOKIE = 'bersinar_refresh';

export const RefreshTokenDelivery = z.enum(['body', 'cookie']).meta({
  description: `body (the default): refresh_token in the answer; cookie: in an HttpOnly, Secure, SameSite=Strict cookie ${REFRESH_COOKIE} with Path=/v1/auth, not in the answer (needs X-Requested-With)`,
});

/** Asked of a request of the cookie form (CSRF): a header no cross-site form post can send. */
export const CookieFormHeaders = z.looseObject({
  'x-requested-with': z
    .string()
    .max(100)
    .optional()
    .meta({
      description: `Any value; required when the ${REFRESH_COOKIE} cookie is asked for or read, which no cross-site form can do`,
      examples: ['fetch'],
    }),
});

/** The cookie, as the contract declares it (fastify does not validate cookies: the route reads it). */
export const refreshCookieParameter = {
  type: 'object',
  properties: {
    [REFRESH_COOKIE]: {
      type: 'string',
      description:
        'The refresh token of the cookie form (HttpOnly, Secure, SameSite=Strict, Path=/v1/auth); read only when the body has no token',
    },
  },
} as const;

/** The Set-Cookie an answer of the cookie form carries, as the contract declares it. */
export const refreshCookieHeader = (what: string, value: string, maxAge: number) => ({
  'Set-Cookie': {
    type: 'string',
    description: what,
    examples: [`${REFRESH_COOKIE}=${value}; Max-Age=${maxAge}; Path=/v1/auth; HttpOnly; Secure; SameSite=Strict`],
  },
});

export const TokenRequest = z
  .discriminatedUnion('grant_type', [
    z.strictObject({
      grant_type: z.literal('password'),
      username: z.string().min(1).max(100),
      password: z.string().min(1).max(200),
      refresh_token_delivery: RefreshTokenDelivery.optional(),
    }),
    z.strictObject({
      grant_type: z.literal('client_credentials'),
      client_id: z.string().min(1).max(100),
      client_secret: z.string().min(1).max(200),
      scope: z.string().max(200).optional(),
    }),
    z.strictObject({
      grant_type: z.literal('refresh_token'),
      refresh_token: z
        .string()
        .min(1)
        .max(300)
        .optional()
        .meta({
          description: `Absent: the ${REFRESH_COOKIE} cookie is read and the next one answered as a cookie (needs X-Requested-With)`,
        }),
    }),
  ])
  .meta({
    id: 'TokenRequest',
    description: 'OAuth 2.0 token request, as JSON or application/x-www-form-urlencoded',
    examples: [{ grant_type: 'password', username: 'staff.banjarnegara', password: 'bersinar-demo-2026' }],
  });

export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    refresh_token: z.string().optional(),
    scope: z.string(),
  })
  .meta({
    id: 'TokenResponse',
    examples: [
      {
        access_token: 'eyJhbGciOiJFUzI1NiIsImtpZCI6Ii4uLiJ9.eyJzdWIiOiIuLi4ifQ.c2ln',
        token_type: 'Bearer',
        expires_in: 900,
        refresh_token: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c11.c2VjcmV0',
        scope: 'read write personal_data',
      },
    ],
  });

export const RevokeRequest = z
  .strictObject({
    token: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .meta({ description: `Absent: the ${REFRESH_COOKIE} cookie is revoked and cleared (needs X-Requested-With)` }),
    token_type_hint: z.literal('refresh_token').optional(),
  })
  .meta({ id: 'RevokeRequest', examples: [{ token: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c11.c2VjcmV0' }] });
export const RevokeResponse = z.object({ revoked: z.boolean() }).meta({ examples: [{ revoked: true }] });

export const Me = z
  .object({
    kind: z.enum(['user', 'api_client']),
    id: z.string(),
    role: z.enum([...Role.options, 'api_client']),
    organisation_id: Id.nullable(),
    facility_id: Id.nullable(),
    scopes: z.array(z.string()),
    facility_ids: z.array(Id).nullable().meta({ description: 'Facilities in reach; null means all' }),
  })
  .meta({
    id: 'Me',
    examples: [
      {
        kind: 'user',
        id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
        role: 'facility_staff',
        organisation_id: null,
        facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
        scopes: ['read', 'write', 'personal_data'],
        facility_ids: ['01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e'],
      },
    ],
  });

export const User = z
  .object({
    id: Id,
    username: z.string(),
    display_name: z.string(),
    role: Role,
    organisation_id: Id.nullable(),
    facility_id: Id.nullable(),
    active: z.boolean(),
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({
    id: 'User',
    examples: [
      {
        id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
        username: 'staff.banjarnegara',
        display_name: 'Staf Rutan Banjarnegara',
        role: 'facility_staff',
        organisation_id: null,
        facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
        active: true,
        version: 1,
        created_at: '2024-12-13T02:30:00.000Z',
        updated_at: '2024-12-13T02:30:00.000Z',
      },
    ],
  });

const Password = z.string().min(12).max(200).meta({ description: 'At least 12 characters' });

export const UserCreate = z
  .strictObject({
    username: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/)
      .meta({ description: 'Lower case letters, digits, dot, dash, underscore' }),
    display_name: text({ min: 2, max: 200 }),
    password: Password,
    role: Role,
    organisation_id: Id.optional(),
    facility_id: Id.optional(),
  })
  .meta({
    id: 'UserCreate',
    examples: [
      {
        username: 'staff2.banjarnegara',
        display_name: 'Staf Registrasi',
        password: 'kata-sandi-yang-panjang',
        role: 'facility_staff',
        facility_id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
      },
    ],
  });

export const UserUpdate = z
  .strictObject({
    display_name: text({ min: 2, max: 200 }).optional(),
    password: Password.optional(),
    active: z.boolean().optional(),
  })
  .meta({ id: 'UserUpdate', examples: [{ active: false }] });

export const UserListQuery = z.strictObject({
  role: Role.optional(),
  facility_id: Id.optional(),
  organisation_id: Id.optional(),
  ...PageQuery,
  updated_since: UpdatedSince,
});
export const UserPage = pageOf(User).meta({ id: 'UserPage' });

export const Colleague = z
  .object({
    id: Id,
    display_name: z.string(),
    role: Role,
  })
  .meta({
    id: 'Colleague',
    description: "Another user of the caller's organisation or facility, as far as a colleague needs to know them",
    examples: [
      { id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12', display_name: 'Karutan Banjarnegara', role: 'facility_head' },
    ],
  });

export const ColleagueListQuery = z.strictObject({
  role: Role.optional(),
  q: text({ min: 1, max: 100 }).optional().meta({ description: 'Part of the display name, any case' }),
  ...PageQuery,
  updated_since: UpdatedSince,
  // The cursor carries the last name seen, so it is longer than an id cursor.
  cursor: z.string().max(1200).optional().meta({ description: 'next_cursor of the previous page' }),
});
export const ColleaguePage = pageOf(Colleague).meta({ id: 'ColleaguePage' });

const apiClientExample = {
  id: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c13',
  client_id: 'dashboard.kemenimipas',
  name: 'Dasbor Kementerian',
  scopes: ['read'],
  organisation_id: null,
  active: true,
  version: 1,
  created_at: '2024-12-13T02:30:00.000Z',
  updated_at: '2024-12-13T02:30:00.000Z',
};

export const ApiClient = z
  .object({
    id: Id,
    client_id: z.string(),
    name: z.string(),
    scopes: z.array(ApiScope),
    organisation_id: Id.nullable(),
    active: z.boolean(),
    version: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'ApiClient', examples: [apiClientExample] });

export const ApiClientCreated = ApiClient.extend({
  client_secret: z.string().meta({ description: 'Shown once, at creation; only its hash is kept' }),
}).meta({ id: 'ApiClientCreated', examples: [{ ...apiClientExample, client_secret: 'b64url-secret' }] });

export const ApiClientCreate = z
  .strictObject({
    client_id: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/),
    name: text({ min: 2, max: 200 }),
    scopes: z.array(ApiScope).min(1),
    organisation_id: Id.optional().meta({ description: "Limits the client to that organisation's province" }),
  })
  .meta({
    id: 'ApiClientCreate',
    examples: [{ client_id: 'dashboard.kemenimipas', name: 'Dasbor Kementerian', scopes: ['read'] }],
  });

export const ApiClientUpdate = z
  .strictObject({
    name: text({ min: 2, max: 200 }).optional(),
    scopes: z.array(ApiScope).min(1).optional(),
    active: z.boolean().optional(),
  })
  .meta({ id: 'ApiClientUpdate', examples: [{ active: false }] });

export const ApiClientPage = pageOf(ApiClient).meta({ id: 'ApiClientPage' });
export const ListQuery = z.strictObject({ ...PageQuery, updated_since: UpdatedSince });

export type TokenRequestInput = z.infer<typeof TokenRequest>;
export type RefreshTokenDeliveryValue = z.infer<typeof RefreshTokenDelivery>;
export type TokenResponseDto = z.infer<typeof TokenResponse>;
export type UserDto = z.infer<typeof User>;
export type ColleagueDto = z.infer<typeof Colleague>;
export type ApiClientDto = z.infer<typeof ApiClient>;
export type UserListQueryInput = z.infer<typeof UserListQuery>;
export type ColleagueListQueryInput = z.infer<typeof ColleagueListQuery>;
export type ListQueryInput = z.infer<typeof ListQuery>;

/** One array for every operation of the module: the contract names it once and refers to it. */
export const tags = ['Access'];
