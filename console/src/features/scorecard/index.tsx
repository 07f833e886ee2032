import { Link, Route, Switch } from 'wouter';
import { useTexts } from '../../i18n';
import { Page } from '../../ui';
import { Chooser } from './Chooser';
import { FacilityScorecard } from './FacilityScorecard';
import { Ranking } from './Ranking';
import './scorecard.css';
import { T } from './texts';

function Start() {
  const t = useTexts(T);
  return (
    <Page title={t.title}>
      <Chooser />
      <p>
        <Link href="/ranking">{t.toRanking}</Link>
      </p>
    </Page>
  );
}

/** The Bersinar scorecard: a facility's score for a period with the records behind each miss, and the ranking. */
export default function Scorecard() {
  return (
    <Switch>
      <Route path="/" component={Start} />
      <Route path="/ranking" component={Ranking} />
      <Route path="/:facilityId" component={FacilityScorecard} />
    </Switch>
  );
}
