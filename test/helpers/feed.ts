import type { Harness } from './app.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

/** Reading the change feed as one caller, through HTTP: what the events tests assert on. */
export function feedOf(h: Harness) {
  /** The feed read to its end from `after` (or the start), as one caller sees it. */
  async function readAll(token: string, query = '', after?: string): Promise<{ events: Json[]; cursor: string }> {
    const events: Json[] = [];
    let cursor = after;
    for (;;) {
      const q = [query, cursor ? `after=${cursor}` : ''].filter(Boolean).join('&');
      const res = await h.call('GET', `/v1/events${q ? `?${q}` : ''}`, { token });
      if (res.statusCode !== 200) throw new Error(`feed: ${res.statusCode} ${res.body}`);
      const page = res.json();
      events.push(...page.data);
      cursor = page.next_cursor;
      if (!page.has_more) return { events, cursor: cursor as string };
    }
  }
  /** Where the feed ends now, for this caller: read from here to see what comes next. */
  const head = async (token: string) => (await readAll(token)).cursor;
  return { readAll, head };
}
