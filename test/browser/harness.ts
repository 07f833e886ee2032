import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { loadLivingDemo } from '../../src/demo/living.ts';
import { build, type Harness, PASSWORD } from '../helpers/app.ts';

// The console in Debian's Chromium, against the real server on this file's own PostgreSQL database
// with the demo world loaded. Every flow runs at a phone's size and a desktop's.

export { PASSWORD };
export const PHONE = { width: 360, height: 640 };
export const DESKTOP = { width: 1280, height: 800 };
export const SIZES = [
  { name: 'phone', viewport: PHONE },
  { name: 'desktop', viewport: DESKTOP },
] as const;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium knocks on Google's hosts, which this network refuses.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

interface Tap {
  teardown(fn: () => unknown): void;
}

export interface ConsoleServer {
  base: string;
  harness: Harness;
  browser: Browser;
}

/** The server with the living demo, listening on a free port, and one browser for the file. */
export async function startConsole(t: Tap, env: Record<string, string> = {}): Promise<ConsoleServer> {
  // Many sign-ins from one address: the throttles are another file's subject.
  const harness = await build(t, { AUTH_RATE_LIMIT_MAX: '100000', API_RATE_LIMIT_MAX: '100000', ...env });
  const { app } = harness;
  await loadLivingDemo({
    config: app.config,
    database: harness.test.database,
    signingKey: app.signingKey,
    password: PASSWORD,
    world: harness.world,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  t.teardown(() => browser.close());
  return { base: `http://127.0.0.1:${port}`, harness, browser };
}

export interface Opened {
  context: BrowserContext;
  page: Page;
  /** Content-Security-Policy refusals and uncaught errors seen in the page: a test expects none. */
  faults: string[];
}

/** A fresh browser profile at a size, Indonesian unless told, with the page's faults collected. */
export async function open(
  server: ConsoleServer,
  viewport: { width: number; height: number },
  options: { locale?: string } = {},
): Promise<Opened> {
  const context = await server.browser.newContext({
    viewport,
    baseURL: server.base,
    locale: options.locale ?? 'id-ID',
    serviceWorkers: 'allow',
  });
  const page = await context.newPage();
  const faults: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      faults.push(message.text());
    }
  });
  page.on('pageerror', (error) => faults.push(error.message));
  return { context, page, faults };
}

/** Signs in through the form, as a person would, and waits for the home page. */
export async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto('/console/');
  await page.getByLabel(/Nama pengguna|Username/).fill(username);
  await page.getByLabel(/Kata sandi|Password/).fill(password);
  await page.getByRole('button', { name: /^(Masuk|Sign in)$/ }).click();
  await page.getByRole('heading', { level: 1, name: /Beranda|Home/ }).waitFor();
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's serious and critical findings on the page as it stands. It is evaluated through the
 * DevTools protocol, which the page's policy does not govern: the page itself stays strict.
 */
export async function accessibilityProblems(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run();
    return (result.violations as { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}
