import { addDays, type Demo } from './context.ts';
import type { Inmate } from './registers.ts';

// A rehab programme under the Banjarnegara MoU, begun five weeks ago, weekly on Tuesday and Thursday,
// its enrolments, and the attendance of every session held so far.

export interface Programme {
  id: string;
  /** The inmates enrolled when it began, and their enrolments. */
  inRehab: Inmate[];
  enrolments: string[];
}

export async function rehabProgramme(d: Demo, held: Inmate[]): Promise<Programme> {
  const { call, at, today } = d;
  const banjarnegara = d.facilities.banjarnegara as string;
  const facilitator = (await call('GET', '/v1/me', 'bnnk.purbalingga')).id as string;
  const mous = await call('GET', `/v1/mous?facility_id=${banjarnegara}&limit=50`, 'admin');
  const mou = (mous.data as { id: string; number: string }[]).find((m) => m.number === 'PKS/01/XII/2024/BNNK-PBG');
  const programmeStart = addDays(today, -35);
  at(programmeStart, '07:00');
  const programme = await call('POST', '/v1/rehab-programmes', 'bnnk.purbalingga', {
    facility_id: banjarnegara,
    mou_id: mou?.id,
    title: 'Konseling kelompok WBP pengguna',
    modality: 'group_counselling',
    // Two sessions a week for ten weeks: each topic in two parts, so the slots fill the curriculum.
    curriculum: [
      'Pengenalan dan motivasi',
      'Mengenali pemicu',
      'Mengelola keinginan',
      'Keluarga dan dukungan',
      'Keterampilan menolak',
      'Mengelola emosi',
      'Mencegah kambuh',
      'Pekerjaan dan keterampilan',
      'Rencana hidup bersih',
      'Penutupan dan evaluasi',
    ]
      .flatMap((topic) => [`${topic} (1)`, `${topic} (2)`])
      .map((title, i) => ({ number: i + 1, title, duration_minutes: 90 })),
    starts_on: programmeStart,
    ends_on: addDays(today, 35),
    capacity: 12,
    rooms: ['Aula Bimker'],
    facilitators: [{ user_id: facilitator, role: 'lead' }],
  });
  for (const weekday of [2, 4]) {
    await call('POST', `/v1/rehab-programmes/${programme.id}/slots`, 'bnnk.purbalingga', {
      weekday,
      start_time: '09:00',
      duration_minutes: 90,
      room: 'Aula Bimker',
      facilitator_id: facilitator,
    });
  }
  const inRehab = held.filter((i) => i.case_type === 'narcotics_user').slice(0, 6);
  const enrolments: string[] = [];
  for (const inmate of inRehab) {
    const e = await call('POST', `/v1/rehab-programmes/${programme.id}/enrolments`, 'bnnk.purbalingga', {
      inmate_id: inmate.id,
    });
    enrolments.push(e.id);
  }
  return { id: programme.id, inRehab, enrolments };
}

/** Attendance for every session held so far; an inmate confirmed positive is enrolled too, awaiting a place. */
export async function rehabAttendance(d: Demo, programme: Programme, confirmedInmate: string): Promise<void> {
  const { call, between, realNow } = d;
  // At the real now, whatever the hour: a session counts as held once it has ended.
  d.atRealNow();
  if (!programme.inRehab.some((i) => i.id === confirmedInmate)) {
    await call('POST', `/v1/rehab-programmes/${programme.id}/enrolments`, 'bnnk.purbalingga', {
      inmate_id: confirmedInmate,
      status: 'awaiting',
    });
  }
  const sessions = await call('GET', `/v1/rehab-programmes/${programme.id}/sessions?limit=200`, 'admin');
  d.summary.rehabSessions = sessions.data.length;
  for (const session of sessions.data as { id: string; starts_at: string; status: string }[]) {
    if (Date.parse(session.starts_at) + 90 * 60_000 > realNow.getTime() || session.status !== 'scheduled') continue;
    const records = programme.enrolments.map((enrolment_id, i) => {
      const roll = between(0, 9);
      if (roll < 7 || i === 0) return { enrolment_id, status: 'attended' };
      if (roll === 7) return { enrolment_id, status: 'late' };
      if (roll === 8) return { enrolment_id, status: 'absent', reason: 'sick' };
      return { enrolment_id, status: 'absent', reason: 'court' };
    });
    await call(
      'PUT',
      `/v1/rehab-sessions/${session.id}/attendance`,
      'bnnk.purbalingga',
      { records },
      {
        'if-match': '"0"',
      },
    );
    d.summary.attendanceRecorded++;
  }
}
