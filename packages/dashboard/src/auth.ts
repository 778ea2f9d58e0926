/** The signed-in caller: the pasted token, kept in sessionStorage for this tab only. */
const KEY = 'hub-dashboard-token';

export interface Claims {
  sub?: string;
  role?: string;
  org?: string;
  programs?: string[];
  facilitator?: string;
  exp?: number;
}

export function storedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}

/**
 * The token's claims, decoded for display and for choosing a view. Not verified here: the gateway
 * verifies every request, so a forged token only shows an empty page.
 */
export function decodeClaims(token: string): Claims | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      Array.from(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=')))
        .map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
        .join(''),
    );
    const claims = JSON.parse(json) as Claims;
    return typeof claims === 'object' && claims ? claims : null;
  } catch {
    return null;
  }
}
