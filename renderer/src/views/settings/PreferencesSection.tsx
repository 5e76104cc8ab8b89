import { useEffect, useState } from 'react';
import type { IpcRequest } from '../../../../shared/ipc';
import { MAX_INTERVAL_MINUTES } from '../../../../shared/limits';
import { describedBy, fieldIds, FormField } from '../../components/FormField';
import { useFormat } from '../../components/format-context';
import { activeSnooze } from '../../logic/snooze';
import { CurrencyPreference } from './CurrencyPreference';
import { useHeadroom, useNow, useStore } from '../../state/use-headroom';
import { useT } from '../../i18n/use-t';

type PreferencesPatch = IpcRequest<'app:update-preferences'>;

/** Preferences are saved as they change; a refusal is shown beside the form. */
export function PreferencesSection() {
  const t = useT();
  const store = useStore();
  const format = useFormat();
  const now = useNow();
  const { appState } = useHeadroom();
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [interval, setInterval] = useState('');
  const [intervalErrors, setIntervalErrors] = useState<string[]>([]);
  // A control shows what the person chose at once, not only once main has saved it; a refusal puts the saved value
  // back.
  const [pending, setPending] = useState<PreferencesPatch>({});
  const saved = appState?.preferences.defaultIntervalMinutes;

  useEffect(() => {
    if (saved !== undefined) setInterval(String(saved));
  }, [saved]);

  if (!appState) return null;
  const preferences = { ...appState.preferences, ...pending };

  const update = async (patch: PreferencesPatch): Promise<boolean> => {
    setPending((current) => ({ ...current, ...patch }));
    const result = await store.updatePreferences(patch);
    setPending((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !(key in patch))));
    if (result.ok) {
      setStatus({ tone: 'ok', text: t('preferences.saved') });
      return true;
    }
    setStatus({ tone: 'error', text: result.error.message });
    return false;
  };

  const saveInterval = (): void => {
    const minutes = Number(interval.replace(',', '.'));
    if (!Number.isFinite(minutes) || minutes < 1 || minutes > MAX_INTERVAL_MINUTES) {
      setIntervalErrors([t('preferences.intervalRange')]);
      return;
    }
    setIntervalErrors([]);
    if (minutes !== preferences.defaultIntervalMinutes) void update({ defaultIntervalMinutes: minutes });
  };

  const pause = async (minutes: number | null): Promise<void> => {
    const error = await store.pauseNotifications(minutes);
    if (error) setStatus({ tone: 'error', text: error.message });
  };
  const pausedUntil = activeSnooze(appState.pausedUntil, now);

  return (
    <section aria-labelledby="preferences-heading" className="panel">
      <h2 id="preferences-heading">{t('preferences.title')}</h2>
      <div className="form-grid">
        <FormField name="pref-theme" label={t('preferences.theme')}>
          <select
            id={fieldIds('pref-theme').input}
            value={preferences.theme}
            onChange={(event) => {
              const theme = event.target.value;
              if (theme === 'system' || theme === 'light' || theme === 'dark') void update({ theme });
            }}
          >
            <option value="system">{t('preferences.themeSystem')}</option>
            <option value="light">{t('preferences.themeLight')}</option>
            <option value="dark">{t('preferences.themeDark')}</option>
          </select>
        </FormField>
        <FormField name="pref-language" label={t('preferences.language')}>
          <select
            id={fieldIds('pref-language').input}
            value={preferences.language}
            onChange={(event) => {
              const language = event.target.value;
              if (language === 'system' || language === 'en' || language === 'de') void update({ language });
            }}
          >
            <option value="system">{t('preferences.languageSystem')}</option>
            <option value="en" lang="en">
              English
            </option>
            <option value="de" lang="de">
              Deutsch
            </option>
          </select>
        </FormField>
        <FormField
          name="pref-interval"
          label={t('preferences.interval')}
          help={t('preferences.intervalHelp')}
          errors={intervalErrors}
        >
          <input
            id={fieldIds('pref-interval').input}
            type="number"
            inputMode="decimal"
            min={1}
            max={MAX_INTERVAL_MINUTES}
            value={interval}
            aria-invalid={intervalErrors.length > 0}
            aria-describedby={describedBy('pref-interval', true, intervalErrors.length > 0)}
            onChange={(event) => {
              setInterval(event.target.value);
            }}
            onBlur={saveInterval}
            onKeyDown={(event) => {
              if (event.key === 'Enter') saveInterval();
            }}
          />
        </FormField>
        <CurrencyPreference
          appState={appState}
          value={preferences.displayCurrency}
          onChange={(displayCurrency) => {
            void update({ displayCurrency });
          }}
        />
      </div>
      <div className="checks">
        <label className="check">
          <input
            type="checkbox"
            checked={preferences.notificationsEnabled}
            onChange={(event) => {
              void update({ notificationsEnabled: event.target.checked });
            }}
          />
          {t('preferences.notifications')}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={preferences.launchAtLogin}
            onChange={(event) => {
              void update({ launchAtLogin: event.target.checked });
            }}
          />
          {t('preferences.launchAtLogin')}
        </label>
      </div>
      <div className="pause-row">
        {pausedUntil ? (
          <>
            <p>{t('header.pausedUntil', { time: format.shortDate(pausedUntil, now) })}</p>
            <button
              type="button"
              onClick={() => {
                void pause(null);
              }}
            >
              {t('header.resume')}
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              onClick={() => {
                void pause(60);
              }}
            >
              {t('preferences.pauseHour')}
            </button>
            <button
              type="button"
              onClick={() => {
                void pause(24 * 60);
              }}
            >
              {t('preferences.pauseDay')}
            </button>
          </>
        )}
      </div>
      <p className={`status-line${status?.tone === 'error' ? ' error' : ''}`} role="status">
        {status?.text}
      </p>
    </section>
  );
}
