// The <environment_details> blocks Cline and Roo append to every user turn: "# Heading" sections (visible
// files, open tabs, time, working-directory listing, mode). Parsing is shared by the stripper, which replaces
// a section identical to the previous turn's by a reference, and the reference checker.

const BLOCK = /<environment_details>([\s\S]*?)<\/environment_details>/g;
const HEADING = /^# \S/;

export interface EnvSection {
  heading: string;
  /** The section's lines after the heading, trailing blank lines left out. */
  body: string;
}

/**
 * Rewrites every section body of every environment block with `fn` (undefined keeps it). Trailing blank
 * lines are kept as they are, so the layout stays the same.
 */
export function mapEnvSections(text: string, fn: (section: EnvSection) => string | undefined): string {
  if (!text.includes('<environment_details>')) return text;
  return text.replace(BLOCK, (whole, inner: string) => {
    const lines = inner.split('\n');
    const out: string[] = [];
    let changed = false;
    let i = 0;
    while (i < lines.length) {
      if (!HEADING.test(lines[i]!)) {
        out.push(lines[i]!);
        i++;
        continue;
      }
      const heading = lines[i]!;
      let end = i + 1;
      while (end < lines.length && !HEADING.test(lines[end]!)) end++;
      const bodyLines = lines.slice(i + 1, end);
      const raw = bodyLines.join('\n');
      const body = raw.replace(/\s+$/, '');
      const replacement = bodyLines.length > 0 && body !== '' ? fn({ heading, body }) : undefined;
      out.push(heading);
      if (replacement === undefined) out.push(...bodyLines);
      else {
        changed = true;
        out.push(...(replacement + raw.slice(body.length)).split('\n'));
      }
      i = end;
    }
    return changed ? `<environment_details>${out.join('\n')}</environment_details>` : whole;
  });
}

export function forEachEnvSection(text: string, fn: (section: EnvSection) => void): void {
  mapEnvSections(text, (section) => {
    fn(section);
    return undefined;
  });
}

/** Line ranges [start, end) of environment blocks in a text split on '\n'. */
export function envLineRanges(lines: readonly string[]): boolean[] {
  const inside = new Array<boolean>(lines.length).fill(false);
  let open = -1;
  lines.forEach((line, i) => {
    if (open < 0 && line.includes('<environment_details>')) open = i;
    if (open >= 0 && line.includes('</environment_details>')) {
      for (let k = open; k <= i; k++) inside[k] = true;
      open = -1;
    }
  });
  return inside;
}
