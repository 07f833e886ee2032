import t from 'tap';
import { DATA_CLASSES, dataClassOf } from '../src/db/data-classes.ts';
import { build } from './helpers/app.ts';

const h = await build(t, {}, { seed: false });

t.test('every column of every table has a data class', async (t) => {
  const columns = await h.rows<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  t.ok(columns.length > 50);
  for (const c of columns) {
    t.ok(
      dataClassOf(c.table_name, c.column_name),
      `${c.table_name}.${c.column_name} is classified in src/db/data-classes/`,
    );
  }
  const real = new Set(columns.map((c) => `${c.table_name}.${c.column_name}`));
  for (const [table, classes] of Object.entries(DATA_CLASSES)) {
    for (const column of Object.values(classes).flat())
      t.ok(real.has(`${table}.${column}`), `${table}.${column} exists`);
  }
});
