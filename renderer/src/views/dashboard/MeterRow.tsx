import type { HistorySeries } from '../../../../shared/history';
import type { Meter } from '../../../../shared/snapshot';
import { useFormat } from '../../components/format-context';
import { useMoneyDisplay } from '../../components/money-context';
import { inDisplayCurrency } from '../../../../shared/money';
import { OriginalAmount } from './OriginalAmount';
import { TimeText } from '../../components/TimeText';
import { forecastSentence } from '../../logic/forecast-message';
import { toneClass } from '../../logic/tone-class';
import { meterView } from '../../logic/meter-view';
import { routeHash } from '../../logic/routes';
import { TREND_DAYS } from '../../state/headroom-store';
import { Breakdown } from './Breakdown';
import { Sparkline } from './Sparkline';
import { useT } from '../../i18n/use-t';

/** One meter: what is left (large), used of limit as a bar, reset, forecast, trend, breakdown. */
export function MeterRow({
  accountId,
  accountLabel,
  meter: reported,
  series,
  now,
  hideNote = false,
}: {
  accountId: string;
  accountLabel: string;
  meter: Meter;
  series: HistorySeries | undefined;
  now: Date;
  hideNote?: boolean;
}) {
  const t = useT();
  const format = useFormat();
  // Money in the display currency, for display only: the level was decided on the amount as reported.
  const { meter, original } = inDisplayCurrency(reported, useMoneyDisplay());
  const view = meterView(meter, format);
  const forecast = forecastSentence(meter, format, now);
  const usage = view.usage ? t(view.usage.key, view.usage.values ?? {}) : null;
  return (
    <li className={`meter ${toneClass(meter.level)}`}>
      <div className="meter-head">
        <h3 className="meter-label">{meter.label}</h3>
        {meter.level === 'ok' ? null : (
          <span className={`level-word ${toneClass(meter.level)}`}>{t(`level.${meter.level}`)}</span>
        )}
      </div>
      <p className="remaining">
        {view.remaining === null ? (
          <span className="big">{meter.unlimited ? t('meter.unlimited') : t('meter.notReportedShort')}</span>
        ) : (
          <>
            <span className="big" title={view.remainingFull ?? undefined}>
              {view.remaining}
            </span>{' '}
            <span className="caption">{t(`remaining.${meter.unit}`)}</span>
            {view.percentLeft ? (
              <span className="percent"> · {t('meter.percentLeft', { percent: view.percentLeft })}</span>
            ) : null}
          </>
        )}
      </p>
      {original ? <OriginalAmount original={original} /> : null}
      {view.usedShare === null ? null : (
        <div
          className="bar"
          role="meter"
          aria-label={t('meter.barLabel', { label: meter.label })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(view.usedShare * 100)}
          aria-valuetext={usage ?? undefined}
        >
          <div className="bar-fill" style={{ width: `${(view.usedShare * 100).toFixed(1)}%` }} />
        </div>
      )}
      {usage ? <p className="usage">{usage}</p> : null}
      {meter.note && !hideNote ? <p className="note">{meter.note}</p> : null}
      <div className="meter-foot">
        <div className="meter-notes">
          {view.resetsAt ? (
            <p className="resets">
              <TimeText at={view.resetsAt}>
                {t('meter.resetsOn', { date: format.shortDate(view.resetsAt, now) })}
              </TimeText>
            </p>
          ) : null}
          {forecast ? (
            <p className="forecast">
              {forecast.at ? (
                <TimeText at={forecast.at}>{t(forecast.key, forecast.values ?? {})}</TimeText>
              ) : (
                t(forecast.key, forecast.values ?? {})
              )}
              {forecast.rough ? ` ${t('forecast.rough')}` : null}
            </p>
          ) : null}
        </div>
        <div className="meter-trend">
          {/* The trend is the history as it was recorded, in the meter's own currency. */}
          {series ? <Sparkline series={series} meter={reported} days={TREND_DAYS} /> : null}
          {/* The way to the meter's 30-day and 12-month chart, beside its week's trend. */}
          <a
            className="history-link"
            href={routeHash({ view: 'history', accountId, meterId: meter.id })}
            aria-label={t('history.openFor', { meter: meter.label, account: accountLabel })}
          >
            {t('history.open')}
          </a>
        </div>
      </div>
      <Breakdown meter={meter} />
    </li>
  );
}
