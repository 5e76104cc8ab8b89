import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireBinary, runProgram } from './system-tools';

/** The files docs/prometheus ships, checked with Prometheus' and Alertmanager's own tools. */
const DOCS = join(import.meta.dirname, '../../docs/prometheus');
const RULES = join(DOCS, 'headroom.rules.yml');

const GIS = { account: 'gis', provider: 'arcgis', job: 'headroom', instance: 'srv:9464' };
const FX = {
  account: 'fx',
  provider: 'openexchangerates',
  meter: 'requests',
  unit: 'requests',
  job: 'headroom',
  instance: 'srv:9464',
};

function series(name: string, labels: Record<string, string>, values: string): { series: string; values: string } {
  return {
    series: `${name}{${Object.entries(labels)
      .map(([key, value]) => `${key}="${value}"`)
      .join(',')}}`,
    values,
  };
}

/** A promtool unit-test file (JSON is YAML) against the shipped rules. */
async function ruleTests(tests: object[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-rules-'));
  const path = join(dir, 'headroom.rules.test.yml');
  await writeFile(path, JSON.stringify({ rule_files: [RULES], evaluation_interval: '1m', tests }, null, 1));
  return path;
}

describe('docs/prometheus', () => {
  it('passes promtool check rules, promtool check config and amtool check-config', async () => {
    const promtool = requireBinary('promtool', 'prometheus');
    const rules = await runProgram(promtool, ['check', 'rules', RULES]);
    expect(rules.stdout + rules.stderr).toContain('SUCCESS: 7 rules found');
    expect(rules.code).toBe(0);
    const config = await runProgram(promtool, ['check', 'config', join(DOCS, 'prometheus.yml')]);
    expect(config.code, config.stdout + config.stderr).toBe(0);
    const amtool = await runProgram(requireBinary('amtool', 'prometheus-alertmanager'), [
      'check-config',
      join(DOCS, 'alertmanager.yml'),
    ]);
    expect(amtool.code, amtool.stdout + amtool.stderr).toBe(0);
    expect(amtool.stdout).toContain('SUCCESS');
  });

  it('routes critical alerts to mail and the webhook, the others to the webhook (amtool config routes test)', async () => {
    const amtool = requireBinary('amtool', 'prometheus-alertmanager');
    const route = async (labels: string[]): Promise<string> => {
      const result = await runProgram(amtool, [
        'config',
        'routes',
        'test',
        '--config.file',
        join(DOCS, 'alertmanager.yml'),
        ...labels,
      ]);
      expect(result.code, result.stderr).toBe(0);
      return result.stdout.trim();
    };
    expect(await route(['alertname=HeadroomRemainingCritical', 'severity=critical', 'account=fx'])).toBe(
      'team-mail,team-webhook',
    );
    expect(await route(['alertname=HeadroomRemainingLow', 'severity=warning', 'account=fx'])).toBe('team-webhook');
    expect(await route(['alertname=HeadroomMemberCreditsCritical', 'severity=critical', 'account=gis'])).toBe(
      'team-mail,team-webhook',
    );
    expect(await route(['alertname=HeadroomMemberCreditsLow', 'severity=warning', 'account=gis'])).toBe('team-webhook');
  });

  it('fire when they should and only then (promtool test rules)', async () => {
    const promtool = requireBinary('promtool', 'prometheus');
    const fast = { ...FX, account: 'fast' };
    const slow = { ...FX, account: 'slow' };
    const flat = { ...FX, account: 'flat' };
    const file = await ruleTests([
      {
        interval: '1m',
        input_series: [
          series('headroom_meter_level', FX, '0 0 1 1 2 2'),
          series('headroom_meter_remaining', FX, '50000 40000 15000 15000 2000 2000'),
        ],
        alert_rule_test: [
          { eval_time: '1m', alertname: 'HeadroomRemainingLow', exp_alerts: [] },
          {
            eval_time: '3m',
            alertname: 'HeadroomRemainingLow',
            exp_alerts: [
              {
                exp_labels: { ...FX, severity: 'warning' },
                exp_annotations: {
                  summary: 'requests of fx is low',
                  description:
                    'requests of account fx (openexchangerates) reached the warning threshold of its rules: 15k requests left.',
                },
              },
            ],
          },
          { eval_time: '5m', alertname: 'HeadroomRemainingLow', exp_alerts: [] },
          {
            eval_time: '5m',
            alertname: 'HeadroomRemainingCritical',
            exp_alerts: [
              {
                exp_labels: { ...FX, severity: 'critical' },
                exp_annotations: {
                  summary: 'requests of fx is critical',
                  description:
                    'requests of account fx (openexchangerates) reached the critical threshold of its rules: 2k requests left.',
                },
              },
            ],
          },
        ],
      },
      {
        // Resets one day after the start (Unix time 86400). "fast" loses 100 a minute from 10,000:
        // empty in 100 min. "slow" loses 10 a minute from 100,000: empty in ~7 days. "flat" stays.
        interval: '1m',
        input_series: [
          series('headroom_meter_remaining', fast, '10000-100x60'),
          series('headroom_meter_reset_timestamp_seconds', fast, '86400x60'),
          series('headroom_meter_remaining', slow, '100000-10x60'),
          series('headroom_meter_reset_timestamp_seconds', slow, '86400x60'),
          series('headroom_meter_remaining', flat, '500x60'),
          series('headroom_meter_reset_timestamp_seconds', flat, '86400x60'),
        ],
        alert_rule_test: [
          { eval_time: '20m', alertname: 'HeadroomRunsOutBeforeReset', exp_alerts: [] },
          {
            eval_time: '40m',
            alertname: 'HeadroomRunsOutBeforeReset',
            exp_alerts: [
              {
                exp_labels: { ...fast, severity: 'warning' },
                exp_annotations: {
                  summary: 'requests of fast runs out before it resets',
                  description:
                    'At the pace of the last 6 hours, requests of account fast (openexchangerates) is used up in 1h 0m 0s, before its period resets.',
                },
              },
            ],
          },
        ],
      },
      {
        // An organization of 3,000 members: one series per level, never one per member. Two members
        // reach warning at 2m; one of them drops to critical (1 % left) at 4m; both recover at 6m.
        interval: '1m',
        input_series: [
          series('headroom_user_credits_members', { ...GIS, level: 'ok' }, '3000 3000 2998 2998 2998 2998 3000'),
          series('headroom_user_credits_members', { ...GIS, level: 'warning' }, '0 0 2 2 1 1 0'),
          series('headroom_user_credits_members', { ...GIS, level: 'critical' }, '0 0 0 0 1 1 0'),
          series('headroom_user_credits_members', { ...GIS, level: 'unknown' }, '0x6'),
          series('headroom_user_credits_lowest_remaining_ratio', GIS, '0.5 0.5 0.15 0.15 0.01 0.01 0.4'),
        ],
        alert_rule_test: [
          { eval_time: '1m', alertname: 'HeadroomMemberCreditsLow', exp_alerts: [] },
          {
            eval_time: '2m',
            alertname: 'HeadroomMemberCreditsLow',
            exp_alerts: [
              {
                exp_labels: { ...GIS, severity: 'warning' },
                exp_annotations: {
                  summary: '2 member(s) of gis are low on credits',
                  description:
                    '2 member(s) of account gis (arcgis) reached the warning threshold of their own credit allocation; the member lowest on credits has 15% of their allocation left.',
                },
              },
            ],
          },
          { eval_time: '3m', alertname: 'HeadroomMemberCreditsCritical', exp_alerts: [] },
          {
            eval_time: '4m',
            alertname: 'HeadroomMemberCreditsCritical',
            exp_alerts: [
              {
                exp_labels: { ...GIS, severity: 'critical' },
                exp_annotations: {
                  summary: '1 member(s) of gis are critical on credits',
                  description:
                    '1 member(s) of account gis (arcgis) reached the critical threshold of their own credit allocation; the member lowest on credits has 1% of their allocation left.',
                },
              },
            ],
          },
          { eval_time: '6m', alertname: 'HeadroomMemberCreditsLow', exp_alerts: [] },
          { eval_time: '6m', alertname: 'HeadroomMemberCreditsCritical', exp_alerts: [] },
        ],
      },
      {
        interval: '1m',
        input_series: [
          series(
            'headroom_account_up',
            { account: 'gis', provider: 'arcgis', job: 'headroom', instance: 'srv:9464' },
            '1 0x20',
          ),
          series(
            'headroom_account_consecutive_failures',
            { account: 'gis', provider: 'arcgis', job: 'headroom', instance: 'srv:9464' },
            '0 1x10 2x10',
          ),
          series('up', { job: 'headroom', instance: 'srv:9464' }, '1x3 0x10'),
        ],
        alert_rule_test: [
          { eval_time: '10m', alertname: 'HeadroomAccountDown', exp_alerts: [] },
          {
            eval_time: '17m',
            alertname: 'HeadroomAccountDown',
            exp_alerts: [
              {
                exp_labels: {
                  account: 'gis',
                  provider: 'arcgis',
                  job: 'headroom',
                  instance: 'srv:9464',
                  severity: 'warning',
                },
                exp_annotations: {
                  summary: 'Headroom cannot check gis',
                  description:
                    'The checks of account gis (arcgis) have failed for 15 minutes (2 in a row); its figures are stale. GET /api/snapshots on the server says why.',
                },
              },
            ],
          },
          { eval_time: '7m', alertname: 'HeadroomServerDown', exp_alerts: [] },
          {
            eval_time: '9m',
            alertname: 'HeadroomServerDown',
            exp_alerts: [
              {
                exp_labels: { job: 'headroom', instance: 'srv:9464', severity: 'critical' },
                exp_annotations: {
                  summary: "Headroom's serve at srv:9464 does not answer",
                  description:
                    'Prometheus has not been able to scrape srv:9464 for 5 minutes: no credit or quota is being watched.',
                },
              },
            ],
          },
        ],
      },
    ]);
    const result = await runProgram(promtool, ['test', 'rules', file]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });
});
