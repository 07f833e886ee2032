import { areaOf, facilityAgreements, keeps, NOBODY, sameRegency, withinArea } from '../../core/access.ts';
import { localDate } from '../../core/calendar/index.ts';
import { provinceTimeZone } from '../../core/provinces.ts';
import type { Executor } from '../../db/client.ts';
import { type RuleName, ruleSentence } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { Problem, refuse } from '../../http/problem.ts';
import { findFacilities } from '../facilities/service.ts';
import { namedOrganisations } from '../organisations/service.ts';
import type { CampaignView } from './dto.ts';

// The rules a campaign is recorded and corrected under: who organised it, where, and when.

export type Place = { provinceCode: string; regency: string; facilityId: string | null };

/** A campaign is kept by administrators and the officers of its organisers. */
export const mayManage = (principal: Principal, view: CampaignView) =>
  keeps(
    principal,
    view.organisers.map((o) => o.id),
  );

/**
 * The organisers exist and, unless an administrator records, the caller speaks for one of them,
 * writing in its own area, and every other organiser it names (`named`) works where the event was
 * held too: a caller may not lend an event to an organisation of another place.
 */
export async function checkOrganisers(
  db: Executor,
  principal: Principal,
  place: Place,
  organiserIds: string[],
  named: string[],
): Promise<void> {
  const found = await namedOrganisations(db, organiserIds, '/organiser_ids');
  if (principal.role === 'admin') return;
  const own = found.find((o) => o.id === principal.organisationId);
  if (!own) {
    refuse('/organiser_ids', 'campaign_own_organisation_one_organisers');
  }
  if (!withinArea(areaOf(own), place)) {
    refuse('/regency', 'campaign_place_outside_area');
  }
  const elsewhere = found.flatMap((o, n) =>
    o.id !== own.id && named.includes(o.id) && !withinArea(areaOf(o), place) ? [{ o, n }] : [],
  );
  if (elsewhere.length) {
    const names = elsewhere.map(({ o }) => o.name).join(', ');
    throw new Problem(
      422,
      'rule_violated',
      { rule: 'campaign_co_organisers_elsewhere' satisfies RuleName, names },
      {
        errors: elsewhere.map(({ o, n }) => ({
          in: 'body' as const,
          pointer: `/organiser_ids/${n}`,
          detail: ruleSentence('campaign_co_organiser_elsewhere', { name: o.name, regency: place.regency }),
        })),
      },
    );
  }
}

/**
 * A campaign inside a facility lies in the facility's regency and is under an agreement with it on
 * the day held: recorded by the facility's Kanwil or by a BNN unit whose MoU was in force that day
 * with socialization in scope, covering the facility (an administrator records it with such an
 * organiser among the organisers). To a caller that is neither the facility's Kanwil nor a party to
 * an MoU covering it, the facility answers as one that does not exist.
 */
export async function checkFacility(
  db: Executor,
  principal: Principal,
  place: Place & { facilityId: string },
  heldOn: string,
  organiserIds: string[],
): Promise<void> {
  const admin = principal.role === 'admin';
  const caller = principal.organisationId ?? NOBODY;
  const [facility] = await findFacilities(db, [place.facilityId]);
  const agreements = facility ? await facilityAgreements(db, facility.id, 'socialization', heldOn) : [];
  const known = admin || facility?.kanwilId === caller || agreements.some((a) => a.unitId === caller);
  if (
    !facility ||
    !known ||
    facility.provinceCode !== place.provinceCode ||
    !sameRegency(facility.regency, place.regency)
  ) {
    refuse('/facility_id', 'campaign_facility_id_names_facility_province');
  }
  const deciders = admin ? organiserIds : [caller];
  const agreed = (id: string) => id === facility.kanwilId || agreements.some((a) => a.unitId === id && a.inForce);
  if (deciders.some(agreed)) return;
  if (agreements.some((a) => deciders.includes(a.unitId) && a.inScope)) {
    refuse('/held_on', 'campaign_mou_with_facility_covering', { held_on: heldOn });
  }
  refuse('/facility_id', admin ? 'campaign_inside_needs_party_organiser' : 'campaign_inside_recorded_by_party');
}

/** A campaign is recorded once held: not on a day still to come at its place. */
export function checkHeldOn(heldOn: string, provinceCode: string, now: Date): void {
  if (heldOn > localDate(now, provinceTimeZone(provinceCode))) {
    refuse('/held_on', 'campaign_held_on_still_come_campaign');
  }
}
