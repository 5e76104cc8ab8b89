import type { HistorySeries } from '../../../../shared/history';
import type { Meter } from '../../../../shared/snapshot';
import { useFormat } from '../../components/format-context';
import { sparkline } from '../../logic/sparkline';
import { useT } from '../../i18n/use-t';

const WIDTH = 120;
const HEIGHT = 28;

/** A week's trend of one meter, described in words for screen readers. */
export function Sparkline({ series, meter, days }: { series: HistorySeries; meter: Meter; days: number }) {
  const t = useT();
  const format = useFormat();
  const line = sparkline(series, WIDTH, HEIGHT);
  if (!line) return null;
  const options = { currency: meter.currency, compact: true };
  const from = format.amount(line.first, meter.unit, options);
  const to = format.amount(line.last, meter.unit, options);
  return (
    <svg
      className="trend"
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={t('meter.trend', { count: days, from, to })}
    >
      <path
        d={line.path}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
    </svg>
  );
}
