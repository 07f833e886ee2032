import { lazy } from 'react';

// The report after submission (sign-off, the frozen view, addenda) and its print page: a chunk of
// their own, loaded when a report is opened.
export const InspectionView = lazy(() => import('./InspectionView'));
export const InspectionPrint = lazy(() => import('./InspectionPrint'));
