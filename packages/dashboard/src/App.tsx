import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Provider, useQuery } from 'urql';
import { decodeClaims, storedToken, storeToken, type Claims } from './auth';
import { createHubClient } from './client';
import { Problem } from './Problem';
import { useHashRoute } from './route';

// Each view is its own chunk (with recharts in another): the sign-in page loads only this file's chunk.
const ProgramOverview = lazy(() => import('./ProgramOverview').then((m) => ({ default: m.ProgramOverview })));
const PartnerView = lazy(() => import('./PartnerView').then((m) => ({ default: m.PartnerView })));
const ForumLoop = lazy(() => import('./ForumLoop').then((m) => ({ default: m.ForumLoop })));

export function App() {
  const [token, setToken] = useState<string | null>(() => storedToken());
  const claims = useMemo(() => (token ? decodeClaims(token) : null), [token]);
  const hub = useMemo(() => (token ? createHubClient(token) : null), [token]);
  useEffect(() => () => hub?.dispose(), [hub]);

  const signIn = (t: string) => {
    storeToken(t);
    setToken(t);
  };
  const signOut = () => {
    storeToken(null);
    setToken(null);
  };

  if (!token || !hub) return <SignIn onSignIn={signIn} />;
  return (
    <Provider value={hub.client}>
      {claims ? (
        <Home claims={claims} onSignOut={signOut} />
      ) : (
        <>
          <Header claims={null} onSignOut={signOut} />
          <main>
            <p className="problem">This token cannot be read: sign out and paste the whole token.</p>
          </main>
        </>
      )}
    </Provider>
  );
}

function SignIn({ onSignIn }: { onSignIn: (token: string) => void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState('');
  return (
    <main className="sign-in">
      <h1>Program dashboard</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const token = text.trim().replace(/^Bearer\s+/i, '');
          if (!decodeClaims(token)) return setProblem('That does not look like a sign-in token (three parts separated by dots).');
          onSignIn(token);
        }}
      >
        <label htmlFor="token">Paste your sign-in token (`npm start` prints one per role):</label>
        <textarea id="token" name="token" rows={5} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        {problem ? <p className="problem">{problem}</p> : null}
        <button type="submit">Sign in</button>
      </form>
      <p className="muted">The token stays in this browser tab (sessionStorage) until you sign out or close it.</p>
    </main>
  );
}

interface ProgramName {
  id: string;
  name: string;
}

function Header({ claims, onSignOut, children }: { claims: Claims | null; onSignOut: () => void; children?: React.ReactNode }) {
  const expires = claims?.exp ? new Date(claims.exp * 1000) : null;
  return (
    <header>
      <strong>Program dashboard</strong>
      {children}
      <span className="who" data-testid="who">
        {claims?.role ?? 'unknown role'}
        {claims?.org ? ` · ${claims.org}` : ''}
        {expires ? <span className="muted"> · until {expires.toLocaleString()}</span> : null}
      </span>
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}

const WHO = `query DashboardWho($o: ID!) { organisation(id: $o) { id name programs { id name } } programs(first: 100) { nodes { id name } } }`;

/**
 * The signed-in page: the caller's programs (a picker when there are several), tabs for the views
 * its role has, and the view of the tab chosen. A national manager's programs are its token's
 * `programs`; a partner admin's those its organisation delivers.
 */
function Home({ claims, onSignOut }: { claims: Claims; onSignOut: () => void }) {
  const [who] = useQuery({ query: WHO, variables: { o: claims.org ?? '' }, pause: !claims.org });
  const [route, go] = useHashRoute();
  const [picked, setPicked] = useState<string | null>(null);
  const org = who.data?.organisation as { id: string; name: string; programs: ProgramName[] } | null | undefined;
  const national = claims.role === 'national-manager';
  // a managing organisation's programs are not among those it delivers: names from the programs it may read
  const readable = (who.data?.programs?.nodes ?? []) as ProgramName[];
  const programs: ProgramName[] = national
    ? (claims.programs ?? []).map((id) => readable.find((p) => p.id === id) ?? { id, name: id })
    : (org?.programs ?? []);
  const programId = programs.find((p) => p.id === picked)?.id ?? programs[0]?.id;

  const tabs = national ? [['overview', 'Program overview'], ['loop', 'Three-tier loop']] : [['overview', 'Partner'], ['loop', 'Three-tier loop']];
  let view: React.ReactNode;
  if (claims.role !== 'national-manager' && claims.role !== 'partner-admin') {
    view = <p className="problem">This dashboard is for national managers and partner admins; signed in as {claims.role ?? 'an unknown role'}.</p>;
  } else if (national && !claims.programs?.length) {
    view = <p className="problem">This national manager's token names no program (the `programs` claim).</p>;
  } else if (!programId) {
    view = who.error ? <Problem error={who.error} /> : <p className="muted">Loading…</p>;
  } else if (route === 'loop') {
    view = <ForumLoop key={programId} programId={programId} />;
  } else if (national) {
    view = <ProgramOverview key={programId} programId={programId} />;
  } else {
    view = <PartnerView key={programId} organisationId={claims.org!} programId={programId} organisationName={org?.name} />;
  }
  return (
    <>
      <Header claims={{ ...claims, org: claims.org ? `${org?.name ?? claims.org} (${claims.org})` : undefined }} onSignOut={onSignOut}>
        <nav>
          {tabs.map(([key, label]) => (
            <a key={key} href={`#/${key}`} aria-current={route === key ? 'page' : undefined} onClick={() => go(key)}>
              {label}
            </a>
          ))}
        </nav>
        {programs.length > 1 ? (
          <select aria-label="Program" value={programId} onChange={(e) => setPicked(e.target.value)}>
            {programs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        ) : null}
      </Header>
      <main>
        <Suspense fallback={<p className="muted">Loading…</p>}>{view}</Suspense>
      </main>
    </>
  );
}
