import { auditPersonalRead, readRecordOf } from '../../http/personal-data.ts';
import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { TestListQuery, TestPage, tags, UrineTest } from './schemas.ts';
import { listTestPage, readTest } from './tests.ts';

// Results are special-category data: each read by a caller with personal_data leaves its record.

/** Reading tests: each route its schema, one service command, and the record of the read. */
export const testRoutes = {
  listUrineTests: (r: Router) =>
    r.get(
      '/v1/urine-tests',
      {
        schema: {
          tags,
          operationId: 'listUrineTests',
          summary: 'List urine tests',
          description:
            "Results in reach; filters facility, round, subject (a person's history), outcome, class found positive, period (the facility's local dates). Results are special-category data: reads by callers with personal_data are audited.",
          querystring: TestListQuery,
          response: { 200: TestPage },
        },
      },
      async (request) => {
        const record = readRecordOf(request, 'urine_test');
        const answer = await listTestPage(r.db, principalOf(request), request.query, r.now(), record);
        if (!record) await auditPersonalRead(r.db, request, 'urine_test', answer.data);
        return answer;
      },
    ),
  getUrineTest: (r: Router) =>
    r.get(
      '/v1/urine-tests/:testId',
      {
        schema: {
          tags,
          operationId: 'getUrineTest',
          summary: 'Get a urine test',
          description: 'One result in reach (404 otherwise); audited for callers with personal_data.',
          params: IdParams('testId'),
          response: { 200: UrineTest },
        },
      },
      async (request) => {
        const record = readRecordOf(request, 'urine_test');
        const answer = await readTest(r.db, principalOf(request), request.params.testId, r.now(), record);
        if (!record) await auditPersonalRead(r.db, request, 'urine_test', [answer]);
        return answer;
      },
    ),
};
