// `data:` URLs as clients embed images and files: `data:image/png;base64,iVBOR…`, `data:text/plain,hello`.

export interface DataUrl {
  mediaType: string;
  /** The payload as base64, whatever encoding the URL used. */
  base64: string;
}

export function parseDataUrl(url: string): DataUrl | undefined {
  const match = /^data:([^,]*),(.*)$/s.exec(url);
  if (!match) return undefined;
  const meta = match[1]!.split(';').map((s) => s.trim());
  const mediaType = (meta[0] || 'text/plain').toLowerCase();
  const isBase64 = meta.slice(1).some((p) => p.toLowerCase() === 'base64');
  const payload = match[2]!;
  if (isBase64) return { mediaType, base64: payload.replace(/\s+/g, '') };
  try {
    return { mediaType, base64: Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64') };
  } catch {
    return undefined;
  }
}

export function decodeBase64Text(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}
