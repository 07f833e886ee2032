// Example values shared by the request and answer schemas of the contract.

export const ids = {
  programme: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9d01',
  facility: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
  mou: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c40',
  unit: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c21',
  user: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
  session: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9d02',
  inmate: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c20',
  enrolment: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9d03',
};

export const programmeInput = {
  facility_id: ids.facility,
  mou_id: ids.mou,
  title: 'Konseling kelompok WBP pengguna',
  modality: 'group_counselling',
  curriculum: [
    { number: 1, title: 'Pengenalan dan motivasi', duration_minutes: 90 },
    { number: 2, title: 'Mengenali pemicu', duration_minutes: 90 },
  ],
  starts_on: '2025-01-06',
  ends_on: '2025-03-28',
  capacity: 20,
  rooms: ['Aula Bimker'],
  facilitators: [{ user_id: ids.user, role: 'lead' }],
};
