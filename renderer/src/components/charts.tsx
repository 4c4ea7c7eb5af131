// The dashboard's charts. Each takes figures already shaped by lib/metrics.ts; a fixed width is used for the
// printable report, where a resizing container would redraw mid-print.
import type { ReactElement } from 'react';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CostPoint, ProjectSeries, SavingsMetric } from '../lib/metrics.ts';
import { compactUsd, ms, shortDay, tokens, usd } from '../lib/format.ts';

export const PALETTE = ['#4f46e5', '#0d9488', '#d97706', '#db2777', '#16a34a', '#7c3aed', '#0284c7', '#dc2626', '#64748b'];
const AXIS = { fontSize: 11, fill: '#6b7280' };
const GRID = '#eceef2';

function animate(fixed: boolean): boolean {
  if (fixed || typeof window === 'undefined') return false;
  return !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
}

function Frame({ height, width, children }: { height: number; width?: number; children: ReactElement }) {
  if (width) return <div className="chart-frame" style={{ width, height }}>{children}</div>;
  return (
    <div className="chart-frame" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}

/** Recharts sizes the fixed-width chart itself; inside ResponsiveContainer it gets the size from the container. */
function size(width: number | undefined, height: number) {
  return width ? { width, height } : {};
}

export function CostChart({ points, width, height = 260 }: { points: CostPoint[]; width?: number; height?: number }) {
  const motion = animate(Boolean(width));
  return (
    <Frame height={height} width={width}>
      <AreaChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 4 }} {...size(width, height)}>
        <defs>
          <linearGradient id="fill-cost" x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor="#4f46e5" stopOpacity={0.28} />
            <stop offset="100%" stopColor="#4f46e5" stopOpacity={0.02} />
          </linearGradient>
        </defs>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="date" tickFormatter={shortDay} tick={AXIS} tickLine={false} axisLine={{ stroke: GRID }} minTickGap={24} />
        <YAxis tickFormatter={compactUsd} tick={AXIS} tickLine={false} axisLine={false} width={52} />
        <Tooltip formatter={(value) => usd(Number(value))} labelFormatter={(label) => shortDay(String(label))} />
        <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
        <Area
          type="monotone"
          dataKey="baselineCostUsd"
          name="Without the gateway"
          stroke="#9ca3af"
          strokeDasharray="5 4"
          strokeWidth={2}
          fill="none"
          isAnimationActive={motion}
        />
        <Area type="monotone" dataKey="costUsd" name="With the gateway" stroke="#4f46e5" strokeWidth={2} fill="url(#fill-cost)" isAnimationActive={motion} />
      </AreaChart>
    </Frame>
  );
}

export function ProjectSavingsChart({
  series,
  metric,
  names,
  width,
  height = 260,
}: {
  series: ProjectSeries;
  metric: SavingsMetric;
  names: Record<string, string>;
  width?: number;
  height?: number;
}) {
  const motion = animate(Boolean(width));
  const format = metric === 'usd' ? (v: number) => usd(v) : (v: number) => `${tokens(v)} tokens`;
  return (
    <Frame height={height} width={width}>
      <BarChart data={series.rows} margin={{ top: 8, right: 12, bottom: 0, left: 4 }} {...size(width, height)}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="date" tickFormatter={shortDay} tick={AXIS} tickLine={false} axisLine={{ stroke: GRID }} minTickGap={24} />
        <YAxis tickFormatter={metric === 'usd' ? compactUsd : (v: number) => tokens(v)} tick={AXIS} tickLine={false} axisLine={false} width={52} />
        <Tooltip formatter={(value) => format(Number(value))} labelFormatter={(label) => shortDay(String(label))} cursor={{ fill: 'rgba(79,70,229,0.06)' }} />
        <Legend iconType="square" wrapperStyle={{ fontSize: 12 }} />
        {series.projects.map((project, i) => (
          <Bar
            key={project}
            dataKey={project}
            name={names[project] ?? project}
            stackId="saved"
            fill={PALETTE[i % PALETTE.length]}
            maxBarSize={36}
            isAnimationActive={motion}
          />
        ))}
      </BarChart>
    </Frame>
  );
}

export function ModelRequestsChart({ rows, width, height }: { rows: Array<{ model: string; requests: number }>; width?: number; height?: number }) {
  const motion = animate(Boolean(width));
  const h = height ?? Math.max(140, rows.length * 36 + 40);
  return (
    <Frame height={h} width={width}>
      <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 0, left: 8 }} {...size(width, h)}>
        <CartesianGrid stroke={GRID} horizontal={false} />
        <XAxis type="number" tick={AXIS} tickLine={false} axisLine={false} allowDecimals={false} />
        <YAxis type="category" dataKey="model" tick={AXIS} tickLine={false} axisLine={false} width={150} />
        <Tooltip cursor={{ fill: 'rgba(79,70,229,0.06)' }} />
        <Bar dataKey="requests" name="Requests" fill="#4f46e5" radius={[0, 4, 4, 0]} maxBarSize={22} isAnimationActive={motion} />
      </BarChart>
    </Frame>
  );
}

export function LatencyByModelChart({ rows, width, height }: { rows: Array<{ model: string; p50LatencyMs: number; p95LatencyMs: number }>; width?: number; height?: number }) {
  const motion = animate(Boolean(width));
  const h = height ?? Math.max(160, rows.length * 44 + 60);
  return (
    <Frame height={h} width={width}>
      <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 0, left: 8 }} {...size(width, h)}>
        <CartesianGrid stroke={GRID} horizontal={false} />
        <XAxis type="number" tick={AXIS} tickLine={false} axisLine={false} tickFormatter={(v: number) => ms(v)} />
        <YAxis type="category" dataKey="model" tick={AXIS} tickLine={false} axisLine={false} width={150} />
        <Tooltip formatter={(value) => ms(Number(value))} cursor={{ fill: 'rgba(79,70,229,0.06)' }} />
        <Legend iconType="square" wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="p50LatencyMs" name="p50" fill="#0d9488" radius={[0, 4, 4, 0]} maxBarSize={14} isAnimationActive={motion} />
        <Bar dataKey="p95LatencyMs" name="p95" fill="#d97706" radius={[0, 4, 4, 0]} maxBarSize={14} isAnimationActive={motion} />
      </BarChart>
    </Frame>
  );
}

export function LatencyTrendChart({ points, width, height = 200 }: { points: Array<{ date: string; avgLatencyMs: number | null; p95LatencyMs: number | null }>; width?: number; height?: number }) {
  const motion = animate(Boolean(width));
  // A line needs two days to show; with fewer, dots mark the days that had traffic.
  const sparse = points.filter((p) => p.avgLatencyMs !== null).length < 3;
  return (
    <Frame height={height} width={width}>
      <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 4 }} {...size(width, height)}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="date" tickFormatter={shortDay} tick={AXIS} tickLine={false} axisLine={{ stroke: GRID }} minTickGap={24} />
        <YAxis tickFormatter={(v: number) => ms(v)} tick={AXIS} tickLine={false} axisLine={false} width={60} />
        <Tooltip formatter={(value) => ms(Number(value))} labelFormatter={(label) => shortDay(String(label))} />
        <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
        <Line type="monotone" dataKey="avgLatencyMs" name="Average" stroke="#0d9488" strokeWidth={2} dot={sparse ? { r: 3, fill: '#0d9488' } : false} connectNulls isAnimationActive={motion} />
        <Line type="monotone" dataKey="p95LatencyMs" name="Slowest project's p95" stroke="#d97706" strokeWidth={2} strokeDasharray="4 3" dot={sparse ? { r: 3, fill: '#d97706' } : false} connectNulls isAnimationActive={motion} />
      </LineChart>
    </Frame>
  );
}

export function LayerChart({ rows, width, height }: { rows: Array<{ layer: string; tokensSaved: number }>; width?: number; height?: number }) {
  const motion = animate(Boolean(width));
  const h = height ?? Math.max(120, rows.length * 30 + 30);
  return (
    <Frame height={h} width={width}>
      <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 0, left: 8 }} {...size(width, h)}>
        <CartesianGrid stroke={GRID} horizontal={false} />
        <XAxis type="number" tick={AXIS} tickLine={false} axisLine={false} tickFormatter={(v: number) => tokens(v)} />
        <YAxis type="category" dataKey="layer" tick={AXIS} tickLine={false} axisLine={false} width={96} />
        <Tooltip formatter={(value) => `${tokens(Number(value))} tokens`} cursor={{ fill: 'rgba(13,148,136,0.06)' }} />
        <Bar dataKey="tokensSaved" name="Tokens saved" fill="#0d9488" radius={[0, 4, 4, 0]} maxBarSize={18} isAnimationActive={motion} />
      </BarChart>
    </Frame>
  );
}
