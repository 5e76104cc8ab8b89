import { useEffect, useMemo, useRef, useState } from 'react';
import type { HistorySeries } from '../../../../shared/history';
import { meterName } from '../../../../shared/i18n/engine-names';
import { useFormat } from '../../components/format-context';
import { useMoneyDisplay } from '../../components/money-context';
import {
  chartPoints,
  cursorIndex,
  historyChart,
  historyQueryFor,
  HISTORY_RANGES,
  type ChartPoint,
  type HistoryRange,
} from '../../logic/history-chart';
import { routeHash } from '../../logic/routes';
import { useHeadroom, useStore } from '../../state/use-headroom';
import { CHART_BOX, HistoryChart } from './HistoryChart';
import { useT } from '../../i18n/use-t';

type Loaded =
  | { range: HistoryRange; from: string; to: string; series: HistorySeries | null }
  | { range: HistoryRange; error: string };

/**
 * One meter's stored history over 30 days or 12 months: the chart, what it rests on in words, the
 * figures as a table, and the CSV export of exactly this meter and range. It opens in the window
 * of the dashboard it is reached from (the popover, 380 px wide): a chart one click from the meter,
 * with the way back to its card, rather than in the settings window, which is for changing things.
 */
export default function HistoryView({ accountId, meterId }: { accountId: string; meterId: string }) {
  const t = useT();
  const format = useFormat();
  const money = useMoneyDisplay();
  const store = useStore();
  const state = useHeadroom();
  const [range, setRange] = useState<HistoryRange>('30d');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  // The chosen check by its time, so a new check arriving (a new last point) does not move it; null: the latest.
  const [cursorAt, setCursorAt] = useState<number | null>(null);
  const [tableOpen, setTableOpen] = useState(false);
  const [exported, setExported] = useState<{ text: string; failed: boolean } | null>(null);

  const snapshot = state.snapshots?.find((candidate) => candidate.accountId === accountId);
  const meter = snapshot?.meters.find((candidate) => candidate.id === meterId);
  const fetchedAt = snapshot?.fetchedAt ?? null;

  useEffect(() => {
    document.title = t('history.windowTitle');
  }, [t]);
  // The app moves the focus to a new view's heading, but this view is a chunk that arrives after
  // that: the link that had the focus is gone, so the focus starts here instead of on the page.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (document.activeElement === null || document.activeElement === document.body)
      heading.current?.focus({ preventScroll: true });
  }, []);

  // Asked again when the account is checked anew (its `fetchedAt` moves): the new check is a point.
  useEffect(() => {
    let current = true;
    const query = historyQueryFor(accountId, meterId, range, new Date());
    void store.queryHistory(query).then((result) => {
      if (!current) return;
      setLoaded(
        result.ok
          ? { range, from: query.from, to: query.to, series: result.value[0] ?? null }
          : { range, error: result.error.message },
      );
    });
    return () => {
      current = false;
    };
  }, [store, accountId, meterId, range, fetchedAt]);

  const series = loaded && 'series' in loaded ? loaded.series : null;
  const points = useMemo(() => chartPoints(series?.points ?? []), [series]);
  const model = useMemo(
    () =>
      loaded && 'series' in loaded
        ? historyChart({
            points,
            from: Date.parse(loaded.from),
            to: Date.parse(loaded.to),
            forecast: meter?.forecast,
            box: CHART_BOX,
          })
        : null,
    [loaded, points, meter?.forecast],
  );

  const provider = snapshot?.provider ?? '';
  const label = meterName(provider, meterId, meter?.label ?? series?.label ?? meterId, t);
  const unit = meter?.unit ?? series?.unit ?? 'credits';
  const currency = meter?.currency ?? series?.currency;
  const amount = (value: number | null): string =>
    value === null ? t('history.notReported') : format.amount(value, unit, { currency });
  const when = (at: number): string => `${format.date(new Date(at))}, ${format.time(new Date(at))}`;
  const describe = (point: ChartPoint | undefined): string => {
    if (!point) return '';
    const figures = [
      point.remaining === null ? null : t('history.pointRemaining', { value: amount(point.remaining) }),
      point.used === null ? null : t('history.pointUsed', { value: amount(point.used) }),
      point.limit === null ? null : t('history.pointLimit', { value: amount(point.limit) }),
    ].filter((part): part is string => part !== null);
    return t('history.point', { date: when(point.at), figures: figures.join(', ') });
  };
  const shownCursor = cursorIndex(points, cursorAt);

  const exportCsv = async (): Promise<void> => {
    if (!loaded || !('series' in loaded)) return;
    setExported(null);
    const reply = await store.exportHistoryCsv({ accountId, meterId, from: loaded.from, to: loaded.to });
    if (!reply.ok) setExported({ text: reply.error.message, failed: true });
    else
      setExported({
        text:
          reply.value.saved && reply.value.path
            ? t('history.saved', { count: reply.value.rows ?? 0, path: reply.value.path })
            : t('history.notSaved'),
        failed: false,
      });
  };

  const rangeName = (option: HistoryRange): string => t(option === '30d' ? 'history.range30d' : 'history.range12m');
  const first = points[0];
  const now = new Date();

  return (
    <div className="history">
      <header className="history-header">
        <nav aria-label={t('history.back')}>
          <a href={routeHash({ view: 'dashboard', accountId })}>{t('history.back')}</a>
        </nav>
      </header>
      <main className="history-main">
        <h1 tabIndex={-1} ref={heading}>
          {t('history.title', { meter: label })}
        </h1>
        {snapshot ? <p className="provider">{snapshot.label}</p> : null}
        <div className="history-controls">
          <div className="range-switch" role="group" aria-label={t('history.rangeLabel')}>
            {HISTORY_RANGES.map((option) => (
              <button
                key={option}
                type="button"
                aria-pressed={range === option}
                onClick={() => {
                  setRange(option);
                  setCursorAt(null);
                }}
              >
                {rangeName(option)}
              </button>
            ))}
          </div>
          <button
            type="button"
            disabled={!loaded || !('series' in loaded)}
            onClick={() => {
              void exportCsv();
            }}
          >
            {t('history.export')}
          </button>
        </div>
        {exported ? (
          <p className={`notice ${exported.failed ? 'error' : 'success'}`} role={exported.failed ? 'alert' : 'status'}>
            {exported.text}
          </p>
        ) : null}

        {loaded === null || loaded.range !== range ? (
          <p className="loading">{t('common.loading')}</p>
        ) : 'error' in loaded ? (
          <p className="notice error" role="alert">
            {t('history.failed', { message: loaded.error })}
          </p>
        ) : !first ? (
          <p className="history-empty">{t('history.empty')}</p>
        ) : !model ? (
          <>
            <p className="history-empty">{t('history.onePoint', { date: when(first.at) })}</p>
            <p>{describe(first)}</p>
          </>
        ) : (
          <>
            <p className="history-summary">
              {/* A year is asked for by day: its points are days, each the last check of its day. */}
              {t(loaded.range === '12m' ? 'history.summaryDaily' : 'history.summary', {
                count: points.length,
                date: format.shortDate(new Date(first.at), now),
              })}
              {model.resets.length ? (
                <>
                  {' · '}
                  {t('history.resets', {
                    count: model.resets.length,
                    dates: model.resets.map((reset) => format.shortDate(new Date(reset.at), now)).join(', '),
                  })}
                </>
              ) : null}
              {model.forecast ? (
                <>
                  {' · '}
                  {t('history.runsOut', { date: format.shortDate(new Date(model.forecast.exhaustsAt), now) })}
                </>
              ) : null}
            </p>
            {unit === 'money' && money && currency !== money.currency ? (
              <p className="history-currency">{t('money.ownCurrency', { currency: currency ?? 'USD' })}</p>
            ) : null}
            <HistoryChart
              model={model}
              unit={unit}
              currency={currency}
              meterLabel={label}
              cursor={shownCursor}
              onCursor={(index) => {
                setCursorAt(index >= points.length - 1 ? null : (points[index]?.at ?? null));
              }}
              describe={(index) => describe(points[index])}
            />
            <button
              type="button"
              className="link-button"
              aria-expanded={tableOpen}
              aria-controls="history-table"
              onClick={() => {
                setTableOpen(!tableOpen);
              }}
            >
              {t(tableOpen ? 'history.hideTable' : 'history.showTable')}
            </button>
            {tableOpen ? (
              <table id="history-table" className="history-table">
                <caption className="visually-hidden">{t('history.tableCaption', { meter: label })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('history.tableTime')}</th>
                    <th scope="col" className="number">
                      {t('history.legendRemaining')}
                    </th>
                    <th scope="col" className="number">
                      {t('history.legendUsed')}
                    </th>
                    <th scope="col" className="number">
                      {t('history.legendLimit')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {points.map((point) => (
                    <tr key={point.at}>
                      <th scope="row">{when(point.at)}</th>
                      <td className="number">{amount(point.remaining)}</td>
                      <td className="number">{amount(point.used)}</td>
                      <td className="number">{amount(point.limit)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </>
        )}
      </main>
    </div>
  );
}
