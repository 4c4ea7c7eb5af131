// Layer 1, IDE boilerplate: agents resend the same context blocks every turn. Cline and Roo append an
// <environment_details> block (open tabs, file listing, time, mode) to each user turn, and IDEs repeat fixed
// reminders (Cline's todo-list nudge and final-file note, the "you did not use a tool" reminder, Cursor's
// <system_reminder>, mini-swe-agent's long-output warning). The first copy is kept; a later section identical
// to the previous turn's, or a reminder already sent, becomes a reference to it. What changed (the time,
// new files, the mode) stays verbatim. Message i is rewritten from messages 0..i only.
import type { MessageCreateParams, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { mapUserTexts } from './content.ts';
import { mapEnvSections } from './env-details.ts';
import { lineRunReference, sectionReference } from './references.ts';

/**
 * Reminder blocks, each matched as whole lines. Taken from what the clients put in user turns (see the
 * Cline and Roo system prompts and sessions, Cursor's agent prompt, mini-swe-agent's templates).
 */
const REMINDERS: readonly RegExp[] = [
  /^# TODO LIST RECOMMENDED$[\s\S]*?^Keeping the todo list updated helps track progress and ensures nothing is missed\.$/gm,
  /^IMPORTANT: For any future changes to this file, use the final_file_content shown above as your reference\..*$/gm,
  /^\[ERROR\] You did not use a tool in your previous response! Please retry with a tool use\.$[\s\S]*?^\(This is an automated message, so do not respond to it conversationally\.\)$/gm,
  /^<(system_reminder|system-reminder|additional_data|user_info|project_layout|cursor_rules|custom_instructions|open_and_recently_viewed_files)>$[\s\S]*?^<\/\1>$/gm,
  /^<warning>\nThe output of your last command was too long\.$[\s\S]*?(?=\n<\/warning>)/gm,
];

export class StripState {
  /** Last original body of each environment section heading. */
  readonly lastSection = new Map<string, string>();
  readonly sentReminders = new Set<string>();
}

function stripEnvironment(text: string, state: StripState, originals: Map<string, string>): string {
  return mapEnvSections(text, ({ heading, body }) => {
    const previous = state.lastSection.get(heading);
    state.lastSection.set(heading, body);
    if (previous !== body) return undefined;
    const reference = sectionReference(body);
    // A short section costs less than its reference.
    if (reference.marker.length >= body.length) return undefined;
    originals.set(reference.ref, body);
    return reference.marker;
  });
}

function stripReminders(text: string, state: StripState, originals: Map<string, string>): string {
  let out = text;
  for (const pattern of REMINDERS) {
    out = out.replace(pattern, (block: string) => {
      if (!state.sentReminders.has(block)) {
        state.sentReminders.add(block);
        return block;
      }
      const reference = lineRunReference(block.split('\n'));
      if (reference.marker.length >= block.length) return block;
      originals.set(reference.ref, reference.text);
      return reference.marker;
    });
  }
  return out;
}

/** Strips one message with the running state of the messages before it. */
export function stripMessage(message: MessageParam, state: StripState, originals: Map<string, string>): MessageParam {
  return mapUserTexts(message, (text) => stripReminders(stripEnvironment(text, state, originals), state, originals));
}

export function stripRequest(params: MessageCreateParams, originals: Map<string, string>): MessageCreateParams {
  const state = new StripState();
  let changed = false;
  const messages = params.messages.map((message) => {
    const next = stripMessage(message, state, originals);
    if (next !== message) changed = true;
    return next;
  });
  return changed ? { ...params, messages } : params;
}
