// Every dashboard page before any model is published: say so, and give the
// commands that publish one (the same as the API's 503 problem).
import type { Section } from './layout.tsx';
import { Layout } from './layout.tsx';

export const PUBLISH_COMMANDS = [
  'npm run train -- --data data/customers.csv --config data/customers.config.json',
  'npm run publish -- --model models/model.json',
];

export function NoModelPage(props: { section: Section }) {
  return (
    <Layout title="No model yet" section={props.section} model={null}>
      <h1>No model is published yet</h1>
      <div class="card no-model">
        <p>
          The dashboard explains and uses the active segmentation model, and there is none yet. Train one and publish
          it:
        </p>
        <pre>
          <code>{PUBLISH_COMMANDS.join('\n')}</code>
        </pre>
        <p>
          Or run <code>npm start</code>, which trains the bundled sample, publishes it to local storage and serves this
          dashboard. For your own data, pass <code>--data your.csv --target your_outcome_column</code> to{' '}
          <code>npm run train</code>.
        </p>
        <p class="muted">Published models are picked up within half a minute; then reload this page.</p>
      </div>
    </Layout>
  );
}
