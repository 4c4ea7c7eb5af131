// Normalized content parts → Anthropic content blocks, per role. Blank text is dropped (Anthropic rejects empty
// text blocks); anything a role cannot carry is a 400 naming the part.
import type {
  Base64ImageSource,
  DocumentBlockParam,
  ImageBlockParam,
  TextBlockParam,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { invalidRequest } from '../errors.ts';
import type { ModelCapabilities } from '../models/catalog.ts';
import type { ChatContentPart } from './openai-types.ts';
import { decodeBase64Text, parseDataUrl } from './data-url.ts';
import { isRecord } from './json-values.ts';
import { cacheControlOf } from './normalize-parts.ts';

export interface PartContext {
  /** Where the content sits in the request, e.g. `messages[3].content`. */
  path: string;
  caps: ModelCapabilities;
}

type Content = string | ChatContentPart[] | null | undefined;
type ToolResultContentBlock = Exclude<ToolResultBlockParam['content'], string | undefined>[number];

export function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** A text block with the part's breakpoint kept, or nothing for blank text. */
export function textBlock(text: string, cacheControl?: unknown): TextBlockParam[] {
  if (isBlank(text)) return [];
  const block: TextBlockParam = { type: 'text', text };
  const cache = cacheControlOf(cacheControl);
  if (cache) block.cache_control = cache;
  return [block];
}

/** Each part of a content array with its own path, a string as one text part. */
export function partsOf(content: Content, path: string): Array<{ part: ChatContentPart; path: string }> {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [{ part: { type: 'text', text: content }, path }];
  return content.map((part, j) => ({ part, path: `${path}[${j}]` }));
}

/** Text, images and documents: what user turns and tool results carry. */
export function mediaBlocks(part: ChatContentPart, path: string, caps: ModelCapabilities): Array<TextBlockParam | ImageBlockParam | DocumentBlockParam> {
  switch (part.type) {
    case 'text':
      return textBlock(part.text ?? '', part.cache_control);
    case 'image_url':
      return [withCache(imageFromUrl(imageUrlOf(part), `${path}.image_url`), part.cache_control)];
    case 'file':
      return [withCache(fileBlock(part.file ?? {}, path, caps), part.cache_control)];
    case 'image':
      return [anthropicImage(part, path)];
    case 'document':
      return [anthropicDocument(part, path, caps)];
    default:
      throw invalidRequest(`${path}: a '${part.type}' block cannot appear here`, `${path}.type`);
  }
}

/** Content of a tool result: its text as given when it is plain text, otherwise blocks. */
export function toolResultContent(content: unknown, ctx: PartContext): ToolResultBlockParam['content'] | undefined {
  if (content === null || content === undefined) return undefined;
  if (typeof content === 'string') return isBlank(content) ? undefined : content;
  if (!Array.isArray(content)) throw invalidRequest(`${ctx.path} must be a string or an array`, ctx.path);
  const blocks: ToolResultContentBlock[] = [];
  content.forEach((part, j) => {
    const path = `${ctx.path}[${j}]`;
    if (!isRecord(part) || typeof part.type !== 'string') throw invalidRequest(`${path} must be a content part`, path);
    const normalized = normalizeLoosePart(part);
    blocks.push(...mediaBlocks(normalized, path, ctx.caps));
  });
  return blocks.length > 0 ? blocks : undefined;
}

// Tool results inside Anthropic-shaped blocks were not normalized with the message; read the few shapes they use.
function normalizeLoosePart(part: Record<string, unknown>): ChatContentPart {
  if (part.type === 'input_text' || part.type === 'output_text') return { ...part, type: 'text' } as ChatContentPart;
  if (part.type === 'input_image') return { type: 'image_url', image_url: { url: String(part.image_url ?? '') } };
  if (part.type === 'input_file') return { type: 'file', file: part as ChatContentPart['file'] };
  return part as ChatContentPart;
}

function withCache<T extends ImageBlockParam | DocumentBlockParam>(block: T, cacheControl: unknown): T {
  const cache = cacheControlOf(cacheControl);
  if (cache) block.cache_control = cache;
  return block;
}

function imageUrlOf(part: ChatContentPart): string {
  const value = part.image_url;
  return typeof value === 'string' ? value : (value?.url ?? '');
}

const IMAGE_TYPES: Record<string, Base64ImageSource['media_type']> = {
  'image/jpeg': 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/png': 'image/png',
  'image/gif': 'image/gif',
  'image/webp': 'image/webp',
};

function imageFromUrl(url: string, path: string): ImageBlockParam {
  if (url.startsWith('data:')) {
    const data = parseDataUrl(url);
    const mediaType = data ? IMAGE_TYPES[data.mediaType] : undefined;
    if (!data || !mediaType) {
      throw invalidRequest(`${path}: only JPEG, PNG, GIF and WebP data URLs are supported`, path);
    }
    return { type: 'image', source: { type: 'base64', media_type: mediaType, data: data.base64 } };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw invalidRequest(`${path}: the image URL must be an http(s) URL or a data: URL`, path);
}

const TEXT_FILE_TYPES = /^(text\/[a-z0-9.+-]+|application\/(json|xml|x-yaml|yaml|x-sh|javascript))$/;

function fileBlock(file: NonNullable<ChatContentPart['file']> & { file_url?: string }, path: string, caps: ModelCapabilities): ImageBlockParam | DocumentBlockParam {
  const title = typeof file.filename === 'string' ? file.filename : undefined;
  if (file.file_data) {
    const data = fileData(file.file_data, title);
    if (data.mediaType === 'application/pdf') {
      requirePdf(caps, path);
      return document({ type: 'base64', media_type: 'application/pdf', data: data.base64 }, title);
    }
    if (TEXT_FILE_TYPES.test(data.mediaType)) {
      return document({ type: 'text', media_type: 'text/plain', data: decodeBase64Text(data.base64) }, title);
    }
    const imageType = IMAGE_TYPES[data.mediaType];
    if (imageType) return { type: 'image', source: { type: 'base64', media_type: imageType, data: data.base64 } };
    throw invalidRequest(`${path}: files of type ${data.mediaType} are not supported (PDF, text and images are)`, `${path}.file_data`);
  }
  const url = file.file_url ?? '';
  if (!/^https?:\/\//i.test(url)) throw invalidRequest(`${path}: the file URL must be an http(s) URL`, `${path}.file_url`);
  requirePdf(caps, path);
  return document({ type: 'url', url }, title);
}

// `file_data` is usually a data URL; bare base64 is recognised by the PDF signature or the file name.
function fileData(value: string, filename: string | undefined): { mediaType: string; base64: string } {
  if (value.startsWith('data:')) {
    const parsed = parseDataUrl(value);
    if (parsed) return parsed;
  }
  const base64 = value.replace(/\s+/g, '');
  const lower = (filename ?? '').toLowerCase();
  if (base64.startsWith('JVBERi0') || lower.endsWith('.pdf')) return { mediaType: 'application/pdf', base64 };
  if (/\.(txt|md|csv|json|xml|ya?ml|log)$/.test(lower)) return { mediaType: 'text/plain', base64 };
  return { mediaType: 'application/octet-stream', base64 };
}

function document(source: DocumentBlockParam['source'], title: string | undefined): DocumentBlockParam {
  const block: DocumentBlockParam = { type: 'document', source };
  if (title) block.title = title;
  return block;
}

function requirePdf(caps: ModelCapabilities, path: string): void {
  if (!caps.pdf) throw invalidRequest(`${path}: ${caps.id} does not accept PDF documents`, path);
}

function anthropicImage(part: ChatContentPart, path: string): ImageBlockParam {
  if (!isRecord(part.source)) throw invalidRequest(`${path}.source is required`, `${path}.source`);
  return withCache({ type: 'image', source: part.source as unknown as ImageBlockParam['source'] }, part.cache_control);
}

function anthropicDocument(part: ChatContentPart, path: string, caps: ModelCapabilities): DocumentBlockParam {
  if (!isRecord(part.source)) throw invalidRequest(`${path}.source is required`, `${path}.source`);
  if (part.source.media_type === 'application/pdf' || part.source.type === 'url') requirePdf(caps, path);
  const block: DocumentBlockParam = { type: 'document', source: part.source as unknown as DocumentBlockParam['source'] };
  if (typeof part.title === 'string') block.title = part.title;
  if (typeof part.context === 'string') block.context = part.context;
  if (isRecord(part.citations)) block.citations = part.citations as DocumentBlockParam['citations'];
  return withCache(block, part.cache_control);
}

