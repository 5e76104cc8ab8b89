import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { UserCreditsView } from '../../../../shared/snapshot';
import { useFormat } from '../../components/format-context';
import { TimeText } from '../../components/TimeText';
import { useT } from '../../i18n/use-t';
import { toneClass } from '../../logic/tone-class';
import { MEMBER_ROWS_STEP, memberRow, membersSummary, sortedMembers, type MemberRow } from '../../logic/member-credits';

/**
 * Members' credit budgets (ArcGIS Online): a one-line summary, and on demand a table worst first.
 * The table draws MEMBER_ROWS_STEP rows and more on request, so a list of thousands stays quick;
 * nothing is sorted or formatted until it opens.
 */
export function MemberCredits(props: { view: UserCreditsView; accountLabel: string; now: Date; hideReason: boolean }) {
  const t = useT();
  const format = useFormat();
  const { view, now } = props;
  const [open, setOpen] = useState(false);
  const [limit, setLimit] = useState(MEMBER_ROWS_STEP);
  const tableId = useId();
  const titleId = useId();
  const summary = membersSummary(view, format);
  const sorted = useMemo(() => (open ? sortedMembers(view.users) : []), [open, view.users]);
  const table = useRef<HTMLTableElement>(null);
  // The last "show more" goes away with the rows it added: the focus goes to the table, not to the page.
  const [focusTable, setFocusTable] = useState(false);
  useEffect(() => {
    if (!focusTable) return;
    setFocusTable(false);
    table.current?.focus();
  }, [focusTable]);

  // The account may not read the list: the administrator note of the card says so in plain words.
  if (summary.kind === 'unavailable' && (props.hideReason || summary.reason === null)) return null;

  const say = (cell: MemberRow['assigned']): string => (typeof cell === 'string' ? cell : t(cell.key));
  const shown = sorted.slice(0, limit);
  const hidden = sorted.length - shown.length;
  return (
    <section className="members" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('members.title')}</h3>
      {summary.kind === 'unavailable' ? <p className="note">{summary.reason}</p> : null}
      {summary.kind === 'off' ? <p className="members-summary">{t(summary.message.key)}</p> : null}
      {summary.kind === 'list' ? (
        <>
          <p className={`members-summary ${toneClass(summary.level)}`}>
            {t(summary.message.key, summary.message.values ?? {})}
          </p>
          {view.note ? <p className="note">{view.note}</p> : null}
          {view.users.length ? (
            <button
              type="button"
              className="link-button"
              aria-expanded={open}
              aria-controls={tableId}
              aria-label={t(open ? 'members.hideOf' : 'members.showOf', { label: props.accountLabel })}
              onClick={() => {
                setOpen(!open);
                setLimit(MEMBER_ROWS_STEP);
              }}
            >
              {t(open ? 'members.hide' : 'members.show')}
            </button>
          ) : null}
        </>
      ) : null}
      {open ? (
        <div id={tableId} className="members-details">
          <p className="note">
            <TimeText at={view.readAt}>
              {t('members.readAt', { time: format.relative(new Date(view.readAt), now) })}
            </TimeText>
            {view.defaultAllocation === null
              ? null
              : ` · ${t('members.defaultAllocation', { amount: format.amount(view.defaultAllocation, 'credits') })}`}
          </p>
          <table ref={table} tabIndex={-1}>
            <caption className="visually-hidden">{t('members.caption', { label: props.accountLabel })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('members.member')}</th>
                <th scope="col" className="number">
                  {t('members.assigned')}
                </th>
                <th scope="col" className="number">
                  {t('members.available')}
                </th>
                <th scope="col" className="number">
                  {t('members.percentLeft')}
                </th>
                <th scope="col">{t('members.level')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((member) => {
                const row = memberRow(member, format);
                return (
                  <tr key={row.username} className={toneClass(row.level)}>
                    <th scope="row" title={row.username}>
                      {row.name}
                    </th>
                    <td className="number">{say(row.assigned)}</td>
                    <td className="number">{say(row.available)}</td>
                    <td className="number">{row.percentLeft ?? t('members.noShare')}</td>
                    <td>
                      <span className={`level-word ${toneClass(row.level)}`}>{t(`level.${row.level}`)}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {hidden > 0 ? (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setLimit(limit + MEMBER_ROWS_STEP);
                if (hidden <= MEMBER_ROWS_STEP) setFocusTable(true);
              }}
            >
              {t('members.showMore', {
                count: Math.min(hidden, MEMBER_ROWS_STEP),
                more: format.count(Math.min(hidden, MEMBER_ROWS_STEP)),
                hidden: format.count(hidden),
              })}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
