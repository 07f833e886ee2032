import type { Schemas } from '../api/client';
import { consoleDb } from './db';

/** Who is signed in and the facilities in their reach: enough to write a report offline. */
export interface Profile {
  username: string;
  me: Schemas['Me'];
  facilities: Pick<Schemas['Facility'], 'id' | 'name' | 'timezone' | 'type'>[];
}

export async function saveProfile(profile: Profile): Promise<void> {
  await (await consoleDb()).put('profile', profile, 'current');
}

export async function loadProfile(): Promise<Profile | undefined> {
  try {
    return await (await consoleDb()).get('profile', 'current');
  } catch {
    return undefined;
  }
}

export async function forgetProfile(): Promise<void> {
  await (await consoleDb()).delete('profile', 'current');
}
