import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { configureApi, getJson, withQuery } from '../api/client';
import type { Schemas } from '../api/schemas';
import type { ConsoleConfig, Directory, RoleLevel } from '../api/types';

type MeView = Schemas['Me'];

// The one place that knows how staff sign in and where the access token comes from; everything
// else asks useSession() for `me` and the API client for data. Two ways in:
//  - OpenID Connect authorization code + PKCE at the issuer named by /console/config.json;
//  - developer sign-in (only when that config allows it, i.e. locally): an API key, acting as a
//    chosen staff member. Lifecycle actions name `me.staffId` either way.

export interface Me {
  staffId: string;
  name: string;
  /** null only if the gateway knows no level for them (it then decides alone). */
  roleLevel: RoleLevel | null;
  /** Their department's kind (customer_service, quality …); '' above department level. */
  departmentKind?: string;
  propertyIds: string[];
  /** Every property the person sees (their scope), with names: where they register and look. */
  scopeProperties: { id: string; name: string; regionId: string }[];
  /** What the access policy allows them on the whole group (manage_master_data, export …). */
  allowed: string[];
  /** The report scopes they may read (`group`, `region:<id>`, `property:<id>`), widest first. */
  reportScopes: { scope: string; name: string }[];
}

interface StoredSession {
  kind: 'oidc' | 'developer';
  token: string;
  me: Me;
}

interface SessionContext {
  /** The group whose staff sign in here ('' : the one the gateway's environment names). */
  group: string;
  chooseGroup: (groupId: string) => void;
  config: ConsoleConfig | null;
  configError: string | null;
  session: StoredSession | null;
  /** Still finding out whether someone signed in before this page loaded. */
  restoring: boolean;
  /** Why the last session ended without the person signing out (the gateway refused its token). */
  endedBecause: string | null;
  signInWithOidc: () => Promise<void>;
  signInAsDeveloper: (apiKey: string, staffId: string) => Promise<void>;
  completeOidcSignIn: () => Promise<void>;
  signOut: () => void;
}

const DEVELOPER_KEY = 'console.developer-session';
/**
 * The group the console was opened for (`/console/?group=<id>`, a link each group's staff keep),
 * remembered so the sign-in's return and later visits find the same identity provider.
 */
const GROUP_KEY = 'console.group';

function groupAtStart(): string {
  const asked = new URLSearchParams(window.location.search).get('group')?.trim();
  if (asked) localStorage.setItem(GROUP_KEY, asked);
  return asked || localStorage.getItem(GROUP_KEY) || '';
}
/** Set by signing out: the next OpenID Connect sign-in asks for the password again (the issuer's session outlives ours). */
const SIGNED_OUT_KEY = 'console.signed-out';
const Context = createContext<SessionContext | null>(null);

let currentToken: string | null = null;
let whenUnauthenticated: () => void = () => undefined;
// At import, before any page asks for data (children's effects run before their parents').
configureApi(
  () => currentToken,
  () => whenUnauthenticated(),
);

function userManager(config: ConsoleConfig): UserManager | null {
  if (!config.oidc) return null;
  const base = `${window.location.origin}/console`;
  return new UserManager({
    authority: config.oidc.issuerUrl,
    client_id: config.oidc.clientId,
    redirect_uri: `${window.location.origin}${config.oidc.redirectPath}`,
    post_logout_redirect_uri: `${base}/`,
    scope: config.oidc.scope,
    response_type: 'code',
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
  });
}

/** The signed-in person as the gateway describes them (`GET /v1/me`; for a key, the staff member it acts as). */
export function meFrom(view: MeView): Me {
  const staff = view.staff;
  if (!staff) throw new Error('the gateway names no staff member for this sign-in');
  return {
    staffId: staff.id,
    name: staff.name,
    roleLevel: staff.roleLevel,
    departmentKind: staff.department?.kind ?? '',
    propertyIds: staff.properties.map((property) => property.id),
    scopeProperties: view.scopeProperties,
    allowed: view.allowed,
    reportScopes: view.reportScopes,
  };
}

async function sessionOf(user: User): Promise<StoredSession> {
  currentToken = user.access_token;
  return { kind: 'oidc', token: user.access_token, me: meFrom(await getJson<MeView>('/v1/me')) };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [group, setGroup] = useState(groupAtStart);
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [configError, setConfigError] = useState<string | null>(null);
  const [session, setSession] = useState<StoredSession | null>(() => {
    const stored = sessionStorage.getItem(DEVELOPER_KEY);
    if (!stored) return null;
    const parsed = JSON.parse(stored) as StoredSession;
    // Stored by an older console (without what /v1/me tells): sign in again.
    if (!Array.isArray(parsed.me?.allowed)) return null;
    currentToken = parsed.token;
    return parsed;
  });
  const [endedBecause, setEndedBecause] = useState<string | null>(null);
  const manager = useMemo(() => (config ? userManager(config) : null), [config]);

  const signOut = useCallback(() => {
    if (currentToken) localStorage.setItem(SIGNED_OUT_KEY, '1');
    sessionStorage.removeItem(DEVELOPER_KEY);
    currentToken = null;
    setSession(null);
    if (manager) void manager.removeUser();
  }, [manager]);

  useEffect(() => {
    whenUnauthenticated = () => {
      if (currentToken) setEndedBecause('401');
      signOut();
    };
  }, [signOut]);

  useEffect(() => {
    setConfig(null);
    setConfigError(null);
    getJson<ConsoleConfig>(withQuery('/console/config.json', group ? { group } : {})).then(
      setConfig,
      (error: unknown) => setConfigError(error instanceof Error ? error.message : String(error)),
    );
  }, [group]);

  // A signed-in OpenID Connect user from before a reload (oidc-client-ts keeps it in sessionStorage):
  // looked for once, when the configuration arrives, so that signing out never brings it back.
  const [restoring, setRestoring] = useState(true);
  const hadSession = useRef(session !== null);
  useEffect(() => {
    if (configError) setRestoring(false);
    if (!config) return;
    if (!manager || hadSession.current) {
      setRestoring(false);
      return;
    }
    void manager
      .getUser()
      .then((user) => (user && !user.expired ? sessionOf(user) : null))
      .catch(() => null)
      .then((restored) => {
        if (restored) setSession((current) => current ?? restored);
        setRestoring(false);
      });
  }, [config, configError, manager]);

  const value: SessionContext = {
    group,
    chooseGroup: (groupId) => {
      const chosen = groupId.trim();
      if (chosen) localStorage.setItem(GROUP_KEY, chosen);
      else localStorage.removeItem(GROUP_KEY);
      setGroup(chosen);
    },
    config,
    configError,
    session,
    restoring,
    endedBecause,
    signInWithOidc: async () => {
      setEndedBecause(null);
      if (!manager) throw new Error('no OpenID Connect issuer configured');
      // After signing out here, ask the issuer for the password again rather than reusing its session.
      const again = localStorage.getItem(SIGNED_OUT_KEY) !== null;
      await manager.signinRedirect({ state: window.location.pathname, ...(again ? { prompt: 'login' } : {}) });
    },
    completeOidcSignIn: async () => {
      if (!manager) return;
      const user = await manager.signinRedirectCallback();
      localStorage.removeItem(SIGNED_OUT_KEY);
      setSession(await sessionOf(user));
    },
    signInAsDeveloper: async (apiKey, staffId) => {
      setEndedBecause(null);
      // The key must be good and name a staff member of its group: the gateway says who that is.
      const response = await fetch(withQuery('/v1/me', { actingAs: staffId }), {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const stored: StoredSession = { kind: 'developer', token: apiKey, me: meFrom((await response.json()) as MeView) };
      sessionStorage.setItem(DEVELOPER_KEY, JSON.stringify(stored));
      currentToken = apiKey;
      setSession(stored);
    },
    signOut,
  };
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): SessionContext {
  const context = useContext(Context);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
}

/** The signed-in person; only for pages behind the sign-in. */
export function useMe(): Me {
  const { session } = useSession();
  if (!session) throw new Error('useMe without a session');
  return session.me;
}

/** For the developer sign-in form: the directory as this key sees it (admin keys only). */
export async function directoryWithKey(apiKey: string): Promise<Directory | null> {
  const response = await fetch('/v1/admin/directory', { headers: { authorization: `Bearer ${apiKey}` } });
  if (!response.ok) return null;
  return (await response.json()) as Directory;
}
