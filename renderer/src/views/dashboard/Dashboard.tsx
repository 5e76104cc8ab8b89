import { startTransition, useEffect, useMemo, useState } from 'react';
import type { HistorySeries } from '../../../../shared/history';
import { navigate, openView } from '../../components/navigation';
import { buildDashboard } from '../../logic/dashboard-model';
import { moneyTotals } from '../../logic/display-money';
import { useMoneyDisplay } from '../../components/money-context';
import { useHeadroom, useNow, useStore } from '../../state/use-headroom';
import { AccountCard } from './AccountCard';
import { DashboardHeader } from './DashboardHeader';
import { useT } from '../../i18n/use-t';

/**
 * Cards in the first frame: more than a popover shows. The rest follow in a transition React
 * interrupts for any input, so a long list never holds up the first click.
 */
const FIRST_FRAME_CARDS = 4;

/** The popover: every account, worst first. */
export function Dashboard({ focusAccountId }: { focusAccountId?: string | undefined }) {
  const t = useT();
  const store = useStore();
  const state = useHeadroom();
  const now = useNow();
  const [actionError, setActionError] = useState<string | null>(null);

  const model = useMemo(
    () =>
      buildDashboard({
        snapshots: state.snapshots ?? [],
        accounts: state.accounts ?? [],
        defaultIntervalMinutes: state.appState?.preferences.defaultIntervalMinutes ?? null,
        now,
      }),
    [state.snapshots, state.accounts, state.appState, now],
  );
  const money = useMoneyDisplay();
  const totals = useMemo(
    () =>
      moneyTotals(
        model.cards.flatMap((card) => card.meters),
        money,
      ),
    [model, money],
  );
  const [cardLimit, setCardLimit] = useState(focusAccountId ? Infinity : FIRST_FRAME_CARDS);
  const total = model.cards.length;
  useEffect(() => {
    if (cardLimit >= total) return;
    const frame = requestAnimationFrame(() => {
      startTransition(() => {
        setCardLimit(Infinity);
      });
    });
    return () => {
      cancelAnimationFrame(frame);
    };
  }, [cardLimit, total]);
  const shownCards = model.cards.slice(0, cardLimit);
  const series = useMemo(
    () => new Map(state.history.map((entry: HistorySeries) => [`${entry.accountId}/${entry.meterId}`, entry])),
    [state.history],
  );

  useEffect(() => {
    document.title = t('dashboard.windowTitle');
  }, [t]);
  useEffect(() => {
    store.followTrends();
  }, [store]);

  // A notification was clicked: every card at once, and that account brought into view.
  const loaded = state.snapshots !== null;
  useEffect(() => {
    if (focusAccountId) setCardLimit(Infinity);
  }, [focusAccountId]);
  useEffect(() => {
    if (!focusAccountId || !loaded || cardLimit !== Infinity) return;
    const card = document.getElementById(`account-${focusAccountId}`);
    card?.scrollIntoView({ block: 'nearest' });
    card?.focus();
  }, [focusAccountId, loaded, cardLimit]);

  const fix = (accountId: string): void => {
    void openView(store, { view: 'account', accountId });
  };
  const snooze = async (accountId: string, minutes: number | null): Promise<void> => {
    const error = await store.snooze(accountId, minutes);
    setActionError(error ? error.message : null);
  };
  const addFirst = (): void => {
    void store.openView({ view: 'settings' }).then((opened) => {
      if (!opened) navigate({ view: 'new-account' });
    });
  };

  return (
    <div className="dashboard">
      <DashboardHeader
        model={model}
        money={totals}
        refreshing={state.refreshing}
        pausedUntil={state.appState?.pausedUntil ?? null}
        now={now}
        onRefresh={() => {
          void store.refresh().then((error) => {
            setActionError(error ? error.message : null);
          });
        }}
        onResume={() => {
          void store.pauseNotifications(null).then((error) => {
            if (error) setActionError(error.message);
          });
        }}
        onSettings={() => {
          void openView(store, { view: 'settings' });
        }}
      />
      <main className="dashboard-main">
        {state.loadError ? (
          <p className="notice error" role="alert">
            {t('common.loadFailed', { message: state.loadError.message })}
          </p>
        ) : null}
        {actionError ? (
          <p className="notice error" role="alert">
            {actionError}
          </p>
        ) : null}
        {!loaded ? (
          <p className="loading">{t('common.loading')}</p>
        ) : model.demoOnly ? (
          <section className="first-run" aria-labelledby="first-run-title">
            <h2 id="first-run-title">{t('dashboard.demoTitle')}</h2>
            <p>{t('dashboard.demoText')}</p>
            <button type="button" className="primary" onClick={addFirst}>
              {t('dashboard.addFirst')}
            </button>
          </section>
        ) : null}
        {model.cards.length ? (
          <ul className="cards" aria-label={t('dashboard.accountsLabel')}>
            {shownCards.map((card) => (
              <li key={card.accountId}>
                <AccountCard
                  card={card}
                  series={series}
                  now={now}
                  onFix={fix}
                  onSnooze={snooze}
                  highlighted={card.accountId === focusAccountId}
                />
              </li>
            ))}
          </ul>
        ) : null}
      </main>
    </div>
  );
}
