// Default model-id rules per provider, for models an upstream's config does not map explicitly. Pure.
// Bedrock: anthropic.claude-…-v1:0, behind a cross-region inference profile prefix when one is named
// (us.anthropic.…). Vertex: the snapshot date after an "@" (claude-sonnet-4-5@20250929).

const DATED = /^(.*)-(\d{8})$/;

export function bedrockModelId(model: string, inferenceProfile?: string): string {
  if (model.startsWith('anthropic.') || model.startsWith('arn:') || /^[a-z]+\.anthropic\./.test(model)) return model;
  const base = `anthropic.${model}-v1:0`;
  return inferenceProfile ? `${inferenceProfile}.${base}` : base;
}

export function vertexModelId(model: string): string {
  if (model.includes('@')) return model;
  const dated = DATED.exec(model);
  return dated ? `${dated[1]}@${dated[2]}` : model;
}
