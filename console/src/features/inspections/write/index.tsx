import { Page } from '../../../ui';

// Placeholders of this change's work in progress: the list and the step-by-step report.
export function InspectionList() {
  return <Page title="Sidak">{null}</Page>;
}

export function InspectionEditor() {
  return <Page title="Sidak baru">{null}</Page>;
}
