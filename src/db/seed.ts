import { sql } from 'drizzle-orm';
import type { Role as PrincipalRole } from '../core/access.ts';
import { recordAudit } from '../core/change.ts';
import { provinceTimeZone } from '../core/provinces.ts';
import { hashSecret } from '../modules/auth/passwords.ts';
import { apiClients, users } from '../modules/auth/tables.ts';
import { facilities } from '../modules/facilities/tables.ts';
import { mouFacilities, mous } from '../modules/mous/tables.ts';
import { organisations } from '../modules/organisations/tables.ts';
import type { Db } from './client.ts';
import { uuidv7 } from './columns.ts';

// The places of the source material (DOMAIN.md). Capacities and MoU numbers are illustrative.
type OrgSeed = {
  key: string;
  type: 'ministry' | 'kanwil' | 'bnn' | 'regional_government';
  level?: 'national' | 'province' | 'district';
  name: string;
  province?: string;
  regency?: string;
};
const ORGS: OrgSeed[] = [
  { key: 'ministry', type: 'ministry', name: 'Kementerian Imigrasi dan Pemasyarakatan' },
  { key: 'kanwil.jateng', type: 'kanwil', name: 'Kanwil Ditjenpas Jawa Tengah', province: '33' },
  { key: 'kanwil.ntt', type: 'kanwil', name: 'Kanwil Ditjenpas Nusa Tenggara Timur', province: '53' },
  { key: 'kanwil.ntb', type: 'kanwil', name: 'Kanwil Ditjenpas Nusa Tenggara Barat', province: '52' },
  { key: 'kanwil.kalbar', type: 'kanwil', name: 'Kanwil Ditjenpas Kalimantan Barat', province: '61' },
  { key: 'kanwil.papua', type: 'kanwil', name: 'Kanwil Ditjenpas Papua', province: '91' },
  { key: 'bnn', type: 'bnn', level: 'national', name: 'Badan Narkotika Nasional RI' },
  { key: 'bnnp.jateng', type: 'bnn', level: 'province', name: 'BNNP Jawa Tengah', province: '33' },
  {
    key: 'bnnk.purbalingga',
    type: 'bnn',
    level: 'district',
    name: 'BNNK Purbalingga',
    province: '33',
    regency: 'Purbalingga',
  },
  { key: 'bnnp.ntt', type: 'bnn', level: 'province', name: 'BNNP Nusa Tenggara Timur', province: '53' },
  {
    key: 'bnnk.kupang',
    type: 'bnn',
    level: 'district',
    name: 'BNN Kota Kupang',
    province: '53',
    regency: 'Kota Kupang',
  },
  { key: 'bnnp.ntb', type: 'bnn', level: 'province', name: 'BNNP Nusa Tenggara Barat', province: '52' },
  { key: 'bnnp.kalbar', type: 'bnn', level: 'province', name: 'BNNP Kalimantan Barat', province: '61' },
  {
    key: 'pemkab.purbalingga',
    type: 'regional_government',
    name: 'Pemerintah Kabupaten Purbalingga',
    province: '33',
    regency: 'Purbalingga',
  },
];

type FacilitySeed = {
  key: string;
  type: 'rutan' | 'lapas' | 'lapas_narkotika' | 'lpp' | 'lpka';
  cls: 'I' | 'IIA' | 'IIB' | 'III';
  name: string;
  province: string;
  regency: string;
  capacity: number;
};
const FACILITIES: FacilitySeed[] = [
  {
    key: 'banjarnegara',
    type: 'rutan',
    cls: 'IIB',
    name: 'Rutan Kelas IIB Banjarnegara',
    province: '33',
    regency: 'Banjarnegara',
    capacity: 150,
  },
  {
    key: 'purwokerto',
    type: 'lapas',
    cls: 'IIA',
    name: 'Lapas Kelas IIA Purwokerto',
    province: '33',
    regency: 'Banyumas',
    capacity: 380,
  },
  {
    key: 'kupang',
    type: 'lapas',
    cls: 'IIA',
    name: 'Lapas Kelas IIA Kupang',
    province: '53',
    regency: 'Kota Kupang',
    capacity: 400,
  },
  {
    key: 'lpp.kupang',
    type: 'lpp',
    cls: 'III',
    name: 'Lapas Perempuan Kelas III Kupang',
    province: '53',
    regency: 'Kota Kupang',
    capacity: 90,
  },
  {
    key: 'mataram',
    type: 'lapas',
    cls: 'IIA',
    name: 'Lapas Kelas IIA Mataram',
    province: '52',
    regency: 'Kota Mataram',
    capacity: 350,
  },
  {
    key: 'pontianak',
    type: 'lapas',
    cls: 'IIA',
    name: 'Lapas Kelas IIA Pontianak',
    province: '61',
    regency: 'Kota Pontianak',
    capacity: 500,
  },
  {
    key: 'abepura',
    type: 'lapas',
    cls: 'IIA',
    name: 'Lapas Kelas IIA Abepura',
    province: '91',
    regency: 'Kota Jayapura',
    capacity: 350,
  },
];

type MouSeed = {
  number: string;
  title: string;
  unit: string;
  facilities: string[];
  scope: ('rehabilitation' | 'urine_testing' | 'inspection' | 'training' | 'socialization')[];
  signed: string;
  from: string;
  until: string;
};
const MOUS: MouSeed[] = [
  {
    number: 'PKS/01/XII/2024/BNNK-PBG',
    title: 'Rehabilitasi sosial WBP Rutan Kelas IIB Banjarnegara',
    unit: 'bnnk.purbalingga',
    facilities: ['banjarnegara'],
    scope: ['rehabilitation', 'urine_testing', 'inspection'],
    signed: '2024-12-13',
    from: '2024-12-13',
    until: '2029-12-12',
  },
  {
    number: 'PKS/07/X/2024/BNNP-NTT',
    title: 'Pengawasan bersama, pelatihan petugas dan kampanye P4GN di Lapas Kupang',
    unit: 'bnnp.ntt',
    facilities: ['kupang', 'lpp.kupang'],
    scope: ['inspection', 'urine_testing', 'training', 'socialization'],
    signed: '2024-10-01',
    from: '2024-10-01',
    until: '2027-09-30',
  },
  {
    number: 'PKS/05/V/2024/BNNP-NTB',
    title: 'Sidak dan tes urine bersama Lapas Mataram',
    unit: 'bnnp.ntb',
    facilities: ['mataram'],
    scope: ['inspection', 'urine_testing', 'socialization'],
    signed: '2024-05-22',
    from: '2024-05-22',
    until: '2027-05-21',
  },
  {
    number: 'PKS/06/VI/2024/BNNP-KALBAR',
    title: 'Kerja sama P4GN Lapas Pontianak',
    unit: 'bnnp.kalbar',
    facilities: ['pontianak'],
    scope: ['socialization', 'training'],
    signed: '2024-06-06',
    from: '2024-06-06',
    until: '2026-06-05',
  },
];

type Role = Exclude<PrincipalRole, 'api_client'>;
/** One demo login per role; all share DEMO_PASSWORD. */
export const DEMO_LOGINS: { username: string; name: string; role: Role; org?: string; facility?: string }[] = [
  { username: 'admin', name: 'Administrator Bersinar', role: 'admin' },
  { username: 'staff.banjarnegara', name: 'Staf Rutan Banjarnegara', role: 'facility_staff', facility: 'banjarnegara' },
  { username: 'head.banjarnegara', name: 'Karutan Banjarnegara', role: 'facility_head', facility: 'banjarnegara' },
  { username: 'bnnk.purbalingga', name: 'Petugas BNNK Purbalingga', role: 'bnn_officer', org: 'bnnk.purbalingga' },
  { username: 'kanwil.ntt', name: 'Peninjau Kanwil NTT', role: 'regional_viewer', org: 'kanwil.ntt' },
  { username: 'bnnp.ntt', name: 'Petugas BNNP NTT', role: 'bnn_officer', org: 'bnnp.ntt' },
  { username: 'staff.kupang', name: 'Staf Lapas Kupang', role: 'facility_staff', facility: 'kupang' },
  { username: 'head.kupang', name: 'Kalapas Kupang', role: 'facility_head', facility: 'kupang' },
  {
    username: 'pemkab.purbalingga',
    name: 'Petugas Pemkab Purbalingga',
    role: 'regional_government_officer',
    org: 'pemkab.purbalingga',
  },
];
export const DEMO_CLIENT_ID = 'dashboard.demo';

export interface SeedResult {
  logins: string[];
  organisations: Record<string, string>;
  facilities: Record<string, string>;
}

/** Loads the demo data set into an empty database; returns null (and does nothing) otherwise. */
export async function seedDemo(db: Db, password: string): Promise<SeedResult | null> {
  const passwordHash = await hashSecret(password);
  return db.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE organisations IN EXCLUSIVE MODE`);
    const existing = await tx.select({ id: organisations.id }).from(organisations).limit(1);
    if (existing.length) return null;
    const org: Record<string, string> = {};
    for (const o of ORGS) org[o.key] = uuidv7();
    await tx.insert(organisations).values(
      ORGS.map((o) => ({
        id: org[o.key] as string,
        type: o.type,
        bnnLevel: o.level ?? null,
        name: o.name,
        provinceCode: o.province ?? null,
        regency: o.regency ?? null,
        timezone: o.province ? provinceTimeZone(o.province) : 'Asia/Jakarta',
        parentId:
          o.type === 'bnn' && o.level !== 'national'
            ? (org[o.level === 'district' ? `bnnp.${o.key.split('.')[1]}` : 'bnn'] ?? org.bnn ?? null)
            : null,
      })),
    );
    const fac: Record<string, string> = {};
    for (const f of FACILITIES) fac[f.key] = uuidv7();
    const kanwilOf = (province: string) =>
      ORGS.find((o) => o.type === 'kanwil' && o.province === province)?.key as string;
    await tx.insert(facilities).values(
      FACILITIES.map((f) => ({
        id: fac[f.key] as string,
        type: f.type,
        class: f.cls,
        name: f.name,
        provinceCode: f.province,
        regency: f.regency,
        capacity: f.capacity,
        timezone: provinceTimeZone(f.province),
        kanwilId: org[kanwilOf(f.province)] as string,
      })),
    );
    for (const m of MOUS) {
      const id = uuidv7();
      await tx.insert(mous).values({
        id,
        number: m.number,
        title: m.title,
        bnnUnitId: org[m.unit] as string,
        scope: m.scope,
        signedOn: m.signed,
        validFrom: m.from,
        validUntil: m.until,
      });
      await tx.insert(mouFacilities).values(m.facilities.map((f) => ({ mouId: id, facilityId: fac[f] as string })));
    }
    await tx.insert(users).values(
      DEMO_LOGINS.map((u) => ({
        username: u.username,
        displayName: u.name,
        passwordHash,
        role: u.role,
        organisationId: u.org ? (org[u.org] ?? null) : null,
        facilityId: u.facility ? (fac[u.facility] ?? null) : null,
      })),
    );
    await tx.insert(apiClients).values({
      clientId: DEMO_CLIENT_ID,
      name: 'Demo dashboard (read, pseudonymous)',
      scopes: ['read'],
      secretHash: passwordHash,
    });
    await recordAudit(
      tx,
      { type: 'system', id: null, role: null, requestId: null },
      {
        action: 'demo.seeded',
        entityType: 'database',
        entityId: null,
        after: {
          organisations: ORGS.length,
          facilities: FACILITIES.length,
          mous: MOUS.length,
          users: DEMO_LOGINS.length,
        },
      },
    );
    return {
      logins: [...DEMO_LOGINS.map((u) => u.username), `${DEMO_CLIENT_ID} (client_credentials)`],
      organisations: org,
      facilities: fac,
    };
  });
}
