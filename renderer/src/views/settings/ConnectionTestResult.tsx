import { localizedMeters } from '../../../../shared/i18n/engine-names';
import type { ConnectionTestResult as Result } from '../../../../shared/ipc';
import { useFormat } from '../../components/format-context';
import { LevelBadge } from '../../components/LevelBadge';
import { meterView } from '../../logic/meter-view';
import { useT } from '../../i18n/use-t';

/** What "Test connection" got: the meters as the dashboard would show them, or the error in words. */
export function ConnectionTestResult({ result, provider }: { result: Result; provider: string }) {
  const t = useT();
  const format = useFormat();
  if (result.status === 'error') {
    return (
      <div className="test-result error">
        <p>
          <strong>{t(`errorKind.${result.error.kind}`)}</strong>
        </p>
        {/* The engine explains failures in English (README, known limits): marked so for screen readers. */}
        <p lang="en">{result.error.message}</p>
        <AnswerPreview preview={result.preview} />
      </div>
    );
  }
  return (
    <div className="test-result ok">
      <p>
        <strong>{t('test.ok', { count: result.meters.length })}</strong>
      </p>
      <ul>
        {localizedMeters(provider, result.meters, t).map((meter) => {
          const view = meterView(meter, format);
          return (
            <li key={meter.id}>
              <span className="meter-label">{meter.label}</span>:{' '}
              {view.remaining ?? (meter.unlimited ? t('meter.unlimited') : t('meter.notReportedShort'))}{' '}
              {view.remaining !== null ? t(`remaining.${meter.unit}`) : null}
              {view.usage ? ` · ${t(view.usage.key, view.usage.values ?? {})}` : null}{' '}
              <LevelBadge severity={meter.level} />
            </li>
          );
        })}
      </ul>
      <AnswerPreview preview={result.preview} />
    </div>
  );
}

/** The raw answer of a described endpoint (secrets masked by main), folded away until asked for. */
function AnswerPreview({ preview }: { preview: string | undefined }) {
  const t = useT();
  if (!preview) return null;
  return (
    <details>
      <summary>{t('test.preview')}</summary>
      <pre className="code">{preview}</pre>
    </details>
  );
}
