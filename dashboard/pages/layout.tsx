// The page shell: one stylesheet and htmx, both served by the worker itself,
// a skip link, the navigation and a footer naming the model in use.
import type { Child } from 'hono/jsx';
import type { Model } from '../../model/index.ts';
import { fmtDate } from '../format.ts';

export type Section = 'score' | 'segments' | 'model' | 'batch' | 'monitor' | 'experiments';

export const CSS_PATH = '/dashboard.css';
export const HTMX_PATH = '/vendor/htmx.min.js';

/**
 * htmx 2 configuration, read from the page's meta tag: no eval and no script
 * tags in swapped content (the CSP forbids them anyway), no injected <style>
 * (indicator styles live in dashboard.css), and 422 — a form with field
 * errors — swapped in like a success so the errors show next to the fields.
 */
export const HTMX_CONFIG = {
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  historyCacheSize: 0,
  historyRestoreAsHxRequest: false,
  selfRequestsOnly: true,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '422', swap: true },
    { code: '[45]..', swap: false, error: true },
  ],
};

const NAV: { section: Section; href: string; label: string }[] = [
  { section: 'score', href: '/', label: 'Score a customer' },
  { section: 'segments', href: '/segments', label: 'Segments' },
  { section: 'model', href: '/model', label: 'Model' },
  { section: 'batch', href: '/batch', label: 'Batch' },
  { section: 'monitor', href: '/monitor', label: 'Monitor' },
  { section: 'experiments', href: '/experiments', label: 'Experiments' },
];

export function Layout(props: { title: string; section?: Section; model?: Model | null; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <meta name="htmx-config" content={JSON.stringify(HTMX_CONFIG)} />
        <title>{`${props.title} · edgeseg`}</title>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href={CSS_PATH} />
        <script src={HTMX_PATH} defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            edgeseg
          </a>
          <nav aria-label="Dashboard">
            <ul>
              {NAV.map((n) => (
                <li>
                  <a href={n.href} aria-current={n.section === props.section ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <footer class="site-footer">
          {props.model ? (
            <p>
              Model <code>{props.model.version.slice(0, 12)}</code>, trained {fmtDate(props.model.training.trainedAt)}{' '}
              on {props.model.training.rows.toLocaleString('en')} customers. Programs can use the same model at{' '}
              <code>POST /v1/score</code>.
            </p>
          ) : (
            <p>No model is published yet.</p>
          )}
        </footer>
      </body>
    </html>
  );
}
