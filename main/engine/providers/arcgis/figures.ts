import { z } from 'zod';

const NUMERIC = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * A figure ArcGIS may send as a number or as text ("12.5", "2.0E-4": its usage statistics do), read
 * as a finite number; other text is a malformed answer, never a zero.
 */
export const figureSchema = z
  .union([z.number(), z.string().trim().regex(NUMERIC, 'must be a number').transform(Number)])
  .pipe(z.number());
