// Indonesia's provinces by their Kemendagri/BPS code, each wholly in one time zone.
export const PROVINCES = {
  '11': ['Aceh', 'Asia/Jakarta'],
  '12': ['Sumatera Utara', 'Asia/Jakarta'],
  '13': ['Sumatera Barat', 'Asia/Jakarta'],
  '14': ['Riau', 'Asia/Jakarta'],
  '15': ['Jambi', 'Asia/Jakarta'],
  '16': ['Sumatera Selatan', 'Asia/Jakarta'],
  '17': ['Bengkulu', 'Asia/Jakarta'],
  '18': ['Lampung', 'Asia/Jakarta'],
  '19': ['Kepulauan Bangka Belitung', 'Asia/Jakarta'],
  '21': ['Kepulauan Riau', 'Asia/Jakarta'],
  '31': ['DKI Jakarta', 'Asia/Jakarta'],
  '32': ['Jawa Barat', 'Asia/Jakarta'],
  '33': ['Jawa Tengah', 'Asia/Jakarta'],
  '34': ['DI Yogyakarta', 'Asia/Jakarta'],
  '35': ['Jawa Timur', 'Asia/Jakarta'],
  '36': ['Banten', 'Asia/Jakarta'],
  '51': ['Bali', 'Asia/Makassar'],
  '52': ['Nusa Tenggara Barat', 'Asia/Makassar'],
  '53': ['Nusa Tenggara Timur', 'Asia/Makassar'],
  '61': ['Kalimantan Barat', 'Asia/Jakarta'],
  '62': ['Kalimantan Tengah', 'Asia/Jakarta'],
  '63': ['Kalimantan Selatan', 'Asia/Makassar'],
  '64': ['Kalimantan Timur', 'Asia/Makassar'],
  '65': ['Kalimantan Utara', 'Asia/Makassar'],
  '71': ['Sulawesi Utara', 'Asia/Makassar'],
  '72': ['Sulawesi Tengah', 'Asia/Makassar'],
  '73': ['Sulawesi Selatan', 'Asia/Makassar'],
  '74': ['Sulawesi Tenggara', 'Asia/Makassar'],
  '75': ['Gorontalo', 'Asia/Makassar'],
  '76': ['Sulawesi Barat', 'Asia/Makassar'],
  '81': ['Maluku', 'Asia/Jayapura'],
  '82': ['Maluku Utara', 'Asia/Jayapura'],
  '91': ['Papua', 'Asia/Jayapura'],
  '92': ['Papua Barat', 'Asia/Jayapura'],
  '93': ['Papua Selatan', 'Asia/Jayapura'],
  '94': ['Papua Tengah', 'Asia/Jayapura'],
  '95': ['Papua Pegunungan', 'Asia/Jayapura'],
  '96': ['Papua Barat Daya', 'Asia/Jayapura'],
} as const satisfies Record<string, readonly [string, TimeZoneName]>;

export type TimeZoneName = 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura';
export type ProvinceCode = keyof typeof PROVINCES;
export const PROVINCE_CODES = Object.keys(PROVINCES) as [ProvinceCode, ...ProvinceCode[]];
export const TIME_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;

export const provinceName = (code: string | null): string | null =>
  code && code in PROVINCES ? PROVINCES[code as ProvinceCode][0] : null;
export const provinceTimeZone = (code: string): TimeZoneName => PROVINCES[code as ProvinceCode][1];
