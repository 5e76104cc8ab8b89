import { useRef, useState } from 'react';
import type { ImportResult } from '../../../../shared/ipc';
import { routeHash } from '../../logic/routes';
import { useStore } from '../../state/use-headroom';
import { useT } from '../../i18n/use-t';

const EXPORT_FILE = 'headroom-accounts.json';

/** Accounts out as JSON (the CLI's config format, never a secret) and back in. */
export function ImportExportSection() {
  const t = useT();
  const store = useStore();
  const input = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);

  const exportAccounts = async (): Promise<void> => {
    setError(null);
    const reply = await store.exportAccounts();
    if (!reply.ok) {
      setError(reply.error.message);
      return;
    }
    const url = URL.createObjectURL(new Blob([reply.value.json], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = EXPORT_FILE;
    link.click();
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 10_000);
    setExported(t('importExport.exported', { file: EXPORT_FILE }));
  };

  const exportHistory = async (): Promise<void> => {
    setError(null);
    const reply = await store.exportHistoryCsv();
    if (!reply.ok) {
      setError(reply.error.message);
      return;
    }
    setExported(
      reply.value.saved && reply.value.path
        ? t('importExport.historySaved', { count: reply.value.rows ?? 0, path: reply.value.path })
        : t('importExport.historyNotSaved'),
    );
  };

  const importFile = async (file: File): Promise<void> => {
    setError(null);
    setResult(null);
    const json = await file.text();
    const reply = await store.importAccounts(json);
    if (!reply.ok) {
      setError(reply.error.message);
      return;
    }
    setResult(reply.value);
  };

  return (
    <section aria-labelledby="import-export-heading" className="panel">
      <h2 id="import-export-heading">{t('importExport.title')}</h2>
      <p className="help">{t('importExport.help')}</p>
      <div className="row-actions">
        <button
          type="button"
          onClick={() => {
            void exportAccounts();
          }}
        >
          {t('importExport.export')}
        </button>
        <button
          type="button"
          onClick={() => {
            void exportHistory();
          }}
        >
          {t('importExport.exportHistory')}
        </button>
        <span className="file-field">
          <label htmlFor="import-file">{t('importExport.import')}</label>
          <input
            ref={input}
            id="import-file"
            type="file"
            accept="application/json,.json"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void importFile(file);
              if (input.current) input.current.value = '';
            }}
          />
        </span>
      </div>
      <div role="status" className="import-result">
        {exported ? <p>{exported}</p> : null}
        {error ? <p className="error">{error}</p> : null}
        {result && !result.ok ? (
          <>
            <p className="error">{t('importExport.invalid')}</p>
            <ul>
              {result.problems.map((problem) => (
                <li key={`${problem.path}:${problem.message}`}>
                  <code>{problem.path}</code>: {problem.message}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {result?.ok ? (
          <>
            <p>
              {t('importExport.imported', {
                count: result.added.length + result.replaced.length,
                added: result.added.length,
                replaced: result.replaced.length,
              })}
            </p>
            {result.needed.length ? (
              <>
                <p>{t('importExport.needed', { count: result.needed.length })}</p>
                <ul>
                  {result.needed.map((need) => (
                    <li key={`${need.accountId}/${need.field}`}>
                      <a href={routeHash({ view: 'account', accountId: need.accountId })}>
                        {t('importExport.setSecret', { label: need.label, account: need.accountLabel })}
                      </a>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {[...result.warnings, ...result.ignored].map((warning) => (
              <p key={warning} className="muted">
                {warning}
              </p>
            ))}
          </>
        ) : null}
      </div>
    </section>
  );
}
