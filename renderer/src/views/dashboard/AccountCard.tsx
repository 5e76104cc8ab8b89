import { useMemo } from 'react';
import type { HistorySeries } from '../../../../shared/history';
import { localizedMeters } from '../../../../shared/i18n/engine-names';
import { useFormat } from '../../components/format-context';
import { LevelBadge } from '../../components/LevelBadge';
import { TimeText } from '../../components/TimeText';
import type { AccountCardModel } from '../../logic/dashboard-model';
import { toneClass } from '../../logic/tone-class';
import { administratorNote } from '../../logic/administrator-note';
import { isCountdown } from '../../logic/meter-view';
import { CountdownRow } from './CountdownRow';
import { MemberCredits } from './MemberCredits';
import { MeterRow } from './MeterRow';
import { SnoozeControl } from './SnoozeControl';
import { useT } from '../../i18n/use-t';

/** One account: its meters, or what went wrong, when it last worked and the way to fix it. */
export function AccountCard(props: {
  card: AccountCardModel;
  series: ReadonlyMap<string, HistorySeries>;
  now: Date;
  onFix: (accountId: string) => void;
  onSnooze: (accountId: string, minutes: number | null) => Promise<void>;
  highlighted: boolean;
}) {
  const t = useT();
  const format = useFormat();
  const { card, now } = props;
  const titleId = `account-${card.accountId}-title`;
  const views = card.views;
  const needsAdministrator = views?.needsAdministrator ?? [];
  const adminNote = administratorNote(needsAdministrator);
  // The engine names meters in English; each card says them in the window's language when drawn.
  const meters = useMemo(() => localizedMeters(card.provider, card.meters, t), [card.provider, card.meters, t]);
  return (
    <article
      className={`card ${toneClass(card.severity)}${props.highlighted ? ' highlighted' : ''}`}
      aria-labelledby={titleId}
      id={`account-${card.accountId}`}
      tabIndex={-1}
    >
      <header className="card-head">
        <div className="card-title">
          <h2 id={titleId}>{card.label}</h2>
          <p className="provider">{card.providerName}</p>
        </div>
        <LevelBadge severity={card.severity} />
        {card.snoozable ? (
          <SnoozeControl
            label={card.label}
            snoozedUntil={card.snoozedUntil}
            now={now}
            onSnooze={(minutes) => props.onSnooze(card.accountId, minutes)}
          />
        ) : null}
      </header>

      {card.status === 'pending' ? <p className="pending">{t('card.pending')}</p> : null}

      {card.error ? (
        <div className="error-box">
          <p className="error-kind">{t(`errorKind.${card.error.kind}`)}</p>
          {/* The engine explains failures in English (README, known limits): marked so for screen readers. */}
          <p className="error-message" lang="en">
            {card.error.message}
          </p>
          <p className="error-since">
            {card.fetchedAt ? (
              <TimeText at={card.fetchedAt}>
                {t('card.lastSucceeded', { time: format.relative(new Date(card.fetchedAt), now) })}
              </TimeText>
            ) : (
              t('card.neverSucceeded')
            )}
            {card.error.retryAt ? (
              <>
                {' · '}
                <TimeText at={card.error.retryAt}>
                  {t('card.retryAt', { time: format.relative(new Date(card.error.retryAt), now) })}
                </TimeText>
              </>
            ) : null}
          </p>
          <button
            type="button"
            aria-label={t('card.fixInSettingsFor', { label: card.label })}
            onClick={() => {
              props.onFix(card.accountId);
            }}
          >
            {t('card.fixInSettings')}
          </button>
        </div>
      ) : null}

      {card.stale && card.fetchedAt ? (
        <p className="stale">
          <TimeText at={card.fetchedAt}>
            {t('card.stale', { time: format.relative(new Date(card.fetchedAt), now) })}
          </TimeText>
        </p>
      ) : null}

      {meters.length ? (
        <ul className={`meters${card.stale ? ' is-stale' : ''}`}>
          {meters.map((meter) =>
            isCountdown(meter) ? (
              <CountdownRow
                key={meter.id}
                meter={meter}
                subscription={meter.id === 'subscription' ? views?.subscription : undefined}
                now={now}
              />
            ) : (
              <MeterRow
                key={meter.id}
                accountId={card.accountId}
                accountLabel={card.label}
                meter={meter}
                series={props.series.get(`${card.accountId}/${meter.id}`)}
                now={now}
                // The credits' note then only says, in the provider's words, what the administrator note says.
                hideNote={meter.id === 'credits' && needsAdministrator.includes('usage')}
              />
            ),
          )}
        </ul>
      ) : null}

      {views?.userCredits ? (
        <MemberCredits
          view={views.userCredits}
          accountId={card.accountId}
          accountLabel={card.label}
          checkedAt={card.checkedAt}
          now={now}
          hideReason={needsAdministrator.includes('members')}
        />
      ) : null}

      {adminNote ? (
        <div className="admin-note">
          <p>{t(adminNote.key)}</p>
          <button
            type="button"
            className="link-button"
            aria-label={t('administrator.changeFor', { label: card.label })}
            onClick={() => {
              props.onFix(card.accountId);
            }}
          >
            {t('administrator.change')}
          </button>
        </div>
      ) : null}
    </article>
  );
}
