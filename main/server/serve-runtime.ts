import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_INTERVAL_MINUTES, type Account } from '../../shared/account';
import type { ServerAlerts } from '../../shared/config-file';
import type { Snapshot } from '../../shared/snapshot';
import { decideAlerts, EMPTY_ALERT_STATE, type AccountAlertState } from '../engine/alerts/decisions';
import {
  decideUserCreditAlerts,
  EMPTY_USER_CREDITS_ALERT_STATE,
  type UserCreditsAlertState,
} from '../engine/alerts/user-credits';
import { AccountMonitor } from '../engine/monitor/account-monitor';
import { HistoryError } from '../engine/history/history-error';
import { oncePerMessage } from '../engine/history/once-per-message';
import { HISTORY_BATCH_MS, HistoryStore } from '../engine/history/history-store';
import { HttpClient } from '../engine/http/client';
import { pollTargetOf } from '../engine/poller/poll-target';
import { Poller, type Clock } from '../engine/poller/poller';
import type { SecretValues } from '../engine/providers/provider';
import { findProvider } from '../engine/providers/registry';
import { resolveAccess } from './access-policy';
import { createAlertChannels } from './alert-channels';
import { composeAlertMessage } from './alert-message';
import { AlertOutbox, type RetryPolicy } from './alert-outbox';
import { createRequestHandler, listen } from './http-server';
import type { Log } from './log';
import { ServeMetrics } from './metrics';
import { SERVE_STATE_FILE, type ServeState } from './serve-state';
import { ServeStateStore, type ServeStateSource } from './serve-state-store';
import { ServeSetupError } from './setup-error';

export interface ServeOptions {
  accounts: readonly Account[];
  readSecrets: (account: Account) => Promise<SecretValues>;
  timeoutSeconds: number;
  alerts: ServerAlerts | undefined;
  /** Named in messages about the `server` section. */
  configPath: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  stateDir: string;
  /** The history (SQLite) every check is kept in and forecasts come from; none: no forecasts. */
  historyPath?: string;
  env: NodeJS.ProcessEnv;
  log: Log;
  retryPolicy?: RetryPolicy;
  /** Checks in flight at once over all accounts (the poller's default is 4). */
  concurrency?: number;
  /** collectDefaultMetrics: on by default; tests that start many servers in one process turn it off. */
  processMetrics?: boolean;
  /** The time the checks are scheduled and made by (default: the real one); tests move it by hand. */
  clock?: Clock;
}

export interface RunningServe {
  url: string;
  stateFile: string;
  /** One line per channel, for the start-up line. */
  channels: readonly string[];
  accounts: number;
  /**
   * Stops polling (checks in flight are cancelled), lets alert deliveries finish briefly, saves the state, closes the
   * port.
   */
  stop(): Promise<void>;
}

/** How long shutdown waits for requests and alert deliveries in progress before cutting them off. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * `serve`: the engine of the desktop app, headless. The Poller drives one AccountMonitor per
 * account; every snapshot goes through the desktop's `decideAlerts` and `decideUserCreditAlerts`
 * (members of an organization with credit budgeting), their notifications to the alert outbox
 * (mail, webhooks), and the decision state and undelivered alerts to the state file together, so
 * a restart neither repeats nor loses an alert.
 */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const { log } = options;
  const accessPolicy = resolveAccess(options.host, options.env);
  const channels = await createAlertChannels(options.alerts, options.env, options.configPath);
  await prepareStateDir(options.stateDir);
  const store = new ServeStateStore(join(options.stateDir, SERVE_STATE_FILE), log, {
    journalLimit: Math.max(1_000, 4 * options.accounts.length),
  });
  const saved = await store.load();
  const accounts = options.accounts.filter((account) => account.enabled);
  const accountsById = new Map(accounts.map((account) => [account.id, account]));
  const withProviders = accounts.map((account) => {
    const provider = findProvider(account.provider);
    if (!provider)
      throw new ServeSetupError(
        `${options.configPath}: account '${account.label}' names an unknown provider "${account.provider}".`,
      );
    return { account, provider };
  });
  const history = openHistory(options.historyPath, log);

  const http = new HttpClient({ timeoutMs: options.timeoutSeconds * 1000 });
  const historyProblem = oncePerMessage();
  const onHistoryError = (error: unknown, accountId: string): void => {
    historyProblem(error, (message) => {
      log(
        'warn',
        `the history could not keep the check of '${accountsById.get(accountId)?.label ?? accountId}' (${message}); checks and alerts go on, without forecasts.`,
      );
    });
  };
  const clock = options.clock;
  const now = clock ? () => new Date(clock.now()) : undefined;
  const monitors = new Map<string, AccountMonitor>();
  const alertStates = new Map<string, AccountAlertState>();
  const userCreditStates = new Map<string, UserCreditsAlertState>();
  for (const { account, provider } of withProviders) {
    const monitor = new AccountMonitor(account, provider, {
      http,
      readSecrets: options.readSecrets,
      ...(now ? { now } : {}),
      ...(history ? { history, onHistoryError } : {}),
    });
    const kept = saved?.snapshots[account.id];
    if (kept?.provider === account.provider) monitor.seed(kept);
    monitors.set(account.id, monitor);
    const alertState = saved?.alerts[account.id];
    if (alertState) alertStates.set(account.id, alertState);
    const told = saved?.userCredits[account.id];
    if (told) userCreditStates.set(account.id, told);
  }

  /** Snapshots from checks of this run: what /metrics and /api/snapshots show. */
  const checked = new Map<string, Snapshot>();
  const latest = (): Snapshot[] => accounts.flatMap((account) => checked.get(account.id) ?? []);
  let stopping = false;

  const state = (): ServeState => ({
    version: 1,
    savedAt: new Date().toISOString(),
    alerts: Object.fromEntries(alertStates),
    userCredits: Object.fromEntries(userCreditStates),
    outbox: outbox.pending(),
    snapshots: Object.fromEntries(
      [...monitors].flatMap(([id, monitor]) => (monitor.lastSnapshot ? [[id, monitor.lastSnapshot]] : [])),
    ),
  });
  const stateSource: ServeStateSource = {
    state,
    account: (id) => ({
      id,
      alerts: alertStates.get(id) ?? null,
      userCredits: userCreditStates.get(id) ?? null,
      snapshot: monitors.get(id)?.lastSnapshot ?? null,
    }),
    outbox: () => outbox.pending(),
  };

  const metrics = new ServeMetrics(
    {
      snapshots: latest,
      consecutiveFailures: (accountId) => poller.scheduleOf(accountId)?.consecutiveFailures ?? 0,
      pendingAlerts: () =>
        channels.map((channel) => ({ channel: channel.name, count: outbox.pendingFor(channel.key) })),
    },
    { processMetrics: options.processMetrics ?? true },
  );
  metrics.initAccounts(
    accounts,
    channels.map((channel) => channel.name),
  );

  const outbox = new AlertOutbox({
    channels,
    log,
    onChange: () => {
      store.outboxChanged();
    },
    onOutcome: (channel, outcome) => {
      metrics.observeDelivery(channel.name, outcome);
    },
    ...(options.retryPolicy ? { policy: options.retryPolicy } : {}),
  });
  outbox.restore(saved?.outbox ?? []);

  const origin = hostname();
  const onSnapshot = (snapshot: Snapshot): void => {
    const before = checked.get(snapshot.accountId);
    checked.set(snapshot.accountId, snapshot);
    if (before?.status !== snapshot.status)
      log(snapshot.status === 'ok' ? 'info' : 'warn', describeCheck(snapshot, before === undefined));
    const account = accountsById.get(snapshot.accountId);
    const rules = account?.rules;
    const decision = decideAlerts({
      previous: alertStates.get(snapshot.accountId) ?? EMPTY_ALERT_STATE,
      snapshot,
      rules,
      snoozed: false,
      notifyOnRefill: account?.notifyOnRefill ?? false,
    });
    alertStates.set(snapshot.accountId, decision.state);
    const members = decideUserCreditAlerts({
      previous: userCreditStates.get(snapshot.accountId) ?? EMPTY_USER_CREDITS_ALERT_STATE,
      snapshot,
      rules,
      snoozed: false,
    });
    if (Object.keys(members.state).length > 0) userCreditStates.set(snapshot.accountId, members.state);
    else userCreditStates.delete(snapshot.accountId);
    for (const notification of [...decision.notifications, ...members.notifications]) {
      const message = composeAlertMessage(notification, snapshot, new Date(), origin);
      log(
        'info',
        `alert: ${message.title}${channels.length === 0 ? ' (no mail or webhook configured: this line is the only notice)' : ''}`,
      );
      outbox.enqueue(message);
    }
    store.accountChanged(snapshot.accountId);
  };

  const poller = new Poller({
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(clock ? { clock } : {}),
    check: async (accountId, signal) => {
      const monitor = monitors.get(accountId);
      if (!monitor) throw new Error(`serve has no monitor for account '${accountId}'.`);
      const started = performance.now();
      const snapshot = await monitor.check(signal);
      metrics.observeCheck(snapshot, (performance.now() - started) / 1000);
      return snapshot;
    },
    onSnapshot,
  });

  let server;
  try {
    server = await listen(
      createRequestHandler(
        {
          metrics: () => metrics.render(),
          snapshots: latest,
          healthy: () => !stopping,
        },
        accessPolicy,
      ),
      options.host,
      options.port,
    );
  } catch (error) {
    await outbox.stop(0);
    history?.close();
    throw listenError(error, options.host, options.port);
  }

  poller.setTargets(
    [...monitors.values()].map((monitor) =>
      pollTargetOf(
        accountsById.get(monitor.id) ?? { id: monitor.id, config: {} },
        monitor.provider,
        DEFAULT_INTERVAL_MINUTES,
      ),
    ),
  );
  await store.attach(stateSource);
  poller.start();
  outbox.start();

  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    stateFile: store.path,
    channels: channels.map((channel) => channel.describe),
    accounts: accounts.length,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        const closing = server.close(SHUTDOWN_GRACE_MS);
        await poller.stop();
        history?.close();
        await outbox.stop(SHUTDOWN_GRACE_MS);
        await store.close();
        await closing;
      })()),
  };
}

function openHistory(path: string | undefined, log: Log): HistoryStore | undefined {
  if (path === undefined) return undefined;
  let history: HistoryStore;
  const writeProblem = oncePerMessage();
  try {
    history = HistoryStore.open(path, {
      batchMs: HISTORY_BATCH_MS,
      onWriteError: (error) => {
        writeProblem(error, (message) => {
          log(
            'warn',
            `the history at ${path} could not keep the latest checks (${message}); it tries again with the next ones.`,
          );
        });
      },
      onMaintenanceError: (error) => {
        log(
          'warn',
          `thinning the history at ${path} failed (${error instanceof Error ? error.message : String(error)}); it keeps recording.`,
        );
      },
    });
  } catch (error) {
    if (error instanceof HistoryError)
      throw new ServeSetupError(`${error.message} Or choose another file with --history.`);
    throw error;
  }
  const notice = history.takeNotice();
  if (notice) log('warn', notice);
  history.startMaintenance();
  return history;
}

async function prepareStateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await access(dir, constants.W_OK);
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error && error.code === 'EACCES'
        ? 'permission denied'
        : error instanceof Error
          ? error.message
          : String(error);
    throw new ServeSetupError(
      `The state directory ${dir} cannot be written (${reason}); choose another with --state-dir.`,
    );
  }
}

function listenError(error: unknown, host: string, port: number): Error {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'EADDRINUSE')
    return new ServeSetupError(
      `Port ${port} on ${host} is already in use; stop the other program or choose another with --port.`,
    );
  if (code === 'EACCES')
    return new ServeSetupError(
      `Listening on ${host}:${port} is not permitted (ports below 1024 need privileges); choose another with --port.`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new ServeSetupError(`${host} is not an address of this machine; check --host.`);
  return error instanceof Error ? error : new Error(String(error));
}

function describeCheck(snapshot: Snapshot, first: boolean): string {
  if (snapshot.status === 'error') return `'${snapshot.label}' failed: ${snapshot.error?.message ?? 'unknown error'}`;
  const levels = snapshot.meters.map((meter) => `${meter.label} ${meter.level}`).join(', ');
  return `'${snapshot.label}' ${first ? 'checked' : 'recovered'}: ${levels || 'no meters'}.`;
}
