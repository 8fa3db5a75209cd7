// The dashboard shows the model and scores with it, so once API keys are
// configured (API_KEY_HASHES) it asks for one too: the browser's own sign-in
// prompt (HTTP Basic, any user name, the API key as password), which needs no
// JavaScript and is sent along with every htmx request. Without configured
// keys, or on a loopback address (`npm start`, `wrangler dev`, whose
// .dev.vars holds a key that was printed once), the dashboard is open.
import { createMiddleware } from 'hono/factory';
import { acceptedHashes, acceptedKey, bearerToken } from '../auth.ts';
import type { AppEnv } from '../env.ts';

/** The password of a Basic authorization header, or null. */
export function basicPassword(header: string | undefined | null): string | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(m[1]), (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}

/**
 * Only a local server answers to these names: Cloudflare routes a request by
 * its host, so a deployed worker never sees them.
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const dashboardAuth = createMiddleware<AppEnv>(async (c, next) => {
  if (acceptedHashes(c.env).length === 0 || LOOPBACK.has(new URL(c.req.url).hostname)) return next();
  const header = c.req.header('authorization');
  const key = basicPassword(header) ?? bearerToken(header);
  if (await acceptedKey(c.env, key)) return next();
  return c.html(
    '<!doctype html><title>Sign in</title><p>Sign in with an API key as the password (any user name).</p>',
    401,
    {
      'www-authenticate': 'Basic realm="edgeseg dashboard", charset="UTF-8"',
      'cache-control': 'no-store',
    },
  );
});
