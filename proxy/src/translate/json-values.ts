// Small guards for reading untrusted JSON.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** null and undefined both mean "not given" in OpenAI request bodies. */
export function given<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}
