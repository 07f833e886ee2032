// What other modules (and the bench) use of urine testing. Its commands live by aggregate:
// rounds.ts, results.ts, draw.ts, tests.ts, confirmations.ts and cases.ts.

export { hasConfirmedPositive, listTests } from './tests.ts';
