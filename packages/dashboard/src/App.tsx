import { useEffect, useMemo, useState } from 'react';
import { Provider, useQuery } from 'urql';
import { decodeClaims, storedToken, storeToken, type Claims } from './auth';
import { createHubClient } from './client';
import { LivePanel } from './LivePanel';
import { PartnerView } from './PartnerView';
import { ProgramOverview } from './ProgramOverview';

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
      <Header claims={claims} onSignOut={signOut} />
      <main>{claims ? <Home claims={claims} /> : <p className="problem">This token cannot be read: sign out and paste the whole token.</p>}</main>
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

function Header({ claims, onSignOut }: { claims: Claims | null; onSignOut: () => void }) {
  const [org] = useQuery({ query: `query DashboardWho($o: ID!) { organisation(id: $o) { id name } }`, variables: { o: claims?.org ?? '' }, pause: !claims?.org });
  const expires = claims?.exp ? new Date(claims.exp * 1000) : null;
  return (
    <header>
      <strong>Program dashboard</strong>
      <span className="who" data-testid="who">
        {claims?.role ?? 'unknown role'}
        {claims?.org ? ` · ${org.data?.organisation?.name ?? claims.org} (${claims.org})` : ''}
        {expires ? <span className="muted"> · until {expires.toLocaleString()}</span> : null}
      </span>
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}

function Home({ claims }: { claims: Claims }) {
  const [programIndex, setProgramIndex] = useState(0);
  if (claims.role === 'national-manager') {
    const programs = claims.programs ?? [];
    if (!programs.length) return <p className="problem">This national manager's token names no program (the `programs` claim).</p>;
    const programId = programs[Math.min(programIndex, programs.length - 1)];
    return (
      <>
        {programs.length > 1 ? (
          <select aria-label="Program" value={programIndex} onChange={(e) => setProgramIndex(Number(e.target.value))}>
            {programs.map((p, i) => (
              <option key={p} value={i}>
                {p}
              </option>
            ))}
          </select>
        ) : null}
        <LivePanel key={`live-${programId}`} programId={programId} />
        <ProgramOverview key={programId} programId={programId} />
      </>
    );
  }
  if (claims.role === 'partner-admin' && claims.org) return <PartnerView organisationId={claims.org} />;
  return <p className="problem">This dashboard is for national managers and partner admins; signed in as {claims.role ?? 'an unknown role'}.</p>;
}
