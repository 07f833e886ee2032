import { addDays, type Demo } from './context.ts';

// The registers of every facility, people of a year back, imported yesterday as their keepers would.

/** How many inmates and officers each facility of the seed holds in the demo. */
const PEOPLE: Record<string, { inmates: number; officers: number; prefix: string }> = {
  banjarnegara: { inmates: 24, officers: 8, prefix: 'BNJ' },
  purwokerto: { inmates: 20, officers: 6, prefix: 'PWT' },
  kupang: { inmates: 20, officers: 8, prefix: 'KPG' },
  'lpp.kupang': { inmates: 12, officers: 6, prefix: 'LPK' },
  mataram: { inmates: 16, officers: 5, prefix: 'MTR' },
  pontianak: { inmates: 16, officers: 5, prefix: 'PTK' },
  abepura: { inmates: 12, officers: 4, prefix: 'ABP' },
};

const GIVEN_MALE = [
  'Agus',
  'Budi',
  'Dedi',
  'Eko',
  'Fajar',
  'Hendra',
  'Joko',
  'Rudi',
  'Slamet',
  'Wahyu',
  'Yosef',
  'Imam',
];
const GIVEN_FEMALE = ['Ani', 'Dewi', 'Fitri', 'Maria', 'Rina', 'Sari', 'Wati', 'Yuni', 'Lestari', 'Maya'];
const FAMILY = ['Santoso', 'Prasetyo', 'Wibowo', 'Nenobais', 'Bria', 'Saputra', 'Hidayat', 'Lubis', 'Siregar', 'Ndun'];
const CASE_TYPES = ['narcotics_user', 'narcotics_user', 'narcotics_courier', 'narcotics_dealer', 'non_narcotics'];

export interface Inmate {
  id: string;
  case_type: string;
  registration_number: string | null;
}
/** The registers as listed back, by facility key of the seed. */
export interface Registers {
  inmates: Record<string, Inmate[]>;
  officers: Record<string, { id: string }[]>;
}

export async function registers(d: Demo): Promise<Registers> {
  const { call, pick, between, today } = d;
  d.at(addDays(today, -1), '08:00');
  const inmates: Registers['inmates'] = {};
  const officers: Registers['officers'] = {};
  let nipSerial = 0;
  for (const [key, people] of Object.entries(PEOPLE)) {
    const facilityId = d.facilities[key] as string;
    const female = key === 'lpp.kupang';
    const year = Number(today.slice(0, 4));
    const register = Array.from({ length: people.inmates }, (_, i) => ({
      registration_number: `${people.prefix}.${String(i + 1).padStart(3, '0')}/${year - 1}`,
      name: `${pick(female ? GIVEN_FEMALE : GIVEN_MALE)} ${pick(FAMILY)}`,
      sex: female ? 'female' : 'male',
      birth_date: `${between(1970, 2003)}-${String(between(1, 12)).padStart(2, '0')}-${String(between(1, 28)).padStart(2, '0')}`,
      // The first four of every facility use drugs: the rehab and urine stories need them.
      case_type: i < 4 ? 'narcotics_user' : pick(CASE_TYPES),
      admission_date: addDays(today, -between(60, 700)),
      expected_release_date: addDays(today, between(120, 1500)),
      block: pick(['A', 'B', 'C']),
      status: pick(['detained', 'sentenced', 'sentenced']),
    }));
    await call('POST', `/v1/facilities/${facilityId}/inmates/import`, 'admin', register);
    const staff = Array.from({ length: people.officers }, (_, i) => {
      const born = `${between(1970, 1998)}${String(between(1, 12)).padStart(2, '0')}${String(between(1, 28)).padStart(2, '0')}`;
      const joined = Number(born.slice(0, 4)) + between(22, 26);
      const sex = female || i % 3 === 2 ? 'female' : 'male';
      return {
        nip: `${born}${joined}${String(between(1, 12)).padStart(2, '0')}${sex === 'male' ? 1 : 2}${String(++nipSerial).padStart(3, '0')}`,
        name: `${pick(sex === 'female' ? GIVEN_FEMALE : GIVEN_MALE)} ${pick(FAMILY)}`,
        sex,
        position: pick(['Petugas Pengamanan', 'Staf Pembinaan', 'Staf Registrasi', 'Petugas Klinik']),
        unit: pick(['KPR', 'Bimker', 'Registrasi', 'Klinik']),
        status: 'active',
        joined_on: `${Math.min(joined, year - 2)}-0${between(1, 9)}-01`,
      };
    });
    await call('POST', `/v1/facilities/${facilityId}/officers/import`, 'admin', staff);
    const listed = await call('GET', `/v1/facilities/${facilityId}/inmates?limit=200`, 'admin');
    inmates[key] = listed.data;
    officers[key] = (await call('GET', `/v1/facilities/${facilityId}/officers?limit=200`, 'admin')).data;
    d.summary.inmates += people.inmates;
    d.summary.officers += people.officers;
  }
  return { inmates, officers };
}

/** The inmates of a facility by registration number: the register's order (by id) is not the import's. */
export const byRegistration = (inmates: Inmate[] = []) =>
  [...inmates].sort((a, b) => String(a.registration_number).localeCompare(String(b.registration_number)));
