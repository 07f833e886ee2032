import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import t from 'tap';
import { parse } from 'yaml';
import { CATALOGUE, EVENT_TYPES } from '../src/modules/events/catalogue.ts';

// The catalogue as outside systems read it: every type in the contract's webhooks section with a
// schema that compiles, and each type driven through HTTP by one of the events tests.

const doc = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8'));

t.test('the catalogue holds the types the programme tells of', async (t) => {
  t.same([...EVENT_TYPES].sort(), [
    'campaign.changed.v1',
    'campaign.recorded.v1',
    'corrective_action.created.v1',
    'corrective_action.done.v1',
    'corrective_action.overdue.v1',
    'corrective_action.reopened.v1',
    'corrective_action.verified.v1',
    'follow_up_case.decided.v1',
    'follow_up_case.opened.v1',
    'follow_up_case.overdue.v1',
    'inmate.admitted.v1',
    'inmate.released.v1',
    'inmate.transferred.v1',
    'inspection.addendum_added.v1',
    'inspection.created.v1',
    'inspection.finding_recorded.v1',
    'inspection.narcotics_found.v1',
    'inspection.signed_off.v1',
    'inspection.submitted.v1',
    'kotan_assessment.recorded.v1',
    'mou.changed.v1',
    'mou.expired.v1',
    'mou.expiring.v1',
    'mou.signed.v1',
    'mou.terminated.v1',
    'rakor_action_item.created.v1',
    'rakor_action_item.done.v1',
    'rakor_action_item.overdue.v1',
    'rehab_attendance.recorded.v1',
    'rehab_enrolment.changed.v1',
    'rehab_session.cancelled.v1',
    'rehab_session.moved.v1',
    'rehab_session.scheduled.v1',
    'scorecard.period_closed.v1',
    'training.certificate_issued.v1',
    'urine_round.closed.v1',
    'urine_test.confirmed_positive.v1',
    'urine_test.presumptive_positive.v1',
    'urine_test.refused.v1',
  ]);
});

t.test('each type is in the contract, with a payload schema that compiles', async (t) => {
  t.same(Object.keys(doc.webhooks).sort(), [...EVENT_TYPES].sort());
  const ajv = new Ajv2020({ strict: false });
  const withFormats = addFormats as unknown as { default?: (a: Ajv2020) => void } & ((a: Ajv2020) => void);
  (withFormats.default ?? withFormats)(ajv);
  ajv.addSchema({ $id: 'openapi', components: doc.components });
  for (const type of EVENT_TYPES) {
    const schema = doc.webhooks[type].post.requestBody.content['application/json'].schema;
    const resolved = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));
    const validate = ajv.compile(resolved);
    const event = CATALOGUE.find((e) => e.type === type);
    t.equal(event?.summary, doc.webhooks[type].post.summary, `${type}: its summary`);
    t.equal(
      validate({ type: 'other.v1', timestamp: '2026-01-01T00:00:00Z', data: {} }),
      false,
      `${type}: refuses another`,
    );
  }
});

t.test('no event data carries a name, a registration number or a NIP', async (t) => {
  for (const event of CATALOGUE) {
    const fields = Object.keys((event.data as unknown as { shape: Record<string, unknown> }).shape);
    t.same(
      fields.filter((f) => /name|registration|nip|birth/.test(f)),
      [],
      `${event.type}: people go in people, by id`,
    );
  }
});

t.test('each type is told through HTTP in an events test', async (t) => {
  const dir = new URL('./', import.meta.url);
  const tests = readdirSync(dir)
    .filter((f) => /^events-.*\.test\.ts$/.test(f) && f !== 'events-catalogue.test.ts')
    .map((f) => readFileSync(new URL(f, dir), 'utf8'))
    .join('\n');
  t.same(
    EVENT_TYPES.filter((type) => !tests.includes(`'${type}'`)),
    [],
    'no type untested',
  );
});
