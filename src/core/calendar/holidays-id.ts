/**
 * Indonesia's national holidays (hari libur nasional) and collective leave days (cuti bersama), as
 * set each year by a joint decree (Surat Keputusan Bersama, SKB) of the Minister of Religious
 * Affairs, the Minister of Manpower and the Minister for State Apparatus Empowerment and
 * Bureaucratic Reform (PAN-RB). A year is listed only once its decree is published; a year not
 * listed here (nor in NATIONAL_HOLIDAYS) gives provisional due dates. Weekend holidays are kept
 * too, so that each year reads as its decree does.
 */
export interface DecreedDay {
  date: string;
  name: string;
}

export interface HolidayYear {
  year: number;
  /** The decree's numbers, in the order Religious Affairs, Manpower, PAN-RB, with its amendments. */
  decree: string;
  amendedBy: readonly string[];
  nationalHolidays: readonly DecreedDay[];
  collectiveLeave: readonly DecreedDay[];
}

export const INDONESIA_HOLIDAYS: readonly HolidayYear[] = [
  {
    year: 2025,
    decree: 'SKB No. 1017 Tahun 2024, No. 2 Tahun 2024, No. 2 Tahun 2024 (14 October 2024)',
    amendedBy: ['SKB No. 933 Tahun 2025, No. 1 Tahun 2025, No. 3 Tahun 2025 (7 August 2025): cuti bersama 18 August'],
    nationalHolidays: [
      { date: '2025-01-01', name: 'Tahun Baru 2025 Masehi' },
      { date: '2025-01-27', name: 'Isra Mikraj Nabi Muhammad SAW' },
      { date: '2025-01-29', name: 'Tahun Baru Imlek 2576 Kongzili' },
      { date: '2025-03-29', name: 'Hari Suci Nyepi (Tahun Baru Saka 1947)' },
      { date: '2025-03-31', name: 'Idulfitri 1446 Hijriah' },
      { date: '2025-04-01', name: 'Idulfitri 1446 Hijriah' },
      { date: '2025-04-18', name: 'Wafat Yesus Kristus' },
      { date: '2025-04-20', name: 'Kebangkitan Yesus Kristus (Paskah)' },
      { date: '2025-05-01', name: 'Hari Buruh Internasional' },
      { date: '2025-05-12', name: 'Hari Raya Waisak 2569 BE' },
      { date: '2025-05-29', name: 'Kenaikan Yesus Kristus' },
      { date: '2025-06-01', name: 'Hari Lahir Pancasila' },
      { date: '2025-06-06', name: 'Iduladha 1446 Hijriah' },
      { date: '2025-06-27', name: '1 Muharam Tahun Baru Islam 1447 Hijriah' },
      { date: '2025-08-17', name: 'Proklamasi Kemerdekaan' },
      { date: '2025-09-05', name: 'Maulid Nabi Muhammad SAW' },
      { date: '2025-12-25', name: 'Kelahiran Yesus Kristus' },
    ],
    collectiveLeave: [
      { date: '2025-01-28', name: 'Tahun Baru Imlek 2576 Kongzili' },
      { date: '2025-03-28', name: 'Hari Suci Nyepi (Tahun Baru Saka 1947)' },
      { date: '2025-04-02', name: 'Idulfitri 1446 Hijriah' },
      { date: '2025-04-03', name: 'Idulfitri 1446 Hijriah' },
      { date: '2025-04-04', name: 'Idulfitri 1446 Hijriah' },
      { date: '2025-04-07', name: 'Idulfitri 1446 Hijriah' },
      { date: '2025-05-13', name: 'Hari Raya Waisak 2569 BE' },
      { date: '2025-05-30', name: 'Kenaikan Yesus Kristus' },
      { date: '2025-06-09', name: 'Iduladha 1446 Hijriah' },
      { date: '2025-08-18', name: 'Proklamasi Kemerdekaan (HUT ke-80 RI)' },
      { date: '2025-12-26', name: 'Kelahiran Yesus Kristus' },
    ],
  },
  {
    year: 2026,
    decree: 'SKB No. 1497 Tahun 2025, No. 2 Tahun 2025, No. 5 Tahun 2025 (19 September 2025)',
    amendedBy: [],
    nationalHolidays: [
      { date: '2026-01-01', name: 'Tahun Baru 2026 Masehi' },
      { date: '2026-01-16', name: 'Isra Mikraj Nabi Muhammad SAW' },
      { date: '2026-02-17', name: 'Tahun Baru Imlek 2577 Kongzili' },
      { date: '2026-03-19', name: 'Hari Suci Nyepi (Tahun Baru Saka 1948)' },
      { date: '2026-03-21', name: 'Idulfitri 1447 Hijriah' },
      { date: '2026-03-22', name: 'Idulfitri 1447 Hijriah' },
      { date: '2026-04-03', name: 'Wafat Yesus Kristus' },
      { date: '2026-04-05', name: 'Kebangkitan Yesus Kristus (Paskah)' },
      { date: '2026-05-01', name: 'Hari Buruh Internasional' },
      { date: '2026-05-14', name: 'Kenaikan Yesus Kristus' },
      { date: '2026-05-27', name: 'Iduladha 1447 Hijriah' },
      { date: '2026-05-31', name: 'Hari Raya Waisak 2570 BE' },
      { date: '2026-06-01', name: 'Hari Lahir Pancasila' },
      { date: '2026-06-16', name: '1 Muharam Tahun Baru Islam 1448 Hijriah' },
      { date: '2026-08-17', name: 'Proklamasi Kemerdekaan' },
      { date: '2026-08-25', name: 'Maulid Nabi Muhammad SAW' },
      { date: '2026-12-25', name: 'Kelahiran Yesus Kristus' },
    ],
    collectiveLeave: [
      { date: '2026-02-16', name: 'Tahun Baru Imlek 2577 Kongzili' },
      { date: '2026-03-18', name: 'Hari Suci Nyepi (Tahun Baru Saka 1948)' },
      { date: '2026-03-20', name: 'Idulfitri 1447 Hijriah' },
      { date: '2026-03-23', name: 'Idulfitri 1447 Hijriah' },
      { date: '2026-03-24', name: 'Idulfitri 1447 Hijriah' },
      { date: '2026-05-15', name: 'Kenaikan Yesus Kristus' },
      { date: '2026-05-28', name: 'Iduladha 1447 Hijriah' },
      { date: '2026-12-24', name: 'Kelahiran Yesus Kristus' },
    ],
  },
];
