// Hover on a field of a trace line: the field's description from the trace schema.
import * as vscode from 'vscode';
import { getLocation } from '../../core/trace/jsonc';
import { describeField } from '../../core/trace/schema';

/** Lines longer than this get no hover: locating the cursor would scan megabytes. */
const MAX_HOVER_LINE = 1024 * 1024;

export class TraceHover implements vscode.HoverProvider {
  constructor(private readonly isTrace: (doc: vscode.TextDocument) => boolean) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!this.isTrace(doc)) return undefined;
    const text = doc.lineAt(pos.line).text;
    if (text.length > MAX_HOVER_LINE || text.trim() === '') return undefined;
    const loc = getLocation(text, pos.character);
    const path = loc.path;
    if (path.length === 0) return undefined;
    const description = describeField(path);
    if (!description) return undefined;
    const name = path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**\`${name}\`** (trace schema)\n\n`);
    // Our own text, written as plain sentences (appendText would escape every space).
    md.appendMarkdown(description);
    const node = loc.previousNode;
    const range = node ? new vscode.Range(pos.line, node.offset, pos.line, node.offset + node.length) : undefined;
    return new vscode.Hover(md, range);
  }
}
