import { useFormat } from '../../components/format-context';
import { TimeText } from '../../components/TimeText';
import type { DashboardModel } from '../../logic/dashboard-model';
import type { MoneyTotals } from '../../logic/display-money';
import { MoneyTotalsLine } from './MoneyTotalsLine';
import { toneClass } from '../../logic/tone-class';
import { activeSnooze } from '../../logic/snooze';
import { useT } from '../../i18n/use-t';

/** Overall state, last refresh, Refresh with progress, and whether notifications are paused. */
export function DashboardHeader(props: {
  model: DashboardModel;
  /** Every money meter added up in the display currency; null without one. */
  money: MoneyTotals | null;
  refreshing: boolean;
  pausedUntil: string | null;
  now: Date;
  onRefresh: () => void;
  onResume: () => void;
  onSettings: () => void;
}) {
  const t = useT();
  const format = useFormat();
  const { model, now } = props;
  const pausedUntil = activeSnooze(props.pausedUntil, now);
  const summary =
    model.cards.length === 0
      ? t('header.noAccounts')
      : model.attention === 0
        ? t('header.allOk', { count: model.cards.length })
        : t('header.attention', { count: model.attention });
  return (
    <header className="app-header">
      <div className="header-title">
        <span className={`state-dot ${toneClass(model.overall)}`} aria-hidden="true" />
        <h1 tabIndex={-1}>{t('app.name')}</h1>
      </div>
      <p className={`overall ${toneClass(model.overall)}`} role="status">
        {summary}
      </p>
      {props.money ? <MoneyTotalsLine totals={props.money} /> : null}
      <p className="updated">
        {model.lastCheckedAt ? (
          <TimeText at={model.lastCheckedAt}>
            {t('header.updated', { time: format.relative(new Date(model.lastCheckedAt), now) })}
          </TimeText>
        ) : (
          t('header.neverUpdated')
        )}
      </p>
      {pausedUntil ? (
        <p className="paused">
          <TimeText at={pausedUntil}>{t('header.pausedUntil', { time: format.shortDate(pausedUntil, now) })}</TimeText>{' '}
          <button type="button" className="link-button" onClick={props.onResume}>
            {t('header.resume')}
          </button>
        </p>
      ) : null}
      <div className="header-actions">
        <button
          type="button"
          className="primary"
          onClick={props.onRefresh}
          disabled={props.refreshing}
          aria-busy={props.refreshing}
        >
          {props.refreshing ? t('header.refreshing') : t('header.refresh')}
        </button>
        <button type="button" onClick={props.onSettings}>
          {t('header.settings')}
        </button>
      </div>
      {props.refreshing ? <progress className="refresh-progress" aria-label={t('header.refreshing')} /> : null}
    </header>
  );
}
