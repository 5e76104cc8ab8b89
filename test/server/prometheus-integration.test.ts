import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../../main/engine/config/config-file';
import { startServe, type RunningServe } from '../../main/server/serve-runtime';
import { startMockServer, sendText, type MockServer } from '../mock-servers/harness';
import {
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { freePort, requireBinary, startProcess, waitFor, type StartedProcess } from './system-tools';

/**
 * The whole chain with the real programs, all on 127.0.0.1: the Open Exchange Rates mock reports a
 * quota with 12 % left → `serve` exports level 1 (warning) → Prometheus scrapes it every second and
 * evaluates the shipped rules → HeadroomRemainingLow fires → Alertmanager, configured from the
 * shipped example, routes it to a local webhook receiver.
 */
const DOCS = join(import.meta.dirname, '../../docs/prometheus');

const alertsAnswer = z.object({
  data: z.object({
    alerts: z.array(z.object({ labels: z.record(z.string(), z.string()), state: z.string(), activeAt: z.string() })),
  }),
});
const rangeAnswer = z.object({
  data: z.object({ result: z.array(z.object({ values: z.array(z.tuple([z.number(), z.string()])) })) }),
});
const webhookBody = z.object({
  status: z.string(),
  alerts: z.array(
    z.object({
      status: z.string(),
      labels: z.record(z.string(), z.string()),
      annotations: z.record(z.string(), z.string()),
    }),
  ),
});

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** The shipped Alertmanager example, pointed at the test's receiver and made quick to group. */
async function alertmanagerConfig(receiverUrl: string): Promise<string> {
  let text = await readFile(join(DOCS, 'alertmanager.yml'), 'utf8');
  const replacements: [string, string][] = [
    ['url: http://127.0.0.1:9095/alerts', `url: ${receiverUrl}/alerts`],
    ['group_wait: 30s', 'group_wait: 100ms'],
  ];
  for (const [from, to] of replacements) {
    expect(text.split(from)).toHaveLength(2);
    text = text.replace(from, to);
  }
  return text;
}

async function withOutput<T>(processes: StartedProcess[], wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    const logs = processes.map((started) => started.output().split('\n').slice(-15).join('\n')).join('\n---\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nLast output:\n${logs}`, {
      cause: error,
    });
  }
}

describe('serve with Prometheus and Alertmanager', () => {
  it(
    'turns a low quota into a firing alert that reaches a webhook through Alertmanager',
    { timeout: 90_000 },
    async () => {
      const prometheusBin = requireBinary('prometheus', 'prometheus');
      const alertmanagerBin = requireBinary('prometheus-alertmanager', 'prometheus-alertmanager');
      const dir = await mkdtemp(join(tmpdir(), 'headroom-prometheus-'));

      const oxr: OpenExchangeRatesMock = await startOpenExchangeRatesMock();
      cleanups.push(() => oxr.close());
      oxr.setUsage({ requests: 88_000 });
      const received: { at: number; body: z.infer<typeof webhookBody> }[] = [];
      const receiver: MockServer = await startMockServer((request, res) => {
        if (request.method === 'POST' && request.path === '/alerts')
          received.push({ at: Date.now(), body: webhookBody.parse(JSON.parse(request.body)) });
        sendText(res, 200, 'text/plain', 'ok');
      });
      cleanups.push(() => receiver.close());

      const env = { FX_APP_ID: OXR_VALID_APP_ID };
      const config = parseConfig(
        JSON.stringify({
          accounts: [
            {
              id: 'fx',
              provider: 'openexchangerates',
              label: 'FX rates',
              config: { baseUrl: `${oxr.url}/api` },
              secrets: { appId: { env: 'FX_APP_ID' } },
            },
          ],
        }),
        'fx.json',
        env,
      );
      const serve: RunningServe = await startServe({
        accounts: config.accounts,
        readSecrets: config.readSecrets,
        timeoutSeconds: 5,
        alerts: undefined,
        configPath: 'fx.json',
        host: '127.0.0.1',
        port: 0,
        stateDir: join(dir, 'serve'),
        env,
        log: () => undefined,
      });
      cleanups.push(() => serve.stop());

      const alertmanagerPort = await freePort();
      await writeFile(join(dir, 'alertmanager.yml'), await alertmanagerConfig(receiver.url));
      const alertmanager = startProcess(alertmanagerBin, [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'alertmanager')}`,
        `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
        '--cluster.listen-address=',
      ]);
      cleanups.push(() => alertmanager.stop());

      const prometheusPort = await freePort();
      const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
      await writeFile(
        join(dir, 'prometheus.yml'),
        JSON.stringify({
          global: { scrape_interval: '1s', evaluation_interval: '1s' },
          rule_files: [join(DOCS, 'headroom.rules.yml')],
          scrape_configs: [{ job_name: 'headroom', static_configs: [{ targets: [new URL(serve.url).host] }] }],
          alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${alertmanagerPort}`] }] }] },
        }),
      );
      const prometheus = startProcess(prometheusBin, [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'prometheus')}`,
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
      ]);
      cleanups.push(() => prometheus.stop());
      const programs = [prometheus, alertmanager];

      await withOutput(
        programs,
        waitFor(
          'Prometheus to be ready',
          async () => ((await fetch(`${prometheusUrl}/-/ready`)).ok ? true : undefined),
          { timeoutMs: 20_000, intervalMs: 100 },
        ),
      );
      await withOutput(
        programs,
        waitFor(
          'Alertmanager to be ready',
          async () => ((await fetch(`http://127.0.0.1:${alertmanagerPort}/-/ready`)).ok ? true : undefined),
          { timeoutMs: 20_000, intervalMs: 100 },
        ),
      );

      const firing = await withOutput(
        programs,
        waitFor(
          'HeadroomRemainingLow to fire in Prometheus',
          async () => {
            const answer = alertsAnswer.parse(await (await fetch(`${prometheusUrl}/api/v1/alerts`)).json());
            const alert = answer.data.alerts.find(
              (candidate) => candidate.labels.alertname === 'HeadroomRemainingLow' && candidate.state === 'firing',
            );
            return alert ? { alert, at: Date.now() } : undefined;
          },
          { timeoutMs: 30_000, intervalMs: 50 },
        ),
      );
      expect(firing.alert.labels).toMatchObject({
        account: 'fx',
        provider: 'openexchangerates',
        meter: 'requests',
        unit: 'requests',
        severity: 'warning',
        job: 'headroom',
      });

      const delivered = await withOutput(
        programs,
        waitFor(
          'the alert at the webhook receiver',
          () =>
            received.find((entry) =>
              entry.body.alerts.some((alert) => alert.labels.alertname === 'HeadroomRemainingLow'),
            ),
          {
            timeoutMs: 30_000,
            intervalMs: 50,
          },
        ),
      );
      const [alert] = delivered.body.alerts;
      expect(delivered.body.status).toBe('firing');
      expect(alert?.labels).toMatchObject({
        alertname: 'HeadroomRemainingLow',
        account: 'fx',
        meter: 'requests',
        severity: 'warning',
      });
      expect(alert?.annotations.description).toBe(
        'requests of account fx (openexchangerates) reached the warning threshold of its rules: 12k requests left.',
      );

      // The first scrape that saw level 1, from Prometheus' own sample timestamps.
      const range = rangeAnswer.parse(
        await (
          await fetch(
            `${prometheusUrl}/api/v1/query?query=${encodeURIComponent('headroom_meter_level{account="fx"}[5m]')}`,
          )
        ).json(),
      );
      const firstLow = range.data.result[0]?.values.find(([, value]) => value === '1')?.[0];
      expect(firstLow).toBeDefined();
      const scrapedAt = (firstLow ?? 0) * 1000;
      const toFiring = firing.at - scrapedAt;
      const toWebhook = delivered.at - scrapedAt;
      console.log(
        `scrape-to-alert: first scrape with level 1 → firing in Prometheus ${(toFiring / 1000).toFixed(2)} s (activeAt +${((Date.parse(firing.alert.activeAt) - scrapedAt) / 1000).toFixed(2)} s) → at the webhook via Alertmanager ${(toWebhook / 1000).toFixed(2)} s (scrape and evaluation every 1 s, group_wait 100 ms)`,
      );
      expect(toFiring).toBeGreaterThan(0);
      expect(toWebhook).toBeGreaterThanOrEqual(toFiring - 100);
    },
  );
});
