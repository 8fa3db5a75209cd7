// Copies htmx from node_modules into the worker's static assets
// (dashboard/static/vendor/htmx.min.js), so the dashboard serves it itself
// and never from a CDN. Run by postinstall, start, test and build; plain
// Node so it works before anything else is set up.
//   node dashboard/vendor-htmx.mjs [--if-present]
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'node_modules/htmx.org/dist/htmx.min.js');
const target = join(root, 'dashboard/static/vendor/htmx.min.js');

if (!existsSync(source)) {
  // `npm ci --omit=dev` has no htmx (a devDependency) and nothing to serve it with either.
  if (process.argv.includes('--if-present')) process.exit(0);
  console.error(`${source} is missing: run npm install`);
  process.exit(1);
}
const { version } = JSON.parse(readFileSync(join(root, 'node_modules/htmx.org/package.json'), 'utf8'));
if (!/^2\./.test(version)) {
  // The pages follow htmx 2's attributes and config; 4.x is a rewrite.
  console.error(`htmx ${version} is installed; the dashboard is written for htmx 2.x`);
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
