// Turns free text into an FTS5 query: its distinctive words, each quoted (so no word is read as an operator),
// joined with OR and ranked by BM25. Pure.

const STOPWORDS = new Set(
  (
    'the and for are but not you all any can had her was one our out has him his how its may new now old see two way who ' +
    'did get let put say she too use that with have this will your from they know want been good much some time very when ' +
    'come here just like long make many more only over such take than them well were what into also then there these ' +
    'would could should about which their other after first where those being does done each most must need same please ' +
    'thing things while because before under again further once here why yes'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}_]{3,}/gu;
const MAX_TERMS = 24;

/** Distinct significant words, in order of first appearance. */
export function significantWords(text: string): string[] {
  const words: string[] = [];
  const seen = new Set<string>();
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (STOPWORDS.has(word) || seen.has(word) || /^\d+$/.test(word)) continue;
    seen.add(word);
    words.push(word);
    if (words.length >= MAX_TERMS) break;
  }
  return words;
}

/** An FTS5 MATCH expression, or undefined when the text has no word worth searching for. */
export function ftsQuery(text: string): string | undefined {
  const words = significantWords(text);
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' OR ');
}

/** Share of words two texts have in common (Jaccard), for spotting near-duplicates without embeddings. */
export function wordOverlap(a: string, b: string): number {
  const left = new Set(significantWords(a));
  const right = new Set(significantWords(b));
  if (left.size === 0 || right.size === 0) return 0;
  let common = 0;
  for (const word of left) if (right.has(word)) common++;
  return common / (left.size + right.size - common);
}
