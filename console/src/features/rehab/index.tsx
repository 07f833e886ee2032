import { Page } from '../../ui';

/** Placeholder until this part is built in this change. */
export default function Screen() {
  return <Page title="rehab">{null}</Page>;
}
