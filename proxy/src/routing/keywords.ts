// Words in a person's request that say the task needs the stronger model (or, for `trivial`, that it does not).
// Each group counts once however many of its terms appear, so a long message cannot win on repetition.

export interface KeywordGroup {
  name: string;
  weight: number;
  terms: readonly RegExp[];
}

export const KEYWORD_GROUPS: readonly KeywordGroup[] = [
  {
    name: 'architecture',
    weight: 0.25,
    terms: [/\barchitect\w*/, /\bsystem design\b/, /\b(?:re)?design\w*/, /\bscalab\w*/, /\btrade-?offs?\b/, /\bmicroservices?\b/, /\bmonolith\w*/],
  },
  {
    name: 'security',
    weight: 0.25,
    terms: [
      /\bsecur(?:e|ity)\b/, /\bvulnerab\w*/, /\bexploit\w*/, /\bcve-\d+/, /\binjection\b/, /\bxss\b/, /\bcsrf\b/,
      /\bauthenticat\w*/, /\bauthori[sz]\w*/, /\bencrypt\w*/, /\bthreat model\w*/, /\bprivilege escalation\b/,
    ],
  },
  {
    name: 'migration',
    weight: 0.25,
    terms: [/\bmigrat\w*/, /\bschema change\w*/, /\bbackwards? compat\w*/, /\bbreaking changes?\b/, /\bupgrade path\b/],
  },
  {
    name: 'production',
    weight: 0.2,
    terms: [/\bproduction\b/, /\bprod\b/, /\boutage\w*/, /\bincident\w*/, /\bpost-?mortem\w*/, /\brollback\w*/, /\bdata loss\b/, /\bhotfix\w*/],
  },
  {
    name: 'concurrency',
    weight: 0.2,
    terms: [/\brace conditions?\b/, /\bdeadlock\w*/, /\bconcurren\w*/, /\bthread-?safe\w*/, /\bdistributed\b/, /\bmutex\w*/],
  },
  {
    name: 'refactor',
    weight: 0.15,
    terms: [/\brefactor\w*/, /\brewrit\w*/, /\brestructur\w*/],
  },
  {
    name: 'performance',
    weight: 0.1,
    terms: [/\bperformance\b/, /\boptimi[sz]\w*/, /\bbottlenecks?\b/, /\blatency\b/, /\bthroughput\b/, /\bmemory leaks?\b/],
  },
  {
    name: 'debugging',
    weight: 0.1,
    terms: [/\broot cause\b/, /\bdebug\w*/, /\binvestigat\w*/, /\bintermittent\w*/, /\bflaky\b/],
  },
  {
    name: 'reasoning',
    weight: 0.1,
    terms: [/\balgorithm\w*/, /\bprove\b/, /\bproof\b/, /\bstep by step\b/, /\banaly[sz]\w*/],
  },
  {
    name: 'trivial',
    weight: -0.15,
    terms: [/\brename\b/, /\btypos?\b/, /\bformatting\b/, /\blint\w*/, /\bdocstrings?\b/, /\bspelling\b/, /\bone-?liner\b/, /\bquick(?:ly)?\b/],
  },
];

/** Names of the groups whose terms appear in the text, in table order. */
export function matchKeywordGroups(text: string): string[] {
  const lower = text.toLowerCase();
  return KEYWORD_GROUPS.filter((group) => group.terms.some((term) => term.test(lower))).map((group) => group.name);
}

export function keywordWeight(name: string): number {
  return KEYWORD_GROUPS.find((group) => group.name === name)?.weight ?? 0;
}
