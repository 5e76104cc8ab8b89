import type { ReportedSeries } from '../../../shared/history';
import type { MeterForecast, MeterReading } from '../../../shared/snapshot';

/** One successful check of an account, as the history keeps it. */
export interface HistoryEntry {
  accountId: string;
  /** When the meters were read (the snapshot's `fetchedAt`). */
  at: string;
  meters: readonly MeterReading[];
  /** What the provider said about the past at this check; kept where no observed point is. */
  reported?: readonly ReportedSeries[];
}

/** What the engine needs of the history: keep a check, forecast a meter from what is kept. */
export interface MeterHistory {
  record(entry: HistoryEntry): void;
  forecast(accountId: string, meter: MeterReading, now: Date): MeterForecast;
}
