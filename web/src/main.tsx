import { render } from 'preact';
import { ComparePage } from './compare-page.js';
import { DatasetPage, DatasetsPage } from './datasets-page.js';
import { EdgesPage } from './edges-page.js';
import { FeaturePage, FeaturesPage } from './features-page.js';
import { href, useRoute, type Route } from './router.js';
import { RunPage } from './run-page.js';
import { RunsPage } from './runs-page.js';
import './styles.css';

const TABS = [
  ['runs', 'Runs'],
  ['features', 'Features'],
  ['datasets', 'Datasets'],
  ['edges', 'Edges'],
] as const;

function Page(props: { readonly route: Route }) {
  const [section, id] = props.route.segments;
  switch (section ?? 'runs') {
    case 'runs':
      return id ? <RunPage id={id} /> : <RunsPage route={props.route} />;
    case 'compare':
      return <ComparePage ids={props.route.query.get('ids') ?? ''} />;
    case 'features':
      return id ? <FeaturePage refText={id} entity={props.route.query.get('entity')} /> : <FeaturesPage />;
    case 'datasets':
      return id ? <DatasetPage refText={id} /> : <DatasetsPage />;
    case 'edges':
      return <EdgesPage route={props.route} />;
    default:
      return (
        <div class="error" role="alert">
          <strong>Not found:</strong> no page “{section}”.
        </div>
      );
  }
}

function App() {
  const route = useRoute();
  const section = route.segments[0] === 'compare' ? 'runs' : (route.segments[0] ?? 'runs');
  return (
    <>
      <header class="top">
        <a class="brand" href={href(['runs'])}>
          Precog
        </a>
        <nav>
          {TABS.map(([key, label]) => (
            <a key={key} href={href([key])} class={section === key ? 'active' : ''} data-testid={`nav-${key}`}>
              {label}
            </a>
          ))}
        </nav>
        <span class="muted small">read-only</span>
      </header>
      <main>
        <Page route={route} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
