import { useCallback, useEffect, useState } from 'react';

const read = () => location.hash.replace(/^#\/?/, '') || 'overview';

/** The view named in the URL's hash (`#/loop`), so a reload or a shared link opens the same view. */
export function useHashRoute(): [string, (route: string) => void] {
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const go = useCallback((next: string) => setRoute(next), []);
  return [route, go];
}
