// Axis and value formatting for the metric charts.
import type { XAxisKind } from '../../src/shared/metricsContract';

/** 0.000123 -> "1.23e-4"; 1234567 -> "1.23M"; 0.8312 -> "0.831". */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e9) return `${(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${(v / 1e3).toPrecision(3)}k`;
  if (a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** Seconds as "45 s", "12:05", "3:02:10". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (Math.abs(s) < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

export function formatX(v: number, axis: XAxisKind): string {
  if (axis === 'step') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(1);
  if (axis === 'relative') return formatDuration(v);
  return new Date(v * 1000).toLocaleTimeString();
}

export const X_AXIS_LABELS: Record<XAxisKind, string> = { step: 'Step', relative: 'Relative time', wall: 'Wall time' };
