import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { readArea } from '../../core/access.ts';
import { decodeCursor, page } from '../../http/pagination.ts';
import { principalOf } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { etag, expectedVersion, performWrite } from '../../http/write.ts';
import {
  Campaign,
  CampaignCreate,
  CampaignListQuery,
  CampaignPage,
  CampaignTotals,
  CampaignTotalsQuery,
  CampaignUpdate,
} from './schemas.ts';
import {
  type CampaignFilter,
  campaignTotals,
  createCampaign,
  getCampaign,
  listCampaigns,
  toCampaignDto,
  updateCampaign,
} from './service.ts';

const tags = ['Beyond the walls (P4GN)'];
const CampaignParams = IdParams('campaignId');

const filterOf = (q: {
  organisation_id?: string | undefined;
  province_code?: string | undefined;
  regency?: string | undefined;
  facility_id?: string | undefined;
  kind?: CampaignFilter['kind'];
  audience_kind?: CampaignFilter['audienceKind'];
  from?: string | undefined;
  to?: string | undefined;
}): CampaignFilter => ({
  organisationId: q.organisation_id,
  provinceCode: q.province_code,
  regency: q.regency,
  facilityId: q.facility_id,
  kind: q.kind,
  audienceKind: q.audience_kind,
  from: q.from,
  to: q.to,
});

export async function campaignRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  r.get(
    '/v1/campaigns',
    {
      schema: {
        tags,
        operationId: 'listCampaigns',
        summary: 'List P4GN campaign events',
        description:
          'Sosialisasi, penyuluhan and joint campaigns the caller reads: administrators and national API clients all; Kanwil and BNNP viewers (and API clients of an organisation) their province; BNN and regional government officers their own area and the events their organisation ran; facility staff and heads the events held inside their facility. Filters: organiser, province, regency, facility, kind, audience kind, period.',
        querystring: CampaignListQuery,
        response: { 200: CampaignPage },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      const rows = await listCampaigns(db, principal, await readArea(db, principal), {
        ...filterOf(q),
        after: decodeCursor(q.cursor),
        limit: q.limit,
      });
      return page(rows, q.limit, (v) => v.campaign.id, toCampaignDto);
    },
  );

  r.post(
    '/v1/campaigns',
    {
      schema: {
        tags,
        operationId: 'createCampaign',
        summary: 'Record a campaign event',
        description:
          "BNN officers and regional government officers record events their organisation ran (it must be one of organiser_ids) in its own area: BNN RI anywhere, a BNNP or provincial government its province, a BNNK or regency/city government its regency; every other organiser they name must work there too (refused ones are named per /organiser_ids/N). Administrators any. held_on may not be still to come at the place. An event inside a facility (facility_id, in the same regency) is recorded by the facility's Kanwil or by a BNN unit whose MoU covering the facility, with socialization in scope, was in force on held_on (an administrator records it with such an organiser among the organisers); to anyone else the facility answers as one that does not exist. It then counts for the facility's scorecard. Honours Idempotency-Key.",
        body: CampaignCreate,
        response: { 201: Campaign },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      return performWrite(request, reply, db, async (change) => {
        const view = await createCampaign(change, principal, request.body, app.now());
        return {
          status: 201,
          body: toCampaignDto(view),
          headers: { location: `/v1/campaigns/${view.campaign.id}`, etag: etag(view.campaign.version) },
        };
      });
    },
  );

  r.get(
    '/v1/campaigns/:campaignId',
    {
      schema: {
        tags,
        operationId: 'getCampaign',
        summary: 'Get a campaign event',
        description: 'One campaign the caller reads (404 otherwise), with its version as ETag.',
        params: CampaignParams,
        response: { 200: Campaign },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const view = await getCampaign(db, principal, await readArea(db, principal), request.params.campaignId);
      reply.header('etag', etag(view.campaign.version));
      return toCampaignDto(view);
    },
  );

  r.patch(
    '/v1/campaigns/:campaignId',
    {
      schema: {
        tags,
        operationId: 'updateCampaign',
        summary: 'Correct a campaign event',
        description:
          'The officers of an organiser (or an administrator) correct what was recorded; the place and facility stay (record the event anew if they were wrong). Organisers added must work where the event was held; a new held_on or new organisers of an event inside a facility are judged against the agreement again, as when recorded. Requires If-Match with the ETag last read (428 without, 412 when stale).',
        params: CampaignParams,
        body: CampaignUpdate,
        response: { 200: Campaign },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const version = expectedVersion(request);
      const area = await readArea(db, principal);
      return performWrite(request, reply, db, async (change) => {
        const view = await updateCampaign(
          change,
          principal,
          area,
          request.params.campaignId,
          version,
          request.body,
          app.now(),
        );
        return { status: 200, body: toCampaignDto(view), headers: { etag: etag(view.campaign.version) } };
      });
    },
  );

  r.get(
    '/v1/campaign-totals',
    {
      schema: {
        tags,
        operationId: 'getCampaignTotals',
        summary: 'Campaign totals per organisation, regency or period',
        description:
          'Events and audience (in all and per audience kind) of the campaigns the caller reads that match the filters, in all and per group: per organiser (a joint event counts once for each organiser, so the groups may add up to more than the total), per regency or city, or per month, quarter or year of the local date held. API clients read these aggregates like the lists.',
        querystring: CampaignTotalsQuery,
        response: { 200: CampaignTotals },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      return campaignTotals(db, principal, await readArea(db, principal), q.group_by, filterOf(q));
    },
  );
}
