// The project form's text fields and the policy they stand for. Empty means "the gateway's default" (null).
import type { Project, ProjectInput, ReductionLayer } from '../api/types.ts';

export const REDUCTION_LAYERS: ReadonlyArray<{ layer: ReductionLayer; label: string; hint: string }> = [
  { layer: 'strip', label: 'Strip IDE boilerplate', hint: 'Removes repeated instructions IDEs add to every request' },
  { layer: 'caps', label: 'Cap oversized tool output', hint: 'Trims huge command and file outputs' },
  { layer: 'cacheControl', label: 'Prompt-cache breakpoints', hint: 'Marks stable prefixes so Anthropic bills them at 0.1×' },
  { layer: 'dedup', label: 'Deduplicate files', hint: 'A file sent twice is referenced the second time' },
  { layer: 'prune', label: 'Prune old turns', hint: 'Drops stale chunks of long conversations' },
  { layer: 'diffFirst', label: 'Diffs before whole files', hint: 'Sends what changed instead of the full file' },
  { layer: 'repoMap', label: 'Repository map', hint: 'A compact outline instead of many file reads' },
  { layer: 'responseCache', label: 'Response cache', hint: 'Answers identical requests without an upstream call' },
  { layer: 'memory', label: 'Project memory', hint: 'Carries durable facts between sessions' },
];

export interface ProjectForm {
  name: string;
  rateLimitRpm: string;
  tokensPerMinute: string;
  defaultModel: string;
  maxTokensCap: string;
  allowedTools: string;
  fallbackChain: string;
  reduction: Partial<Record<ReductionLayer, boolean>>;
}

export const EMPTY_FORM: ProjectForm = {
  name: '',
  rateLimitRpm: '',
  tokensPerMinute: '',
  defaultModel: '',
  maxTokensCap: '',
  allowedTools: '',
  fallbackChain: '',
  reduction: {},
};

export function formFromProject(project: Project): ProjectForm {
  const number = (value: number | null) => (value === null || value === undefined ? '' : String(value));
  return {
    name: project.name,
    rateLimitRpm: number(project.rateLimitRpm),
    tokensPerMinute: number(project.tokensPerMinute),
    defaultModel: project.defaultModel ?? '',
    maxTokensCap: number(project.maxTokensCap),
    allowedTools: (project.allowedTools ?? []).join(', '),
    fallbackChain: (project.fallbackChain ?? []).join(', '),
    reduction: { ...project.reduction },
  };
}

function list(text: string): string[] | null {
  const items = text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length ? [...new Set(items)] : null;
}

export type FormErrors = Partial<Record<keyof ProjectForm, string>>;

/** The policy the form describes, or the fields that are wrong. */
export function inputFromForm(form: ProjectForm): { input: ProjectInput } | { errors: FormErrors } {
  const errors: FormErrors = {};
  const positive = (field: 'rateLimitRpm' | 'tokensPerMinute' | 'maxTokensCap'): number | null => {
    const text = form[field].trim();
    if (text === '') return null;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) {
      errors[field] = 'A whole number above zero, or empty for the default';
      return null;
    }
    return value;
  };
  const name = form.name.trim();
  if (!name) errors.name = 'A project needs a name';
  else if (name.length > 100) errors.name = 'At most 100 characters';
  const input: ProjectInput = {
    name,
    rateLimitRpm: positive('rateLimitRpm'),
    tokensPerMinute: positive('tokensPerMinute'),
    defaultModel: form.defaultModel.trim() || null,
    maxTokensCap: positive('maxTokensCap'),
    allowedTools: list(form.allowedTools),
    reduction: { ...form.reduction },
    fallbackChain: list(form.fallbackChain),
  };
  return Object.keys(errors).length ? { errors } : { input };
}
