import { execFile } from 'node:child_process';
import { appendFile, chmod, chown, mkdtemp, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test's own, on a spare port, made with the server's own tools: for
 * what the shared server must never undergo (restarts, a base backup, a replica of it). Torn down
 * by `destroy`, which the caller registers with t.teardown.
 */
export interface Cluster {
  port: number;
  dir: string;
  url(database?: string): string;
  /** Stops and starts the server; `immediate` is a crash (recovery from the WAL at start). */
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Where the server's programs are: PG_BIN, else the directory pg_config names. */
async function binDir(): Promise<string> {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const { stdout } = await run('pg_config', ['--bindir']);
  return stdout.trim();
}

// PostgreSQL refuses to run as root (CI runs as root): its programs then run as `postgres`.
const asRoot = process.getuid?.() === 0;

async function pgTool(tool: string, args: string[]): Promise<string> {
  const path = join(await binDir(), tool);
  const { stdout } = asRoot ? await run('runuser', ['-u', 'postgres', '--', path, ...args]) : await run(path, args);
  return stdout;
}

async function spareDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await chmod(dir, 0o700);
  return dir;
}

/** A port nothing listens on now. */
export async function sparePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function clusterAt(dir: string, port: number): Cluster {
  let running = false;
  const cluster: Cluster = {
    port,
    dir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      await pgTool('pg_ctl', ['-D', dir, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
      running = true;
    },
    async stop(mode = 'fast') {
      if (!running) return;
      await pgTool('pg_ctl', ['-D', dir, '-m', mode, '-w', '-t', '60', 'stop']);
      running = false;
    },
    async restart(mode = 'fast') {
      await cluster.stop(mode);
      await cluster.start();
    },
    async destroy() {
      await cluster.stop('immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

// Small and quick: a test's cluster holds little, and a machine crash is not what it tests.
const SETTINGS = (port: number, socketDir: string) => `
port = ${port}
listen_addresses = '127.0.0.1'
unix_socket_directories = '${socketDir}'
max_connections = 100
shared_buffers = 32MB
wal_level = replica
max_wal_senders = 5
hot_standby = on
fsync = off
full_page_writes = off
`;

/** A new primary cluster, started, that allows replication connections from this machine. */
export async function startCluster(): Promise<Cluster> {
  const dir = await spareDir('bersinar-pg-');
  const port = await sparePort();
  await pgTool('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const conf = join(dir, 'postgresql.conf');
  const hba = join(dir, 'pg_hba.conf');
  await appendAs(conf, SETTINGS(port, dir));
  await appendAs(hba, 'host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n');
  const cluster = clusterAt(dir, port);
  await cluster.start();
  return cluster;
}

/** A streaming replica of `primary` (pg_basebackup -R), started on its own spare port. */
export async function startReplica(primary: Cluster): Promise<Cluster> {
  const dir = await spareDir('bersinar-replica-');
  const port = await sparePort();
  // pg_basebackup wants an empty or missing target: it fills the directory made above.
  await pgTool('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    dir,
    '-R',
    '-X',
    'stream',
    '-c',
    'fast',
  ]);
  // The copied settings name the primary's port and socket directory: the replica's come last.
  await appendAs(join(dir, 'postgresql.conf'), `port = ${port}\nunix_socket_directories = '${dir}'\n`);
  const replica = clusterAt(dir, port);
  await replica.start();
  return replica;
}

/** Appends to a file of the cluster, which belongs to postgres when run as root. */
async function appendAs(path: string, text: string): Promise<void> {
  await appendFile(path, text);
  if (asRoot) {
    const owner = await stat(join(path, '..'));
    await chown(path, owner.uid, owner.gid);
  }
}
