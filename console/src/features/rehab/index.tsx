import { Route, Switch } from 'wouter';
import { ProgrammeCalendar } from './Calendar';
import { EnrolmentsScreen } from './Enrolments';
import { ProgrammeList } from './ProgrammeList';
import './rehab.css';
import { SessionScreen } from './SessionScreen';
import { SlotsScreen } from './Slots';

/** Social rehabilitation: programmes, their week, slots, sessions (move, cancel, attendance) and participants. */
export default function Rehab() {
  return (
    <Switch>
      <Route path="/" component={ProgrammeList} />
      <Route path="/:programmeId/slots" component={SlotsScreen} />
      <Route path="/:programmeId/enrolments" component={EnrolmentsScreen} />
      <Route path="/:programmeId/sessions/:sessionId" component={SessionScreen} />
      <Route path="/:programmeId" component={ProgrammeCalendar} />
    </Switch>
  );
}
