import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useParams } from 'wouter';
import { api } from '../../api/client';
import { must } from '../../api/problem';
import { useLanguage, useTexts } from '../../i18n';
import { zoneName } from '../../i18n/time';
import { Loading, ProblemAlert } from '../../ui';
import {
  type Facility,
  hourMinute,
  keys,
  type Programme,
  ProgrammeFrame,
  useFacilitatorNames,
  useMayRun,
} from './common';
import { T } from './texts';

/** A programme's weekly slots, and a new one (its sessions are booked at once, or none). */
export function SlotsScreen() {
  const { programmeId = '' } = useParams<{ programmeId: string }>();
  const t = useTexts(T);
  return (
    <ProgrammeFrame programmeId={programmeId} heading={() => t.slots}>
      {(programme, facility) => <Slots programme={programme} facility={facility} />}
    </ProgrammeFrame>
  );
}

function Slots({ programme, facility }: { programme: Programme; facility: Facility }) {
  const t = useTexts(T);
  const language = useLanguage();
  const names = useFacilitatorNames();
  const mayRun = useMayRun(programme);
  const slots = useQuery({
    queryKey: keys.slots(programme.id),
    queryFn: async () =>
      must(
        await api.GET('/v1/rehab-programmes/{programmeId}/slots', { params: { path: { programmeId: programme.id } } }),
      ),
  });
  return (
    <>
      <ProblemAlert error={slots.error} />
      {slots.isPending ? <Loading label={t.loading} /> : null}
      {slots.data?.data.length === 0 ? <p>{t.noSlots}</p> : null}
      <ul className="list">
        {slots.data?.data.map((s) => (
          <li key={s.id}>
            <strong>
              {t.weekdays[s.weekday - 1]} {hourMinute(s.start_time.slice(0, 5), language)} {zoneName(facility.timezone)}
            </strong>
            <div>
              {s.duration_minutes} {t.minutes} · {t.room}: {s.room} · {t.facilitator}: {names(s.facilitator_id)}
            </div>
            <div className="muted">
              {s.sessions} {t.sessionsMade}
            </div>
          </li>
        ))}
      </ul>
      {mayRun ? <AddSlot programme={programme} facility={facility} /> : null}
    </>
  );
}

function AddSlot({ programme, facility }: { programme: Programme; facility: Facility }) {
  const t = useTexts(T);
  const id = useId();
  const names = useFacilitatorNames();
  const queryClient = useQueryClient();
  const [weekday, setWeekday] = useState('1');
  const [time, setTime] = useState('09:00');
  const [duration, setDuration] = useState('90');
  const [room, setRoom] = useState(programme.rooms[0] ?? '');
  const [facilitatorId, setFacilitatorId] = useState(programme.facilitators[0]?.user_id ?? '');
  const [beyond, setBeyond] = useState(false);
  const add = useMutation({
    mutationFn: async () =>
      must(
        await api.POST('/v1/rehab-programmes/{programmeId}/slots', {
          params: { path: { programmeId: programme.id } },
          body: {
            weekday: Number(weekday),
            start_time: time,
            duration_minutes: Number(duration),
            room,
            facilitator_id: facilitatorId,
            beyond_curriculum: beyond,
          },
        }),
      ),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: keys.slots(programme.id) });
      queryClient.invalidateQueries({ queryKey: keys.sessions(programme.id) });
    },
  });
  return (
    <form
      className="card stack"
      aria-labelledby={`${id}-h`}
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <h2 id={`${id}-h`}>{t.addSlot}</h2>
      <div className="rehab-fields">
        <label>
          {t.weekday}
          <select value={weekday} onChange={(e) => setWeekday(e.target.value)}>
            {t.weekdays.map((name, i) => (
              <option key={name} value={String(i + 1)}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.startTime} ({zoneName(facility.timezone)})
          <input type="time" required value={time} onChange={(e) => setTime(e.target.value)} />
        </label>
        <label>
          {t.duration}
          <input
            type="number"
            required
            min={15}
            max={480}
            step={5}
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
          />
        </label>
        <label>
          {t.room}
          <select value={room} onChange={(e) => setRoom(e.target.value)}>
            {programme.rooms.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.facilitator}
          <select value={facilitatorId} onChange={(e) => setFacilitatorId(e.target.value)}>
            {programme.facilitators.map((f) => (
              <option key={f.user_id} value={f.user_id}>
                {names(f.user_id)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="rehab-check">
        <input type="checkbox" checked={beyond} onChange={(e) => setBeyond(e.target.checked)} />
        {t.beyond}
      </label>
      <ProblemAlert error={add.error} />
      {add.isSuccess ? <p role="status">{t.slotAdded}</p> : null}
      <button type="submit" className="primary" disabled={add.isPending}>
        {t.addSlot}
      </button>
    </form>
  );
}
