// The request detail's "Thinking" section: which thinking blocks went back to Anthropic, which the gateway left
// out (and why), and which Anthropic itself dropped, as its `input_transformations` reported them.
import type { ThinkingDetail, ThinkingDrop } from '../api/types.ts';
import { Badge, Panel } from '../components/ui.tsx';
import { count } from '../lib/format.ts';

const REASONS: Record<string, string> = {
  prefix_binding_mismatch: 'the conversation before it changed',
  model_binding_mismatch: 'produced by a model this one cannot read',
  organization_binding_mismatch: 'produced under another organization',
  end_user_binding_mismatch: 'produced for another end user',
};

export function ThinkingPanel({ thinking: t }: { thinking: ThinkingDetail }) {
  const dropped = t.upstream.filter((d) => d.type === 'thinking_dropped');
  const allowed = t.upstream.filter((d) => d.type !== 'thinking_dropped');
  return (
    <Panel title="Thinking" subtitle="Signed thinking blocks of earlier turns, as this request sent them back">
      <table className="table compact" data-testid="thinking-detail">
        <tbody>
          <tr>
            <td>Kept (sent back)</td>
            <td className="num">{count(t.sent)}</td>
          </tr>
          <tr>
            <td>Removed by the gateway (the conversation before them changed)</td>
            <td className="num">{count(t.removed)}</td>
          </tr>
          <tr>
            <td>Sent without a check (produced elsewhere)</td>
            <td className="num">{count(t.unchecked)}</td>
          </tr>
          <tr>
            <td>Dropped by Anthropic</td>
            <td className="num">{count(dropped.length)}</td>
          </tr>
        </tbody>
      </table>
      <p>
        {t.dropBlock && <Badge tone="info">drop_block: a stale block is dropped, not refused</Badge>}
        {t.switchedOff && <Badge tone="warn">thinking switched off for this request</Badge>}
      </p>
      {t.switchedOff && <p className="note">The last tool turn had no thinking block to send back, which manual thinking requires.</p>}
      <DropList title="Dropped by Anthropic" drops={dropped} />
      <DropList title="Failed a check, kept by Anthropic" drops={allowed} />
    </Panel>
  );
}

function DropList({ title, drops }: { title: string; drops: ThinkingDrop[] }) {
  if (drops.length === 0) return null;
  return (
    <>
      <h3 className="subhead">{title}</h3>
      <ul className="drops">
        {drops.map((d, i) => (
          <li key={i}>
            <code className="mono">{d.path ?? 'unknown position'}</code>: {REASONS[d.reason] ?? d.reason}
          </li>
        ))}
      </ul>
    </>
  );
}
