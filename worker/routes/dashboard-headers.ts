// Security headers for dashboard pages: a strict Content-Security-Policy —
// scripts and styles only from the worker's own origin (htmx and the
// stylesheet), no inline script or style, no eval, no framing, forms posting
// only back here — and the usual hardening headers.
import { secureHeaders } from 'hono/secure-headers';

export const DASHBOARD_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

export const dashboardHeaders = secureHeaders({
  contentSecurityPolicy: DASHBOARD_CSP,
  xFrameOptions: 'DENY',
  referrerPolicy: 'same-origin',
});
