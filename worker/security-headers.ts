// Secure headers on every response the worker makes. A header a route has
// already set wins (the dashboard and the API reference page bring their own
// Content-Security-Policy); otherwise HTML gets a same-origin-only policy and
// everything else a policy that allows nothing, since JSON is never rendered.

export const HTML_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

const ALWAYS: [string, string][] = [
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'strict-origin-when-cross-origin'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['x-frame-options', 'DENY'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()'],
];

/** What the middleware gives a JSON answer under /v1/*, for handlers that build their response whole. */
export const API_SECURITY_HEADERS: readonly [string, string][] = [
  ...ALWAYS,
  ['cross-origin-resource-policy', 'cross-origin'],
  ['content-security-policy', API_CSP],
];

/** Sets the secure headers `headers` lacks on an answer to `path` (x-content-type-options is already set). */
export function setSecurityHeaders(path: string, headers: Headers): void {
  for (const [name, value] of ALWAYS) setDefault(headers, name, value);
  // /v1/* is called (and embed.js loaded) from other sites; the rest is this origin's own.
  setDefault(headers, 'cross-origin-resource-policy', path.startsWith('/v1/') ? 'cross-origin' : 'same-origin');
  const html = /^text\/html\b/i.test(headers.get('content-type') ?? '');
  setDefault(headers, 'content-security-policy', html ? HTML_CSP : API_CSP);
}

// Module-level, not a closure per answer: the bundle keeps function names, and naming a fresh
// closure on every request (Object.defineProperty) showed in workerd's CPU profile.
function setDefault(headers: Headers, name: string, value: string): void {
  if (!headers.has(name)) headers.set(name, value);
}
