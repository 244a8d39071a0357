// Quick fixes for trace diagnostics, offered only where the fix is certain. The edits are
// computed by core (src/core/trace/fixes.ts) on the line's text; saving is left to the user,
// and the change re-validates the line like any edit.
import * as vscode from 'vscode';
import { getLocation } from '../../core/trace/jsonc';
import { CODES } from '../../core/trace/problems';
import { addTraceVersion, dropDuplicateStep, objectifyAllStringSteps, objectifyStringStep, removeOverriddenKey, renumberSteps, type OffsetEdit } from '../../core/trace/fixes';
import { codeOf } from './convert';

/** Lines longer than this get no quick fixes (computing them would stall the editor). */
const MAX_FIX_LINE = 2 * 1024 * 1024;

function stepIndexAt(text: string, character: number): number | undefined {
  const path = getLocation(text, character).path;
  return path[0] === 'steps' && typeof path[1] === 'number' ? path[1] : undefined;
}

function action(title: string, doc: vscode.TextDocument, line: number, edits: OffsetEdit[], diagnostic: vscode.Diagnostic, preferred = false): vscode.CodeAction {
  const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(doc.uri, new vscode.Range(line, e.offset, line, e.offset + e.length), e.content);
  a.edit = we;
  a.diagnostics = [diagnostic];
  a.isPreferred = preferred;
  return a;
}

export class TraceQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    for (const d of context.diagnostics) {
      const code = codeOf(d);
      if (!code) continue;
      const line = d.range.start.line;
      if (line >= doc.lineCount) continue;
      const text = doc.lineAt(line).text;
      if (text.length > MAX_FIX_LINE) continue;
      const add = (key: string, make: () => vscode.CodeAction | undefined) => {
        if (seen.has(`${line}:${key}`)) return;
        const a = make();
        if (a) {
          seen.add(`${line}:${key}`);
          out.push(a);
        }
      };
      const renumber = () => {
        const edits = renumberSteps(text);
        return edits && action('Renumber step indices 0..n-1', doc, line, edits, d, code !== CODES.duplicateStepIndex.code);
      };
      switch (code) {
        case CODES.duplicateStepIndex.code: {
          const k = stepIndexAt(text, d.range.start.character);
          add(`drop${k}`, () => {
            const edits = k === undefined ? undefined : dropDuplicateStep(text, k);
            return edits && action(`Remove duplicate step (steps[${k}] repeats an earlier step)`, doc, line, edits, d, true);
          });
          add('renumber', renumber);
          break;
        }
        case CODES.stepsOutOfOrder.code:
        case CODES.badStepIndex.code:
          add('renumber', renumber);
          break;
        case CODES.missingField.code:
          if (/"trace_version"/.test(d.message) && d.range.start.character === text.search(/\S/)) {
            add('version', () => {
              const edits = addTraceVersion(text);
              return edits && action('Add "trace_version": "1.0"', doc, line, edits, d, true);
            });
          }
          break;
        case CODES.bareStringStep.code: {
          const k = stepIndexAt(text, d.range.start.character + 1);
          add(`object${k}`, () => {
            const edits = k === undefined ? undefined : objectifyStringStep(text, k);
            return edits && action('Convert to {"i", "type", "content"}', doc, line, edits, d, true);
          });
          const bare = context.diagnostics.filter((x) => codeOf(x) === CODES.bareStringStep.code && x.range.start.line === line).length;
          if (bare > 1) {
            add('objectAll', () => {
              const edits = objectifyAllStringSteps(text);
              return edits && action('Convert all bare string steps of this trace', doc, line, edits, d);
            });
          }
          break;
        }
        case CODES.repeatedKey.code: {
          const at = d.range.start.character;
          add(`key${at}`, () => {
            const edits = removeOverriddenKey(text, at);
            return edits && action(`Remove the overridden ${text.slice(at, d.range.end.character)}`, doc, line, edits, d, true);
          });
          break;
        }
        default:
          break;
      }
    }
    return out;
  }
}
