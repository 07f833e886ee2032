import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { createCampaign, listCampaigns, readCampaign, updateCampaign } from './campaigns.ts';
import {
  Campaign,
  CampaignCreate,
  CampaignListQuery,
  CampaignPage,
  CampaignTotals,
  CampaignTotalsQuery,
  CampaignUpdate,
} from './schemas.ts';
import { campaignTotals } from './totals.ts';

const tags = ['Beyond the walls (P4GN)'];
const CampaignParams = IdParams('campaignId');

/** Campaigns: each route its schema and one service command. */
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
    async (request) => listCampaigns(db, principalOf(request), request.query),
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
    async (request, reply) =>
      performWrite(request, reply, db, async (change) => {
        const body = await createCampaign(change, principalOf(request), request.body, app.now());
        return { status: 201, body, headers: { location: `/v1/campaigns/${body.id}` } };
      }),
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
    async (request) => readCampaign(db, principalOf(request), request.params.campaignId),
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
      const version = expectedVersion(request);
      return performWrite(request, reply, db, async (change) => ({
        status: 200,
        body: await updateCampaign(
          change,
          principalOf(request),
          request.params.campaignId,
          version,
          request.body,
          app.now(),
        ),
      }));
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
    async (request) => campaignTotals(db, principalOf(request), request.query),
  );
}
