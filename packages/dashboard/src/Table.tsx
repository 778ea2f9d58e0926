import { useMemo, useState, type ReactNode } from 'react';

export interface Column<T> {
  label: string;
  /** The cell as text: shown, filtered on and written to the CSV. */
  text: (row: T) => string;
  /** What the column sorts by; default the text. Numbers sort as numbers, nulls last. */
  sort?: (row: T) => number | string | null | undefined;
  /** A richer cell than the text, when wanted. */
  render?: (row: T) => ReactNode;
  numeric?: boolean;
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The rows shown as CSV (header first), the way the table shows them. */
export function toCsv<T>(columns: Column<T>[], rows: T[]): string {
  const lines = [columns.map((c) => csvCell(c.label)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.text(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Rows on one page of a table; the CSV has every row that matches the filter. */
const ROWS_PER_PAGE = 50;

/**
 * A plain table: click a header to sort (again to reverse), type to filter, download what is shown
 * (all pages of it). `loading` says the rows are still coming (a list fetched page by page).
 */
export function Table<T>({
  name,
  columns,
  rows,
  rowKey,
  empty = 'Nothing to show.',
  loading,
}: {
  name: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T, index: number) => string;
  empty?: string;
  loading?: { total: number | null } | false;
}) {
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const [sort, setSort] = useState<{ column: number; descending: boolean } | null>(null);
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const filtered = needle ? rows.filter((r) => columns.some((c) => c.text(r).toLowerCase().includes(needle))) : rows.slice();
    if (sort) {
      const col = columns[sort.column];
      const key = col.sort ?? col.text;
      filtered.sort((a, b) => {
        const x = key(a);
        const y = key(b);
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
        return sort.descending ? -order : order;
      });
    }
    return filtered;
  }, [rows, columns, filter, sort]);
  const pages = Math.max(1, Math.ceil(shown.length / ROWS_PER_PAGE));
  const current = Math.min(page, pages - 1);
  const visible = shown.slice(current * ROWS_PER_PAGE, (current + 1) * ROWS_PER_PAGE);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return (
    <div className="table" data-table={slug}>
      <div className="table-tools">
        <input
          type="search"
          placeholder="Filter…"
          aria-label={`Filter ${name}`}
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            setPage(0);
          }}
        />
        <span className="muted" data-count>
          {shown.length} of {rows.length}
          {loading ? ` (loading${loading.total == null ? '' : ` ${loading.total}`}…)` : ''}
        </span>
        {pages > 1 ? (
          <span className="pager">
            <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
              Previous
            </button>
            <span>
              rows {current * ROWS_PER_PAGE + 1}–{current * ROWS_PER_PAGE + visible.length}
            </span>
            <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
              Next
            </button>
          </span>
        ) : null}
        <button type="button" onClick={() => download(`${slug}.csv`, toCsv(columns, shown))}>
          Download CSV
        </button>
      </div>
      <table>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th
                key={c.label}
                className={c.numeric ? 'num' : undefined}
                aria-sort={sort?.column === i ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                onClick={() => setSort((s) => (s?.column === i ? { column: i, descending: !s.descending } : { column: i, descending: false }))}
              >
                {c.label}
                {sort?.column === i ? (sort.descending ? ' ▼' : ' ▲') : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {visible.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="muted">
                {loading ? 'Loading…' : empty}
              </td>
            </tr>
          ) : (
            visible.map((row, i) => (
              <tr key={rowKey(row, current * ROWS_PER_PAGE + i)}>
                {columns.map((c) => (
                  <td key={c.label} className={c.numeric ? 'num' : undefined}>
                    {c.render ? c.render(row) : c.text(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
