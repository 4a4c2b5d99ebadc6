import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes, useNavigate, useSearchParams } from 'react-router';
import { useSession, type Me } from './auth/session';
import { SignIn } from './auth/SignIn';
import { LanguageSwitch } from './components/LanguageSwitch';
import { AdminPage } from './pages/AdminPage';
import { ApprovalsPage } from './pages/ApprovalsPage';
import { CorrectiveActionsPage } from './pages/CorrectiveActionsPage';
import { AuditPage } from './pages/AuditPage';
import { DirectoryPage } from './pages/DirectoryPage';
import { ComplaintPage } from './pages/ComplaintPage';
import { QueuePage } from './pages/QueuePage';
import { RegisterPage } from './pages/RegisterPage';
import { ReportsPage } from './pages/ReportsPage';
import { SearchPage } from './pages/SearchPage';
import { SurveyPage } from './pages/SurveyPage';
import { TrackPage } from './pages/TrackPage';
import { WorkOrdersPage } from './pages/WorkOrders';
import { HandoverPage } from './pages/HandoverPage';

/** The pages, each shown when the person may use it (the gateway's GET /v1/me says what the policy allows). */
const PAGES: { path: string; key: string; shown: (me: Me) => boolean }[] = [
  { path: '/queue', key: 'queue', shown: () => true },
  { path: '/register', key: 'register', shown: () => true },
  { path: '/approvals', key: 'approvals', shown: () => true },
  { path: '/work-orders', key: 'workOrders', shown: () => true },
  { path: '/corrective-actions', key: 'correctiveActions', shown: () => true },
  { path: '/reports', key: 'reports', shown: (me) => me.reportScopes.length > 0 },
  { path: '/admin', key: 'admin', shown: (me) => me.allowed.includes('manage_master_data') },
  { path: '/directory', key: 'directory', shown: (me) => me.allowed.includes('manage_master_data') },
  { path: '/audit', key: 'audit', shown: (me) => me.allowed.includes('audit_access_log') },
  { path: '/handover', key: 'handover', shown: (me) => me.scopeProperties.length > 0 },
];

export function App() {
  const { t } = useTranslation();
  const { session, restoring } = useSession();
  const signedOut = restoring ? (
    <main id="main">
      <p aria-busy="true">{t('signIn.loading')}</p>
    </main>
  ) : (
    <SignIn />
  );
  return (
    <Routes>
      <Route path="/callback" element={<Callback />} />
      {/* The complainant's, from the survey link: no sign-in. */}
      <Route path="/survey/:token" element={<SurveyPage />} />
      {/* The complainant's own view: the number and the last four digits of the phone given. */}
      <Route path="/track" element={<TrackPage />} />
      <Route path="*" element={session ? <Shell /> : signedOut} />
    </Routes>
  );
}

function Callback() {
  const { t } = useTranslation();
  const { completeOidcSignIn, config } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (!config || started.current) return;
    started.current = true;
    completeOidcSignIn().then(
      () => void navigate('/queue', { replace: true }),
      (failure: unknown) => setError(String(failure)),
    );
  }, [config, completeOidcSignIn, navigate]);
  return <main id="main">{error ? <p role="alert">{error}</p> : <p aria-busy="true">{t('signIn.callback')}</p>}</main>;
}

/** One box for a complaint number, a complainant's phone or e-mail, or words (SearchPage). */
function TopSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) void navigate(`/search?q=${encodeURIComponent(text.trim())}`);
  };
  return (
    <form role="search" className="top-search" onSubmit={submit}>
      <input
        type="search"
        aria-label={t('search.box')}
        placeholder={t('search.placeholder')}
        value={text}
        maxLength={200}
        onChange={(event) => setText(event.target.value)}
      />
    </form>
  );
}

function Shell() {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  if (!session) return null;
  const { me } = session;
  const pages = PAGES.filter((page) => page.shown(me));
  const may = (key: string) => pages.some((page) => page.key === key);
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="top-bar">
        <strong className="brand">{t('app.title')}</strong>
        <nav aria-label={t('app.title')}>
          <ul>
            {pages.map((page) => (
              <li key={page.key}>
                <NavLink to={page.path}>{t(`nav.${page.key}`)}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <TopSearch />
        <div className="who">
          <span data-testid="me">
            {t('app.actingAs')}: {me.name}
            {me.roleLevel ? ` · ${t(`enum.level.${me.roleLevel}`)}` : ''}
          </span>
          <LanguageSwitch />
          <button type="button" onClick={signOut}>
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Navigate to="/queue" replace />} />
          <Route path="/queue" element={<QueuePage />} />
          <Route path="/register" element={<RegisterPage />} />
          <Route path="/complaints/:id" element={<ComplaintPage />} />
          <Route path="/approvals" element={<ApprovalsPage />} />
          <Route path="/corrective-actions" element={<CorrectiveActionsPage />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/work-orders" element={<WorkOrdersPage />} />
          {may('reports') && <Route path="/reports" element={<ReportsPage />} />}
          {may('admin') && <Route path="/admin" element={<AdminPage />} />}
          {may('directory') && <Route path="/directory" element={<DirectoryPage />} />}
          {may('audit') && <Route path="/audit" element={<AuditPage />} />}
          {may('handover') && <Route path="/handover" element={<HandoverPage />} />}
          <Route path="*" element={<Navigate to="/queue" replace />} />
        </Routes>
      </main>
    </>
  );
}
