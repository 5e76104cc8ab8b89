import { useId, useMemo, type KeyboardEvent, type PointerEvent } from 'react';
import type { MeterUnit } from '../../../../shared/snapshot';
import { useFormat } from '../../components/format-context';
import {
  axisDateLabels,
  moveCursor,
  nearestPoint,
  type ChartBox,
  type HistoryChartModel,
} from '../../logic/history-chart';
import { useT } from '../../i18n/use-t';

/**
 * The drawing's own coordinates. The SVG scales to the window's width; at the popover's 380 px it
 * is drawn about 1:1, so its 11 px labels stay legible.
 */
export const CHART_BOX: ChartBox = { width: 340, height: 200, margin: { top: 10, right: 10, bottom: 24, left: 54 } };

/**
 * A meter's stored history as lines, with a cursor on one check. The chart is one focusable slider
 * over the checks (the ARIA pattern screen readers already know): arrow keys move the cursor and
 * the reader says the check's date and figures from `aria-valuetext`; the same words show below it.
 */
export function HistoryChart(props: {
  model: HistoryChartModel;
  unit: MeterUnit;
  currency: string | undefined;
  meterLabel: string;
  cursor: number;
  onCursor: (index: number) => void;
  describe: (index: number) => string;
}) {
  const t = useT();
  const format = useFormat();
  const helpId = useId();
  const { model, cursor } = props;
  const { width, height, margin } = CHART_BOX;
  const dateLabel = useMemo(() => axisDateLabels(format.locale, model.xUnit), [format.locale, model.xUnit]);
  const count = model.points.length;
  const position = model.positions[cursor];
  const said = props.describe(cursor);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const next = moveCursor(cursor, event.key, count);
    if (next === null) return;
    event.preventDefault();
    props.onCursor(next);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const frame = event.currentTarget.getBoundingClientRect();
    if (frame.width === 0) return;
    props.onCursor(nearestPoint(model.positions, ((event.clientX - frame.left) / frame.width) * width));
  };

  return (
    <figure className="history-chart">
      <div
        className="chart-frame"
        role="slider"
        tabIndex={0}
        aria-label={t('history.chartLabel', { meter: props.meterLabel })}
        aria-describedby={helpId}
        aria-valuemin={1}
        aria-valuemax={count}
        aria-valuenow={cursor + 1}
        aria-valuetext={said}
        onKeyDown={onKeyDown}
        onPointerMove={onPointerMove}
      >
        {/* The slider says what the drawing shows; the table below has every figure. */}
        <svg viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false">
          <g className="chart-grid">
            {model.yTicks.map((tick) => (
              <g key={tick.value}>
                <line x1={margin.left} x2={width - margin.right} y1={tick.y} y2={tick.y} />
                <text x={margin.left - 6} y={tick.y} dy="0.32em" textAnchor="end">
                  {format.amount(tick.value, props.unit, { compact: true, currency: props.currency })}
                </text>
              </g>
            ))}
            {model.xTicks.map((tick) => (
              <text key={tick.at} x={tick.x} y={height - 6} textAnchor="middle">
                {dateLabel(tick.at)}
              </text>
            ))}
          </g>
          {model.resets.map((reset) => (
            <line
              key={reset.at}
              className="chart-reset"
              x1={reset.x}
              x2={reset.x}
              y1={margin.top}
              y2={height - margin.bottom}
            />
          ))}
          {model.lines.limit ? <path className="chart-limit" d={model.lines.limit} /> : null}
          {model.lines.used ? <path className="chart-used" d={model.lines.used} /> : null}
          {model.lines.remaining ? <path className="chart-remaining" d={model.lines.remaining} /> : null}
          {model.forecast ? <path className="chart-forecast" d={model.forecast.path} /> : null}
          {position ? (
            <g className="chart-cursor">
              <line x1={position.x} x2={position.x} y1={margin.top} y2={height - margin.bottom} />
              {position.used === null ? null : <circle className="on-used" cx={position.x} cy={position.used} r={3} />}
              {position.remaining === null ? null : (
                <circle className="on-remaining" cx={position.x} cy={position.remaining} r={3.5} />
              )}
            </g>
          ) : null}
        </svg>
      </div>
      <figcaption>
        <p className="chart-readout">{said}</p>
        <p className="help" id={helpId}>
          {t('history.chartHelp')}
        </p>
        <ul className="chart-legend">
          {model.lines.remaining ? (
            <LegendItem className="chart-remaining" label={t('history.legendRemaining')} />
          ) : null}
          {model.lines.used ? <LegendItem className="chart-used" label={t('history.legendUsed')} /> : null}
          {model.lines.limit ? <LegendItem className="chart-limit" label={t('history.legendLimit')} /> : null}
          {model.forecast ? <LegendItem className="chart-forecast" label={t('history.legendForecast')} /> : null}
          {model.resets.length ? (
            <LegendItem className="chart-reset" label={t('history.legendReset')} vertical />
          ) : null}
        </ul>
      </figcaption>
    </figure>
  );
}

/** A legend entry: a short stroke drawn as its line is, and the word, so no line is told by colour alone. */
function LegendItem({ className, label, vertical = false }: { className: string; label: string; vertical?: boolean }) {
  return (
    <li>
      <svg width="22" height="12" viewBox="0 0 22 12" aria-hidden="true" focusable="false">
        {vertical ? (
          <line className={className} x1="11" x2="11" y1="0" y2="12" />
        ) : (
          <path className={className} d="M1 6 L21 6" />
        )}
      </svg>
      {label}
    </li>
  );
}
