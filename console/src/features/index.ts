import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import type { Me } from '../auth/session';

type Role = Me['role'];

/**
 * The console's parts. Each is its own folder and chunk, loaded when first opened, so the first
 * screen carries only the shell; each shows in the menu for the roles whose work it is.
 */
export interface Feature {
  path: string;
  roles: Role[];
  label: { id: string; en: string };
  screen: LazyExoticComponent<ComponentType>;
}

export const features: Feature[] = [
  {
    path: '/inspections',
    roles: ['facility_staff', 'facility_head', 'bnn_officer', 'regional_viewer', 'admin'],
    label: { id: 'Sidak', en: 'Inspections' },
    screen: lazy(() => import('./inspections')),
  },
  {
    path: '/urine',
    roles: ['facility_staff', 'facility_head', 'bnn_officer', 'regional_viewer', 'admin'],
    label: { id: 'Tes urine', en: 'Urine tests' },
    screen: lazy(() => import('./urine')),
  },
  {
    path: '/rehab',
    roles: ['bnn_officer', 'facility_staff', 'facility_head', 'regional_viewer', 'admin'],
    label: { id: 'Rehabilitasi sosial', en: 'Social rehabilitation' },
    screen: lazy(() => import('./rehab')),
  },
  {
    path: '/scorecard',
    roles: ['regional_viewer', 'bnn_officer', 'facility_head', 'facility_staff', 'admin'],
    label: { id: 'Rapor', en: 'Scorecard' },
    screen: lazy(() => import('./scorecard')),
  },
];

export function featuresFor(role: Role): Feature[] {
  return features.filter((feature) => feature.roles.includes(role));
}
