/**
 * The client side of `bench:launch`: a browser's part of one full LTI launch (sandbox "Launch as" → OIDC login →
 * platform auth → id_token POST → first page), and virtual users repeating it back to back.
 */

/** Fetch Metadata a browser sends on a navigation: `document` in its own window, `iframe` inside the course page. */
export type FetchDestination = 'document' | 'iframe';

/** A launch that went wrong; `kind` groups failures of one sort (status and path, or network error) for the report. */
export class LaunchError extends Error {
  constructor(
    readonly kind: string,
    detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

/** A browser's cookie jar, just enough for one launch: name=value per origin-less name. */
class CookieJar {
  private cookies = new Map<string, string>();
  store(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(header) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function decode(html: string): string {
  return html
    .replace(/&amp;/g, '&')
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"');
}

/** A page's visible text (its title, then its body without tags), for an error line that says what went wrong. */
function textOf(html: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1] ?? '';
  const body = html
    .replace(/<head>[\s\S]*?<\/head>/i, '')
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]+>/g, ' ');
  return `${title} | ${body}`.replace(/\s+/g, ' ').trim();
}

/** One full launch as the nurse; resolves once the first page greets her, throws a LaunchError otherwise. */
export async function launchOnce(base: string, destination: FetchDestination): Promise<void> {
  const jar = new CookieJar();
  const request = async (url: string, init: RequestInit = {}) => {
    const where = `${init.method ?? 'GET'} ${new URL(url).pathname}`;
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: {
          ...(init.headers as Record<string, string>),
          cookie: jar.header(),
          'sec-fetch-dest': destination,
          'sec-fetch-mode': 'navigate',
        },
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new LaunchError(`network error (${cause}) at ${where}`, (error as Error).message);
    }
    jar.store(response);
    return { response, where };
  };
  let { response, where } = await request(`${base}/sandbox/launch/nurse`);
  for (let step = 0; step < 12; step++) {
    if (response.status >= 300 && response.status < 400) {
      await response.arrayBuffer();
      ({ response, where } = await request(
        new URL(response.headers.get('location')!, response.url || base).toString(),
      ));
      continue;
    }
    const html = await response.text();
    const excerpt = textOf(html).slice(0, 200);
    if (response.status !== 200) throw new LaunchError(`HTTP ${response.status} at ${where}`, excerpt);
    if (html.includes('Welcome, Nora')) return;
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    if (!form) throw new LaunchError(`200 without form or greeting at ${where}`, excerpt);
    const body = new URLSearchParams();
    for (const input of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(input[0])?.[1];
      const value = /value="([^"]*)"/.exec(input[0])?.[1];
      if (name) body.set(name, decode(value ?? ''));
    }
    ({ response, where } = await request(decode(form[1]!), {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }));
  }
  throw new LaunchError('no first page within 12 steps', where);
}

/** Failures of one kind: how many, and the first one's message. */
export interface ErrorTally {
  count: number;
  first: string;
}

export interface LoadResult {
  /** Latency of each completed launch, in milliseconds. */
  latencies: number[];
  errors: Map<string, ErrorTally>;
  /** Wall time from start until the last user's last launch ended. */
  seconds: number;
}

/** `users` virtual users launch back to back until `seconds` have passed; launches under way are finished. */
export async function applyLoad(
  base: string,
  destination: FetchDestination,
  users: number,
  seconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const errors = new Map<string, ErrorTally>();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: users }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        try {
          await launchOnce(base, destination);
          latencies.push(performance.now() - begin);
        } catch (error) {
          const kind = error instanceof LaunchError ? error.kind : 'unexpected';
          const tally = errors.get(kind) ?? { count: 0, first: (error as Error).message };
          tally.count++;
          errors.set(kind, tally);
        }
      }
    }),
  );
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}
