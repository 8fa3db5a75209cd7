// Dashboard posts must come from the dashboard's own pages. Browsers name the
// page a request comes from (Origin, Sec-Fetch-Site) on every cross-site POST,
// so a post from another site — which would carry the marketer's saved
// sign-in — is refused. Requests naming no origin (curl, scripts) cannot be
// forged by a page and are let through, to the API-key check like any other.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';

export function crossSite(requestUrl: string, origin: string | undefined, fetchSite: string | undefined): boolean {
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return true;
  if (origin === undefined || origin === '') return false;
  return origin !== new URL(requestUrl).origin;
}

export const sameOriginPosts = createMiddleware<AppEnv>(async (c, next) => {
  if (
    c.req.method !== 'GET' &&
    c.req.method !== 'HEAD' &&
    crossSite(c.req.url, c.req.header('origin'), c.req.header('sec-fetch-site'))
  ) {
    return c.text('Forbidden: dashboard forms only accept posts from the dashboard itself.', 403);
  }
  await next();
});
