import { addDays, type Demo, WITA } from './context.ts';

// P4GN beyond the walls in NTT (WITA): a campaign at Lapas Kupang, a rakor with its action items, and
// a KOTAN assessment of Kota Kupang.

/** A joint campaign for the inmates of Lapas Kupang two weeks ago. */
export async function campaign(d: Demo): Promise<void> {
  const { call, at, todayWita } = d;
  const kupang = d.facilities.kupang as string;
  at(addDays(todayWita, -14), '15:00', WITA);
  await call('POST', '/v1/campaigns', 'bnnp.ntt', {
    kind: 'joint_campaign',
    topic: 'Bahaya narkoba bagi warga binaan',
    held_on: addDays(todayWita, -14),
    province_code: '53',
    regency: 'Kota Kupang',
    venue: 'Aula Lapas Kelas IIA Kupang',
    facility_id: kupang,
    audience_kind: 'inmates',
    audience_count: 180,
    organiser_ids: [d.organisations['bnnp.ntt']],
    notes: 'Bersama Kanwil NTT',
  });
}

/** The provincial rakor twenty days ago, one of its action items overdue. */
export async function rakor(d: Demo): Promise<void> {
  const { call, at, todayWita } = d;
  const rakorOn = addDays(todayWita, -20);
  at(rakorOn, '16:00', WITA);
  const meeting = await call('POST', '/v1/coordination-meetings', 'bnnp.ntt', {
    organiser_id: d.organisations['bnnp.ntt'],
    title: 'Rakor P4GN Provinsi NTT',
    held_on: rakorOn,
    province_code: '53',
    venue: 'Kantor BNNP NTT, Kupang',
    agenda: 'Hasil tes urine dan sidak di lapas; rencana aksi per instansi',
    minutes: 'Disepakati rencana aksi per instansi; tindak lanjut dipantau BNNP.',
    participant_ids: [d.organisations['kanwil.ntt'], d.organisations['bnnk.kupang']],
  });
  await call('POST', `/v1/coordination-meetings/${meeting.id}/action-items`, 'bnnp.ntt', {
    owner_id: d.organisations['kanwil.ntt'],
    description: 'Menjadwalkan tes urine acak di setiap lapas dan rutan NTT',
    due_on: addDays(todayWita, 25),
  });
  await call('POST', `/v1/coordination-meetings/${meeting.id}/action-items`, 'bnnp.ntt', {
    owner_id: d.organisations['bnnk.kupang'],
    description: 'Menyusun peta kawasan rawan narkoba Kota Kupang',
    due_on: addDays(todayWita, -5),
  });
}

/** The KOTAN assessment of Kota Kupang ten days ago. */
export async function kotan(d: Demo): Promise<void> {
  const { call, at, between, todayWita } = d;
  const assessedOn = addDays(todayWita, -10);
  at(assessedOn, '11:00', WITA);
  const indicator = () => between(40, 85);
  await call('POST', '/v1/kotan-assessments', 'bnnp.ntt', {
    province_code: '53',
    regency: 'Kota Kupang',
    year: Number(assessedOn.slice(0, 4)),
    assessor_name: 'Yohanes Bria',
    assessed_on: assessedOn,
    scores: {
      family_resilience: {
        family_drug_awareness: indicator(),
        parenting_programmes: indicator(),
        family_early_detection: indicator(),
      },
      community_resilience: {
        anti_drug_volunteers: indicator(),
        community_prevention_activities: indicator(),
        drug_free_villages: indicator(),
      },
      territory: {
        vulnerable_areas_mapped: indicator(),
        vulnerable_areas_intervened: indicator(),
        prevalence_trend: indicator(),
      },
      institutions: {
        p4gn_regulation: indicator(),
        p4gn_budget: indicator(),
        p4gn_team: indicator(),
        rehabilitation_services: indicator(),
      },
      law: { case_handling: indicator(), integrated_assessment: indicator(), enforcement_cooperation: indicator() },
    },
    evidence_notes: 'Perwali P4GN Kota Kupang',
  });
}
