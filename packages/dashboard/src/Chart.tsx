import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/** A chart box of the page's width; `label` names it for screen readers and tests. */
export function Chart({ label, height = 280, children }: { label: string; height?: number; children: ReactElement }) {
  return (
    <div className="chart" role="img" aria-label={label} data-chart={label}>
      <ResponsiveContainer width="100%" height={height}>
        {children}
      </ResponsiveContainer>
    </div>
  );
}

export const COLOURS = ['#2b6cb0', '#38a169', '#d69e2e', '#805ad5', '#a0aec0', '#c53030'];

/** "2026-03" for an ISO instant: the month a trend point stands for. */
export function month(iso: string): string {
  return iso.slice(0, 7);
}
