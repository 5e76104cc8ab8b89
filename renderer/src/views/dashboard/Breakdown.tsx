import { useId, useState } from 'react';
import type { Meter } from '../../../../shared/snapshot';
import { useFormat } from '../../components/format-context';
import { breakdownRows } from '../../logic/meter-view';
import { useT } from '../../i18n/use-t';

/** Per API / per key usage of a meter, behind a disclosure button. */
export function Breakdown({ meter }: { meter: Meter }) {
  const t = useT();
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const id = useId();
  const rows = breakdownRows(meter, format);
  if (rows.length === 0) return null;
  return (
    <div className="breakdown">
      <button
        type="button"
        className="link-button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => {
          setOpen(!open);
        }}
      >
        {t(open ? 'meter.hideBreakdown' : 'meter.showBreakdown', { count: rows.length, label: meter.label })}
      </button>
      {open ? (
        <table id={id}>
          <caption className="visually-hidden">{t('meter.breakdownCaption', { label: meter.label })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('meter.breakdownName')}</th>
              <th scope="col" className="number">
                {t('meter.breakdownUsed')}
              </th>
              <th scope="col" className="number">
                {t('meter.breakdownShare')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                <td className="number">{row.used}</td>
                <td className="number">{row.share}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
