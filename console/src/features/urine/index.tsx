import { Route, Switch } from 'wouter';
import './urine.css';
import { RoundList } from './RoundList';
import { RoundNew } from './RoundNew';
import { RoundScreen } from './RoundScreen';

/** Urine test rounds (tes urine): the list, a new round, and one round with its draw, results and cases. */
export default function Urine() {
  return (
    <Switch>
      <Route path="/" component={RoundList} />
      <Route path="/new" component={RoundNew} />
      <Route path="/:roundId" component={RoundScreen} />
    </Switch>
  );
}
