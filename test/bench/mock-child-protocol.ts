import { z } from 'zod';

/** The messages between a bench and the mock it forked (test/bench/oxr-mock-child.ts), over the IPC channel. */

/** From the bench to the mock: how many requests so far, or stop. */
export const toMockChildSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('count') }),
  z.object({ kind: z.literal('stop') }),
]);
export type ToMockChild = z.infer<typeof toMockChildSchema>;

/** From the mock to the bench: it listens at `url`; it was sent `requests` requests since it started. */
export const fromMockChildSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready'), url: z.string() }),
  z.object({ kind: z.literal('count'), requests: z.number().int().min(0) }),
]);
export type FromMockChild = z.infer<typeof fromMockChildSchema>;
