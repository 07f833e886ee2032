import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { INDICATORS } from '../src/modules/compliance/indicators.ts';
import { build } from './helpers/app.ts';

// The scorecard's indicators are a file each (src/modules/compliance/indicators/<code>.ts): the
// files, the registry that gathers them and the contract name the same codes, in the same order.
const folder = new URL('../src/modules/compliance/indicators/', import.meta.url);
const files = readdirSync(folder)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -'.ts'.length));
const contract = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8'));
const codes: string[] =
  contract.components.schemas.ComplianceIndicators.properties.indicators.items.properties.code.enum;

/** Every list of indicator codes in the contract (definitions, caps, scorecards, rankings). */
function codeLists(node: unknown, found: string[][] = []): string[][] {
  if (Array.isArray(node)) {
    if (node.includes('inmate_test_coverage')) found.push(node as string[]);
    else for (const item of node) codeLists(item, found);
  } else if (node && typeof node === 'object') {
    for (const value of Object.values(node)) codeLists(value, found);
  }
  return found;
}

t.test('a file for every code of the contract, and a code of the contract for every file', async (t) => {
  t.equal(codes.length, 13);
  t.same([...files].sort(), [...codes].sort());
  const lists = codeLists(contract.components.schemas).filter((list) => list.length > 1);
  t.ok(lists.length >= 4, 'the definitions, their caps, the scorecard and the ranking');
  for (const list of lists) t.same(list, codes, 'every enum of indicator codes is the same list');
});

t.test('each file exports one indicator, named by its file, and the registry lists each once in order', async (t) => {
  for (const file of files) {
    const exported = Object.values(await import(new URL(`${file}.ts`, folder).href)) as { code: string }[];
    t.equal(exported.length, 1, `${file}: one export`);
    t.equal(exported[0]?.code, file, `${file}: its code is its name`);
    t.ok(
      INDICATORS.some((i) => i === exported[0]),
      `${file}: in the registry`,
    );
  }
  t.same(
    INDICATORS.map((i) => i.code),
    codes,
    'the registry in the contract’s order',
  );
});

t.test('the definitions list the indicators in the registry’s order', async (t) => {
  const h = await build(t);
  const res = await h.call('GET', '/v1/compliance/indicators', { token: await h.login('admin') });
  t.equal(res.statusCode, 200);
  t.same(
    res.json().indicators.map((i: { code: string }) => i.code),
    codes,
  );
  t.same(res.json().caps, ['officer_positive', 'inspections_with_narcotics']);
});
