// Example values shared by the request and answer schemas of the contract.

export const ids = [
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c70',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0e',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c21',
  '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c12',
] as const;

export const trainingExample = {
  id: ids[0],
  title: 'Deteksi dini peredaran narkoba bagi petugas pemasyarakatan',
  topic: 'early_detection',
  organiser_type: 'bnn_unit',
  organiser_id: ids[2],
  organiser_name: 'BNNP Nusa Tenggara Timur',
  starts_on: '2025-02-10',
  ends_on: '2025-02-12',
  hours: 24,
  venue: 'Aula Lapas Kelas IIA Kupang',
  mode: 'in_person',
  facility_ids: [ids[1]],
  trainers: ['dr. Maria Nenobais'],
  capacity: 40,
  pass_mark: 70,
  participants: 32,
  created_by: ids[3],
  version: 1,
  created_at: '2025-01-20T02:00:00.000Z',
  updated_at: '2025-01-20T02:00:00.000Z',
};
