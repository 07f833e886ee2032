import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import ts from 'typescript';

// The layers of src/ (DESIGN.md, Layout), read from the import statements of every source file:
// core/ uses nothing of the project; http/ and db/ use core/ (and themselves); a module uses core/,
// http/, db/, itself, and another module only through its service.ts. app.ts, server.ts, config.ts
// and demo/ compose the rest and may use anything.

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

interface Edge {
  from: string;
  to: string;
}

/** A departure from the layers, kept on purpose; `to` may end in a file pattern with `*`. */
interface Exception {
  from: string;
  to: string;
  why: string;
}

const EXCEPTIONS: Exception[] = [
  {
    from: 'http/contract.ts',
    to: 'app.ts',
    why: 'builds the whole app to print its contract (npm run openapi, the drift test): an entry point',
  },
  { from: 'http/contract.ts', to: 'config.ts', why: 'the same entry point reads the default settings' },
  { from: 'http/contract.ts', to: 'db/client.ts', why: 'the same entry point names the database it never opens' },
  {
    from: 'http/openapi.ts',
    to: 'modules/inspections/schemas.ts',
    why: "evaluated first, it fixes the order of openapi.yaml's components (the evidence upload refers to one)",
  },
  {
    from: 'http/openapi.ts',
    to: 'modules/events/catalogue.ts',
    why: "the contract's webhooks section is the catalogue of domain events",
  },
  {
    from: 'modules/events/catalogue.ts',
    to: 'modules/*/events.ts',
    why: "gathers the modules' event types into the catalogue, as db/schema.ts gathers their tables",
  },
  {
    from: 'modules/webhooks/schemas.ts',
    to: 'modules/events/catalogue.ts',
    why: 'a subscription names event types of the catalogue, and only those',
  },
  { from: 'http/personal-data.ts', to: 'db/data-classes.ts', why: 'which columns hold personal data: their registry' },
  { from: 'http/write.ts', to: 'db/tables.ts', why: 'the answers kept for retried writes live in idempotency_keys' },
  { from: 'db/schema.ts', to: 'modules/*/tables.ts', why: "gathers the modules' tables for drizzle and drizzle-kit" },
  { from: 'db/seed.ts', to: 'modules/*/tables.ts', why: "writes the demo world straight into the modules' tables" },
  { from: 'db/seed.ts', to: 'modules/auth/passwords.ts', why: 'the demo logins need their password hashes' },
  { from: 'db/cli.ts', to: 'config.ts', why: 'a command-line entry point, composed like server.ts' },
  { from: 'db/cli.ts', to: 'demo/living.ts', why: 'the same entry point loads the living demo' },
  { from: 'db/cli.ts', to: 'http/keys.ts', why: 'the same entry point signs the living demo in' },
];

/**
 * A module's files that reach another module past its service.ts: each should go through that
 * service (or the kernel) in time. Remove a line once its import is gone; a stale line fails too.
 * Besides these, a tables.ts may name another module's tables.ts: a foreign key needs its column.
 */
const MODULE_ALLOWANCES: { from: string; to: string }[] = [
  // Queries that join a facility (its zone, name or province) or an organisation.
  { from: 'compliance', to: 'facilities/tables.ts' },
  // A meeting's organiser and an item's owner are named, and an owner's zone judges lateness.
  { from: 'coordination', to: 'organisations/tables.ts' },
  { from: 'facilities', to: 'organisations/tables.ts' },
  { from: 'inspections', to: 'facilities/tables.ts' },
  { from: 'kotan', to: 'organisations/tables.ts' },
  { from: 'mous', to: 'organisations/tables.ts' },
  { from: 'rehab', to: 'facilities/tables.ts' },
  { from: 'rehab', to: 'organisations/tables.ts' },
  { from: 'trainings', to: 'facilities/tables.ts' },
  { from: 'urine', to: 'facilities/tables.ts' },
  // Queries that read the people in a register.
  { from: 'inspections', to: 'inmates/tables.ts' },
  { from: 'inspections', to: 'officers/tables.ts' },
  { from: 'rehab', to: 'inmates/tables.ts' },
  { from: 'trainings', to: 'officers/tables.ts' },
  { from: 'urine', to: 'inmates/tables.ts' },
  { from: 'urine', to: 'officers/tables.ts' },
  // Rehab programmes join their MoU and their facilitators' user accounts.
  { from: 'rehab', to: 'auth/tables.ts' },
  { from: 'rehab', to: 'mous/tables.ts' },
  // Past a service: a release closes the enrolments, and the scorecard counts training coverage.
  { from: 'inmates', to: 'rehab/closing.ts' },
  { from: 'compliance', to: 'trainings/coverage.ts' },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every import of a project file (static, type-only, re-export, side effect, dynamic), as paths under src/. */
function importGraph(root = SRC): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(root)) {
    const found = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles;
    for (const { fileName } of found) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName);
      if (!existsSync(target)) throw new Error(`${relative(root, file)} imports ${fileName}, which is not there`);
      edges.push({ from: relative(root, file), to: relative(root, target) });
    }
  }
  return edges;
}

const layerOf = (path: string) => {
  const [top, name] = path.split('/');
  if (top === 'core' || top === 'http' || top === 'db') return top;
  if (top === 'modules') return `modules/${name}`;
  return 'root';
};

const matches = (pattern: string, path: string) =>
  new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`).test(path);

function allowedByLayers({ from, to }: Edge): boolean {
  const here = layerOf(from);
  const there = layerOf(to);
  if (there === 'core') return true;
  if (here === 'core') return false;
  if (here === 'http' || here === 'db') return there === here;
  if (here === 'root') return true;
  // A module.
  if (there === 'http' || there === 'db' || there === here) return true;
  if (!there.startsWith('modules/')) return false;
  return to.endsWith('/service.ts') || (from.endsWith('/tables.ts') && to.endsWith('/tables.ts'));
}

/** The imports that break the layers, and the exceptions and allowances nothing uses any more. */
function checkLayers(
  edges: Edge[],
  exceptions: Exception[] = EXCEPTIONS,
  allowances: { from: string; to: string }[] = MODULE_ALLOWANCES,
) {
  const used = new Set<object>();
  const broken: string[] = [];
  for (const edge of edges) {
    if (allowedByLayers(edge)) continue;
    const exception = exceptions.find((e) => e.from === edge.from && matches(e.to, edge.to));
    const allowance = allowances.find(
      (a) => edge.from.startsWith(`modules/${a.from}/`) && edge.to === `modules/${a.to}`,
    );
    const reason = exception ?? allowance;
    if (reason) used.add(reason);
    else broken.push(`${edge.from} -> ${edge.to}`);
  }
  const stale = [...exceptions, ...allowances].filter((e) => !used.has(e)).map((e) => `${e.from} -> ${e.to}`);
  return { broken: [...new Set(broken)].sort(), stale };
}

const edges = importGraph();

t.test('every source file imports within the layers, or as a listed exception', async (t) => {
  t.ok(edges.length > 500, `the import graph was read (${edges.length} imports)`);
  const { broken, stale } = checkLayers(edges);
  t.same(broken, [], 'no import breaks the layers');
  t.same(stale, [], 'every exception and allowance is still needed');
});

t.test('core/ imports nothing of the project', async (t) => {
  const out = edges.filter((e) => e.from.startsWith('core/') && !e.to.startsWith('core/'));
  t.same(out, []);
});

t.test('the check catches each kind of forbidden import', async (t) => {
  const forbidden: Edge[] = [
    { from: 'core/access.ts', to: 'http/principal.ts' },
    { from: 'core/calendar/index.ts', to: 'modules/facilities/service.ts' },
    { from: 'http/write.ts', to: 'modules/audit/service.ts' },
    { from: 'http/schemas.ts', to: 'db/client.ts' },
    { from: 'db/client.ts', to: 'http/problem.ts' },
    { from: 'db/seed.ts', to: 'modules/audit/service.ts' },
    { from: 'modules/urine/service.ts', to: 'modules/inspections/evidence-store.ts' },
    { from: 'modules/kotan/service.ts', to: 'config.ts' },
    { from: 'modules/kotan/routes.ts', to: 'app.ts' },
  ];
  const { broken } = checkLayers([...edges, ...forbidden]);
  t.same(broken, forbidden.map((e) => `${e.from} -> ${e.to}`).sort());
  const allowed: Edge[] = [
    { from: 'modules/urine/service.ts', to: 'modules/facilities/service.ts' },
    { from: 'modules/urine/tables.ts', to: 'modules/inmates/tables.ts' },
    { from: 'modules/urine/routes.ts', to: 'core/access.ts' },
    { from: 'http/write.ts', to: 'core/change.ts' },
    { from: 'app.ts', to: 'modules/urine/routes.ts' },
  ];
  t.same(checkLayers([...edges, ...allowed]).broken, [], 'and lets the allowed ones through');
  const { stale } = checkLayers(
    edges.filter((e) => e.from !== 'http/write.ts' || e.to !== 'db/tables.ts'),
    EXCEPTIONS,
    MODULE_ALLOWANCES,
  );
  t.same(stale, ['http/write.ts -> db/tables.ts'], 'an exception no import needs is reported');
});
