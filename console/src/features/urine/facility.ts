import { useState } from 'react';
import { useProfile } from '../../auth/session';

/** The facility the screens are about: the user's own first, else the first in reach. Kept for the tab's life. */
export function useFacilityChoice() {
  const profile = useProfile();
  const facilities = profile.facilities;
  const stored = sessionStorage.getItem('urine.facility');
  const initial =
    facilities.find((f) => f.id === stored)?.id ??
    facilities.find((f) => f.id === profile.me.facility_id)?.id ??
    facilities[0]?.id;
  const [facilityId, setFacilityId] = useState<string | undefined>(initial);
  const choose = (id: string) => {
    sessionStorage.setItem('urine.facility', id);
    setFacilityId(id);
  };
  return { facilities, facilityId, facility: facilities.find((f) => f.id === facilityId), choose };
}
