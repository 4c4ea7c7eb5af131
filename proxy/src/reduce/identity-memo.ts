// Results of pure transforms remembered by their input: objects by identity, strings by value. The pipeline
// never mutates a value it was given, and the prefix state hands a conversation's unchanged system prompt,
// tools and messages on as the same objects from turn to turn, so a transform of them runs once per
// conversation, not once per turn, and its output keeps one identity (which the serialiser and the token
// estimates remember in turn).

/** How many distinct strings one memo keeps (oldest out first): a few system prompts in flight. */
const MAX_STRINGS = 32;

export class IdentityMemo<R> {
  private readonly objects = new WeakMap<object, Map<string, R>>();
  private readonly strings = new Map<string, Map<string, R>>();

  /** `make()` for this input and variant (a short key for the transform's other arguments), run at most once. */
  get(input: unknown, variant: string, make: () => R): R {
    const byVariant = this.variantsOf(input);
    if (!byVariant) return make();
    let result = byVariant.get(variant);
    if (result === undefined && !byVariant.has(variant)) {
      result = make();
      byVariant.set(variant, result);
    }
    return result as R;
  }

  private variantsOf(input: unknown): Map<string, R> | undefined {
    if (typeof input === 'object' && input !== null) {
      let found = this.objects.get(input);
      if (!found) this.objects.set(input, (found = new Map()));
      return found;
    }
    if (typeof input !== 'string') return undefined;
    let found = this.strings.get(input);
    if (!found) {
      if (this.strings.size >= MAX_STRINGS) this.strings.delete(this.strings.keys().next().value!);
      this.strings.set(input, (found = new Map()));
    }
    return found;
  }
}
