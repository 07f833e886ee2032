// The list of inspections with the reports waiting on this device, and the step-by-step report.
export { InspectionEditor } from './Editor';
export { InspectionList } from './List';
