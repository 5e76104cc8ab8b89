import type { ReactNode } from 'react';
import { useFormat } from './format-context';

/** A time said relatively (or as the caller words it), with the full date on hover. */
export function TimeText({ at, children, className }: { at: string | Date; children: ReactNode; className?: string }) {
  const format = useFormat();
  const date = typeof at === 'string' ? new Date(at) : at;
  return (
    <time dateTime={date.toISOString()} title={format.absolute(date)} className={className}>
      {children}
    </time>
  );
}
