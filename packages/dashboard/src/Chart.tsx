import type { ReactElement } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

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

export interface Series {
  key: string;
  name: string;
  colour: string;
  /** Series with the same stack are stacked in one bar. */
  stack?: string;
}

/** Counts as bars along `x`, one bar (or part of a stacked bar) per series; `slanted` for long names. */
export function Bars({ label, data, x, series, slanted = false, height }: { label: string; data: object[]; x: string; series: Series[]; slanted?: boolean; height?: number }) {
  return (
    <Chart label={label} height={height}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: slanted ? 64 : 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        {slanted ? <XAxis dataKey={x} angle={-25} textAnchor="end" interval={0} height={70} fontSize={12} /> : <XAxis dataKey={x} fontSize={12} />}
        <YAxis allowDecimals={false} />
        <Tooltip />
        {series.length > 1 ? <Legend verticalAlign="top" /> : null}
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.colour} stackId={s.stack} isAnimationActive={false} />
        ))}
      </BarChart>
    </Chart>
  );
}

export const COLOURS = ['#2b6cb0', '#38a169', '#d69e2e', '#805ad5', '#a0aec0', '#c53030'];

/** "2026-03" for an ISO instant: the month a trend point stands for. */
export function month(iso: string): string {
  return iso.slice(0, 7);
}
