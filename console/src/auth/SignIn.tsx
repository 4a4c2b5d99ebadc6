import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Directory } from '../api/types';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { directoryWithKey, useSession } from './session';

export function SignIn() {
  const { t } = useTranslation();
  const { config, configError, endedBecause, signInWithOidc, signInAsDeveloper, group, chooseGroup } = useSession();
  const [groupInput, setGroupInput] = useState(group);
  const [apiKey, setApiKey] = useState('');
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [staffId, setStaffId] = useState('');
  const [error, setError] = useState<string | null>(null);

  const loadDirectory = async (key: string) => {
    if (!key) return;
    const found = await directoryWithKey(key);
    setDirectory(found);
    if (found && !staffId) setStaffId(found.staff[0]?.id ?? '');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!apiKey || !staffId) {
      setError(`${t('signIn.apiKey')} / ${t('signIn.staffId')}`);
      return;
    }
    setError(null);
    signInAsDeveloper(apiKey.trim(), staffId.trim()).catch((failure: unknown) =>
      setError(`${t('signIn.refusedKey')}: ${failure instanceof Error ? failure.message : String(failure)}`),
    );
  };

  return (
    <main id="main" className="sign-in">
      <header className="sign-in-header">
        <h1>{t('app.title')}</h1>
        <LanguageSwitch />
      </header>
      <h2>{t('signIn.title')}</h2>
      {!config && !configError && <p aria-busy="true">{t('signIn.loading')}</p>}
      {configError && <p role="alert">{configError}</p>}
      {endedBecause && (
        <p role="alert" className="problem">
          {t('signIn.refused')}
        </p>
      )}
      {config?.group && <p className="group-name">{t('signIn.groupOf', { name: config.group.name })}</p>}
      {config && config.group === null && (
        <p role="alert" className="problem">
          {t('signIn.unknownGroup', { group })}
        </p>
      )}
      {config?.group?.status === 'suspended' && (
        <p role="alert" className="problem">
          {t('signIn.suspended')}
        </p>
      )}
      <form
        className="group-choice"
        onSubmit={(event) => {
          event.preventDefault();
          chooseGroup(groupInput);
        }}
      >
        <label>
          {t('signIn.group')}
          <input name="group" value={groupInput} onChange={(event) => setGroupInput(event.target.value)} />
        </label>
        <button type="submit">{t('signIn.useGroup')}</button>
      </form>
      {config?.oidc && (
        <button type="button" className="primary" onClick={() => void signInWithOidc()}>
          {t('signIn.oidc')}
        </button>
      )}
      {config && !config.oidc && !config.developerSignIn && <p>{t('signIn.none')}</p>}
      {config?.developerSignIn && (
        <form onSubmit={submit} className="card" aria-labelledby="developer-sign-in">
          <h3 id="developer-sign-in">{t('signIn.developer')}</h3>
          <p className="hint">{t('signIn.developerHint')}</p>
          <label>
            {t('signIn.apiKey')}
            <input
              name="apiKey"
              type="password"
              autoComplete="off"
              value={apiKey}
              onChange={(event) => setApiKey(event.target.value)}
              onBlur={() => void loadDirectory(apiKey.trim())}
              required
            />
          </label>
          {directory ? (
            <label>
              {t('signIn.staff')}
              <select name="staffId" value={staffId} onChange={(event) => setStaffId(event.target.value)}>
                {directory.staff.map((staff) => (
                  <option key={staff.id} value={staff.id}>
                    {staff.name} · {t(`enum.level.${staff.roleLevel}`)} · {staff.id}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label>
              {t('signIn.staffId')}
              <input name="staffId" value={staffId} onChange={(event) => setStaffId(event.target.value)} required />
            </label>
          )}
          {error && <p role="alert">{error}</p>}
          <button type="submit" className="primary">
            {t('signIn.submit')}
          </button>
        </form>
      )}
    </main>
  );
}
