import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense } from 'react';
import { Route, Router, Switch } from 'wouter';
import { ApiError } from './api/problem';
import { SessionProvider, useSession } from './auth/session';
import { featuresFor } from './features';
import Home from './features/home';
import { texts, useTexts } from './i18n';
import { Layout } from './shell/Layout';
import { SignIn } from './shell/SignIn';
import { Loading, Page } from './ui';

const T = texts({
  id: { loading: 'Memuat…', notFound: 'Halaman tidak ditemukan' },
  en: { loading: 'Loading…', notFound: 'Page not found' },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal is an answer, not a glitch: only a lost connection is worth another try.
      retry: (count, error) => count < 2 && error instanceof ApiError && (error.offline || error.status >= 500),
      staleTime: 30_000,
    },
  },
});

function Screens() {
  const t = useTexts(T);
  const { state } = useSession();
  if (state.status === 'loading') return <Loading label={t.loading} />;
  if (state.status === 'signed-out') return <SignIn />;
  return (
    <Suspense fallback={<Loading label={t.loading} />}>
      <Switch>
        <Route path="/" component={Home} />
        {featuresFor(state.profile.me.role).map((feature) => (
          <Route key={feature.path} path={feature.path} nest component={feature.screen} />
        ))}
        <Route>
          <Page title={t.notFound}>{null}</Page>
        </Route>
      </Switch>
    </Suspense>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <Router base="/console">
          <Layout>
            <Screens />
          </Layout>
        </Router>
      </SessionProvider>
    </QueryClientProvider>
  );
}
