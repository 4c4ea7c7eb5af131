// The OpenAI Chat Completions request as clients really send it: loose on purpose, because Cursor, Continue,
// Cline, Roo and the SDKs each send their own mixture. Output shapes come from the `openai` package's types.
export type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';

export interface ChatContentPart {
  type: string; // text | image_url | input_text | input_image | file | input_file | image | document | tool_use | tool_result | thinking ...
  text?: string;
  image_url?: string | { url: string; detail?: string };
  file?: { file_data?: string; file_id?: string; filename?: string };
  [key: string]: unknown;
}

export interface ChatToolCall {
  id: string;
  type?: 'function' | 'custom' | string;
  function?: { name: string; arguments?: string };
  custom?: { name: string; input?: string };
}

export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function' | string;
  content?: string | ChatContentPart[] | null;
  name?: string;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
  function_call?: { name: string; arguments?: string };
  reasoning_content?: string;
  /** Signed thinking the client kept from an earlier answer (OpenRouter's shape, see reasoning-details.ts). */
  reasoning_details?: unknown[];
  /** Anthropic-style breakpoint on a whole message (applies to its last block). */
  cache_control?: { type: string; ttl?: string } | null;
  [key: string]: unknown;
}

export interface ChatTool {
  type?: 'function' | 'custom' | string;
  function?: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
  // flat (Responses API) and Anthropic-shaped variants
  name?: string;
  description?: string;
  parameters?: Record<string, unknown>;
  input_schema?: Record<string, unknown>;
  custom?: { name: string; description?: string; format?: unknown };
  [key: string]: unknown;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  /** Not in OpenAI's API; some clients send it for Claude. */
  top_k?: number | null;
  stop?: string | string[] | null;
  n?: number | null;
  tools?: ChatTool[];
  functions?: Array<{ name: string; description?: string; parameters?: Record<string, unknown> }>;
  tool_choice?: unknown;
  function_call?: unknown;
  parallel_tool_calls?: boolean;
  response_format?: { type: 'text' | 'json_object' | 'json_schema'; json_schema?: { name?: string; schema?: Record<string, unknown>; strict?: boolean } };
  reasoning_effort?: string | null;
  reasoning?: { effort?: string; max_tokens?: number; enabled?: boolean; summary?: string } | null;
  thinking?: { type: string; budget_tokens?: number } | null;
  user?: string;
  /** The client's own name for the conversation: routing stickiness and cache pacing follow it (conversation-id.ts). */
  prompt_cache_key?: string;
  metadata?: Record<string, unknown>;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  [key: string]: unknown;
}
