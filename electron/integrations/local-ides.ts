// "Route Continue/Cline through the gateway": one switch for the IDE agents that can reach localhost. It
// configures each one that is installed (Continue, Cline, Roo Code in any VS Code-family editor) and, when
// turned off, reverts exactly what it changed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { clineEdits } from './cline-config.ts';
import { continueEdit } from './continue-config.ts';
import { applyEdit, revertEdit, type BackupLedger, type FileEdit, type RevertOutcome } from './file-edit.ts';
import type { GatewayEndpoint } from './gateway-endpoint.ts';
import { clineDataDir, continueConfigDir, hasExtension, vscodeFamily, type HomeContext } from './ide-paths.ts';
import { ROO_EXTENSION_ID, rooImportEdit, rooSettingsEdit } from './roo-config.ts';

export interface LocalIdesContext {
  home: HomeContext;
  /** The app's data folder (the Roo import file lives there). */
  dataDir: string;
  ledger: BackupLedger;
}

export interface LocalIdePlan {
  /** Human names of what will be configured, e.g. "Continue", "Roo Code (VS Code)". */
  targets: string[];
  skipped: string[];
  edits: FileEdit[];
}

export function planLocalIdes(ctx: LocalIdesContext, endpoint: GatewayEndpoint, prefix: string): LocalIdePlan {
  const editors = vscodeFamily(ctx.home);
  const targets: string[] = [];
  const skipped: string[] = [];
  const edits: FileEdit[] = [];

  const continueDir = continueConfigDir(ctx.home);
  const continueInstalled = existsSync(continueDir) || editors.some((e) => hasExtension(e, 'continue.continue'));
  if (continueInstalled) {
    if (!existsSync(join(continueDir, 'config.yaml')) && existsSync(join(continueDir, 'config.json'))) {
      // Writing a config.yaml would silently replace the user's whole config.json setup.
      skipped.push('Continue (still on config.json: open Continue once to migrate it to config.yaml)');
    } else {
      targets.push('Continue');
      edits.push(continueEdit(continueDir, endpoint, prefix));
    }
  }

  const clineDir = clineDataDir(ctx.home);
  const clineInstalled = existsSync(join(clineDir, '..')) || editors.some((e) => hasExtension(e, 'saoudrizwan.claude-dev'));
  if (clineInstalled) {
    targets.push('Cline');
    edits.push(...clineEdits(clineDir, endpoint));
  }

  const rooEditors = editors.filter((e) => hasExtension(e, ROO_EXTENSION_ID));
  if (rooEditors.length > 0) {
    const importEdit = rooImportEdit(ctx.dataDir, endpoint);
    edits.push(importEdit);
    for (const editor of rooEditors) {
      targets.push(`Roo Code (${editor.name})`);
      edits.push(rooSettingsEdit(editor.name, editor.settingsFile, importEdit.path));
    }
  }
  return { targets, skipped, edits };
}

export function enableLocalIdes(ctx: LocalIdesContext, endpoint: GatewayEndpoint, prefix: string): LocalIdePlan {
  const plan = planLocalIdes(ctx, endpoint, prefix);
  for (const edit of plan.edits) applyEdit(ctx.ledger, edit);
  return plan;
}

/**
 * Reverts every file the switch changed, found through the ledger (not through what is installed now: an IDE
 * removed since must still get its file back).
 */
export function disableLocalIdes(ctx: LocalIdesContext, endpoint: GatewayEndpoint, prefix: string, stamp: string): Map<string, RevertOutcome> {
  const editors = vscodeFamily(ctx.home);
  const importEdit = rooImportEdit(ctx.dataDir, endpoint);
  const candidates: FileEdit[] = [
    continueEdit(continueConfigDir(ctx.home), endpoint, prefix),
    ...clineEdits(clineDataDir(ctx.home), endpoint),
    ...editors.map((editor) => rooSettingsEdit(editor.name, editor.settingsFile, importEdit.path)),
    importEdit,
  ];
  const outcomes = new Map<string, RevertOutcome>();
  for (const edit of candidates) {
    const record = ctx.ledger.load(edit.id);
    if (!record) continue;
    outcomes.set(edit.id, revertEdit(ctx.ledger, { ...edit, path: record.path }, stamp));
  }
  return outcomes;
}
