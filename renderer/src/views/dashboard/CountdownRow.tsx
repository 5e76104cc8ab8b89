import type { Meter, SubscriptionView } from '../../../../shared/snapshot';
import { useFormat } from '../../components/format-context';
import { TimeText } from '../../components/TimeText';
import { useT } from '../../i18n/use-t';
import { countdownLine } from '../../logic/countdown';
import { toneClass } from '../../logic/tone-class';

/**
 * A countdown meter (a subscription's end) as its own line, in its level's colour (and word): no used/limit bar, no
 * trend.
 */
export function CountdownRow({
  meter,
  subscription,
  now,
}: {
  meter: Meter;
  subscription: SubscriptionView | undefined;
  now: Date;
}) {
  const t = useT();
  const format = useFormat();
  const line = countdownLine(meter, subscription, format, now);
  const sentence = t(line.key, line.values ?? {});
  return (
    <li className={`meter countdown ${toneClass(meter.level)}`}>
      <p className="countdown-line">
        {line.endsAt ? <TimeText at={line.endsAt}>{sentence}</TimeText> : sentence}
        {meter.level === 'ok' ? null : (
          <>
            {' · '}
            <span className={`level-word ${toneClass(meter.level)}`}>{t(`level.${meter.level}`)}</span>
          </>
        )}
      </p>
      {/* The note says the end date in the provider's words: only needed when the date is not on the line. */}
      {line.endsAt === null && meter.note ? <p className="note">{meter.note}</p> : null}
    </li>
  );
}
