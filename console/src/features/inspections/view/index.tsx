import { Page } from '../../../ui';

// Placeholders of this change's work in progress: sign-off, the frozen view and the print view.
export function InspectionView() {
  return <Page title="Sidak">{null}</Page>;
}

export function InspectionPrint() {
  return <Page title="Cetak">{null}</Page>;
}
