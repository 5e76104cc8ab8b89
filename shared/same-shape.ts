/**
 * True when A and B have the same fields, optional ones included: mutual `extends` alone misses an
 * optional field present on one side only. Used where a zod schema restates an engine type for
 * persistence, so the build breaks if the two drift apart.
 */
export type SameShape<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [Required<A>] extends [Required<B>]
      ? [Required<B>] extends [Required<A>]
        ? true
        : false
      : false
    : false
  : false;
