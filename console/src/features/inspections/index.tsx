import { Route, Switch } from 'wouter';
import { InspectionPrint, InspectionView } from './view';
import { InspectionEditor, InspectionList } from './write';

/** Surprise inspections (sidak): the list and the report being written; then sign-off, the frozen view and print. */
export default function Inspections() {
  return (
    <Switch>
      <Route path="/" component={InspectionList} />
      <Route path="/new" component={InspectionEditor} />
      <Route path="/drafts/:localId" component={InspectionEditor} />
      <Route path="/:inspectionId/print" component={InspectionPrint} />
      <Route path="/:inspectionId" component={InspectionView} />
    </Switch>
  );
}
