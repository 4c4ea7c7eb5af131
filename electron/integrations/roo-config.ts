// Roo Code keeps its provider profiles in VS Code's encrypted secret storage, which no other program can write.
// It does read one documented file: the VS Code setting `roo-cline.autoImportSettingsPath` names a settings
// export that Roo imports every time it starts. The toggle writes such a file (an OpenAI-compatible profile
// pointing at the gateway) and sets that one setting in each editor where Roo is installed, keeping the rest of
// settings.json — comments, order, formatting — exactly as it was.
import { join } from 'node:path';
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import type { FileEdit } from './file-edit.ts';
import type { GatewayEndpoint } from './gateway-endpoint.ts';

export const ROO_EXTENSION_ID = 'rooveterinaryinc.roo-cline';
export const ROO_IMPORT_SETTING = 'roo-cline.autoImportSettingsPath';
export const ROO_PROFILE_NAME = 'Coding Gateway';

export function rooImportFile(endpoint: GatewayEndpoint): string {
  const profile = {
    providerProfiles: {
      currentApiConfigName: ROO_PROFILE_NAME,
      apiConfigs: {
        [ROO_PROFILE_NAME]: {
          id: 'coding-gateway',
          apiProvider: 'openai',
          openAiBaseUrl: endpoint.baseUrl,
          openAiApiKey: endpoint.apiKey,
          openAiModelId: endpoint.models[0],
        },
      },
    },
  };
  return `${JSON.stringify(profile, null, 2)}\n`;
}

function parseSettings(text: string, file: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (errors.length > 0 || (text.trim() !== '' && (typeof value !== 'object' || value === null || Array.isArray(value)))) {
    throw new Error(`${file} could not be read as JSON with comments`);
  }
  return (value ?? {}) as Record<string, unknown>;
}

/** Indentation and line ending as the file already uses them, so our one line looks like its neighbours. */
function formatting(text: string) {
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '    ';
  return { insertSpaces: !indent.includes('\t'), tabSize: indent.includes('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

export function setJsoncValue(text: string | undefined, key: string, value: unknown, file: string): string {
  const source = text === undefined || text.trim() === '' ? '{}' : text;
  parseSettings(source, file);
  const edits = modify(source, [key], value, { formattingOptions: formatting(source) });
  return applyEdits(source, edits);
}

export function rooSettingsEdit(editorName: string, settingsFile: string, importPath: string): FileEdit {
  return {
    id: `roo.settings.${editorName}`,
    path: settingsFile,
    apply: (current) => setJsoncValue(current, ROO_IMPORT_SETTING, importPath, settingsFile),
    remove: (current, original) => {
      const now = parseSettings(current, settingsFile);
      if (now[ROO_IMPORT_SETTING] !== importPath) return current; // pointed elsewhere since: leave it
      const before = original === undefined ? {} : parseSettings(original, settingsFile);
      return setJsoncValue(current, ROO_IMPORT_SETTING, before[ROO_IMPORT_SETTING], settingsFile);
    },
  };
}

export function rooImportEdit(dataDir: string, endpoint: GatewayEndpoint): FileEdit {
  return {
    id: 'roo.import-file',
    path: join(dataDir, 'integrations', 'roo-code-settings.json'),
    // It carries the gateway key.
    mode: 0o600,
    apply: () => rooImportFile(endpoint),
    remove: () => undefined,
  };
}
