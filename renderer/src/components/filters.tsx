// Range and project pickers shared by Overview and Reports.
import type { Project } from '../api/types.ts';

export const PRESETS = [
  { days: 1, label: 'Today' },
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
] as const;

export function PresetPicker({ value, onChange }: { value: number; onChange(days: number): void }) {
  return (
    <div className="segmented" role="group" aria-label="Time range">
      {PRESETS.map((preset) => (
        <button
          key={preset.days}
          type="button"
          className={value === preset.days ? 'active' : ''}
          aria-pressed={value === preset.days}
          onClick={() => onChange(preset.days)}
        >
          {preset.label}
        </button>
      ))}
    </div>
  );
}

export function ProjectSelect({
  projects,
  value,
  onChange,
  allLabel = 'All projects',
  id,
}: {
  projects: Project[] | undefined;
  value: string;
  onChange(projectId: string): void;
  allLabel?: string;
  id?: string;
}) {
  return (
    <select id={id} className="select" value={value} onChange={(e) => onChange(e.target.value)} aria-label="Project">
      <option value="">{allLabel}</option>
      {(projects ?? []).map((project) => (
        <option key={project.id} value={project.id}>
          {project.name}
        </option>
      ))}
    </select>
  );
}
