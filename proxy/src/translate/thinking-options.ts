// Reasoning controls (`reasoning_effort`, Responses `reasoning: {effort, max_tokens}`, Anthropic `thinking`)
// and max_tokens, fitted to the model's thinking class.
//
// Effort maps one to one onto Anthropic's levels (OpenAI's `minimal` → low); a level the model lacks becomes the
// nearest lower one. Budget-only models get `budget_tokens` from the effort:
//   minimal 1024 · low 4096 · medium 8192 · high 16384 · xhigh 24576 · max 32768
// The budget must stay below max_tokens: max_tokens is raised by the budget when needed (up to the model's
// output limit), since OpenAI counts reasoning inside max_completion_tokens while the client's number was meant
// for the answer it expects.
import type { ThinkingConfigParam } from '@anthropic-ai/sdk/resources/messages';
import type { EffortLevel, ModelCapabilities } from '../models/catalog.ts';
import type { Adjustments } from './adjustments.ts';
import { given } from './json-values.ts';
import type { ReasoningEffort } from './normalize-fields.ts';
import type { ChatRequest } from './openai-types.ts';

export interface ThinkingPlan {
  thinking?: ThinkingConfigParam;
  effort?: EffortLevel;
  maxTokens: number;
  /** Claude will think on this request (explicitly asked, or the model always does). */
  active: boolean;
}

const MIN_BUDGET = 1024;

const BUDGET_FOR: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: 1024,
  low: 4096,
  medium: 8192,
  high: 16384,
  xhigh: 24576,
  max: 32768,
};

const LEVEL_FOR: Record<Exclude<ReasoningEffort, 'none'>, EffortLevel> = {
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
  max: 'max',
};

const EFFORT_ORDER: readonly EffortLevel[] = ['low', 'medium', 'high', 'xhigh', 'max'];

interface Intent {
  on: boolean | undefined;
  effort?: Exclude<ReasoningEffort, 'none'>;
  budget?: number;
}

function readIntent(req: ChatRequest): Intent {
  const effortAsked = (req.reasoning?.effort ?? req.reasoning_effort ?? undefined) as ReasoningEffort | undefined;
  const budget = req.thinking?.budget_tokens ?? req.reasoning?.max_tokens ?? undefined;
  const effort = effortAsked && effortAsked !== 'none' ? effortAsked : undefined;
  let on: boolean | undefined;
  if (given(req.thinking)) on = req.thinking.type !== 'disabled';
  else if (req.reasoning?.enabled === false || effortAsked === 'none') on = false;
  else if (effort || budget !== undefined || req.reasoning?.enabled === true) on = true;
  return { on, effort, budget };
}

export function planThinking(req: ChatRequest, caps: ModelCapabilities, notes: Adjustments): ThinkingPlan {
  const maxTokens = outputLimit(req, caps, notes);
  const intent = readIntent(req);
  const plan: ThinkingPlan = { maxTokens, active: caps.thinking === 'always-on' };

  switch (caps.thinking) {
    case 'none':
      if (intent.on) notes.add(`reasoning dropped (${caps.id} has no extended thinking)`);
      return plan;
    case 'budget':
      if (intent.on) budgetThinking(plan, intent.budget ?? BUDGET_FOR[intent.effort ?? 'medium'], caps, notes);
      return plan;
    case 'adaptive':
      if (!intent.on) return plan;
      if (intent.budget !== undefined) return budgetThinking(plan, intent.budget, caps, notes);
      plan.thinking = { type: 'adaptive' };
      plan.active = true;
      if (intent.effort) plan.effort = effortLevel(LEVEL_FOR[intent.effort], caps, notes);
      return plan;
    case 'adaptive-only':
    case 'always-on':
      if (intent.on === undefined) return plan;
      if (intent.on === false) {
        if (caps.thinking === 'adaptive-only') {
          plan.thinking = { type: 'disabled' };
        } else {
          notes.add(`thinking cannot be disabled on ${caps.id}, effort set to low instead`);
          plan.effort = effortLevel('low', caps, notes);
        }
        return plan;
      }
      // Newer models omit the thinking text unless asked; a client that asked for reasoning wants to see it.
      plan.thinking = { type: 'adaptive', display: 'summarized' };
      plan.active = true;
      if (intent.effort) plan.effort = effortLevel(LEVEL_FOR[intent.effort], caps, notes);
      else if (intent.budget !== undefined) {
        const level = levelForBudget(intent.budget);
        notes.add(`thinking budget of ${intent.budget} tokens sent as effort ${level} (${caps.id} thinks adaptively only)`);
        plan.effort = effortLevel(level, caps, notes);
      }
      return plan;
  }
}

/** max_completion_tokens / max_tokens / max_output_tokens, or the model default; never above its output limit. */
function outputLimit(req: ChatRequest, caps: ModelCapabilities, notes: Adjustments): number {
  const asked = req.max_completion_tokens ?? req.max_tokens ?? undefined;
  if (asked === undefined) return caps.defaultMaxTokens;
  if (asked > caps.maxOutputTokens) {
    notes.add(`max_tokens ${asked} clamped to ${caps.maxOutputTokens} (the output limit of ${caps.id})`);
    return caps.maxOutputTokens;
  }
  return asked;
}

function budgetThinking(plan: ThinkingPlan, asked: number, caps: ModelCapabilities, notes: Adjustments): ThinkingPlan {
  let budget = asked;
  if (budget < MIN_BUDGET) {
    notes.add(`thinking budget ${budget} raised to the minimum of ${MIN_BUDGET}`);
    budget = MIN_BUDGET;
  }
  if (budget >= plan.maxTokens) {
    const raised = Math.min(caps.maxOutputTokens, budget + plan.maxTokens);
    if (raised > plan.maxTokens) {
      notes.add(`max_tokens raised from ${plan.maxTokens} to ${raised} to make room for a thinking budget of ${budget}`);
      plan.maxTokens = raised;
    }
  }
  if (budget >= plan.maxTokens) {
    const fitted = plan.maxTokens - Math.min(plan.maxTokens - MIN_BUDGET, Math.ceil(plan.maxTokens / 4));
    if (fitted < MIN_BUDGET || fitted >= plan.maxTokens) {
      notes.add(`thinking dropped (max_tokens ${plan.maxTokens} leaves no room for a budget of ${MIN_BUDGET})`);
      return plan;
    }
    notes.add(`thinking budget ${budget} lowered to ${fitted} to fit max_tokens ${plan.maxTokens}`);
    budget = fitted;
  }
  plan.thinking = { type: 'enabled', budget_tokens: budget };
  plan.active = true;
  return plan;
}

function levelForBudget(budget: number): EffortLevel {
  if (budget < 4096) return 'low';
  if (budget < 12288) return 'medium';
  if (budget < 24576) return 'high';
  if (budget < 32768) return 'xhigh';
  return 'max';
}

/** The asked level if the model has it, else the nearest lower one it has; undefined without effort support. */
function effortLevel(level: EffortLevel, caps: ModelCapabilities, notes: Adjustments): EffortLevel | undefined {
  if (!caps.effort) {
    notes.add(`reasoning effort dropped (${caps.id} does not accept an effort level)`);
    return undefined;
  }
  const levels = caps.effortLevels ?? ['low', 'medium', 'high'];
  if (levels.includes(level)) return level;
  const lower = EFFORT_ORDER.slice(0, EFFORT_ORDER.indexOf(level)).reverse().find((l) => levels.includes(l));
  const chosen = lower ?? levels[0]!;
  notes.add(`reasoning effort ${level} lowered to ${chosen} (${caps.id} does not accept ${level})`);
  return chosen;
}
