/**
 * Quick fixes for a trace line, offered only where the fix is certain. Each returns
 * offset edits into the line's text (or undefined when it does not apply), made on the
 * jsonc-parser tree so the rest of the line keeps its formatting byte for byte.
 */
import { parseTree, type Node } from './jsonc';

export interface OffsetEdit {
  offset: number;
  length: number;
  content: string;
}

export function applyOffsetEdits(text: string, edits: OffsetEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}

function tree(text: string): Node | undefined {
  const errors: unknown[] = [];
  const root = parseTree(text, errors as never, { disallowComments: true, allowTrailingComma: false });
  return errors.length === 0 && root?.type === 'object' ? root : undefined;
}

function property(obj: Node, key: string): Node | undefined {
  if (obj.type !== 'object') return undefined;
  for (let k = (obj.children?.length ?? 0) - 1; k >= 0; k--) {
    const p = obj.children![k];
    if (p.children?.[0]?.value === key) return p;
  }
  return undefined;
}

function stepsArray(root: Node): Node | undefined {
  const steps = property(root, 'steps')?.children?.[1];
  return steps?.type === 'array' ? steps : undefined;
}

/** The separators the line already uses after a key (`":"` or `": "`) and between items (`","` or `", "`). */
function style(text: string, root: Node): { colon: string; comma: string } {
  const [first, second] = root.children ?? [];
  let colon = ': ';
  if (first?.children?.[1]) {
    const between = text.slice(first.children[0].offset + first.children[0].length, first.children[1].offset);
    colon = between.slice(between.indexOf(':') + 1).length ? ': ' : ':';
  }
  const comma = second ? (/,\s/.test(text.slice(first.offset + first.length, second.offset)) ? ', ' : ',') : colon === ':' ? ',' : ', ';
  return { colon, comma };
}

/** Sets every step's `i` to its array position (0, 1, 2...): fixes duplicate and out-of-order indices. */
export function renumberSteps(text: string): OffsetEdit[] | undefined {
  const root = tree(text);
  const steps = root && stepsArray(root);
  if (!steps?.children) return undefined;
  const edits: OffsetEdit[] = [];
  steps.children.forEach((step, k) => {
    const i = step.type === 'object' ? property(step, 'i')?.children?.[1] : undefined;
    if (i && !(i.type === 'number' && i.value === k)) edits.push({ offset: i.offset, length: i.length, content: String(k) });
  });
  return edits.length ? edits : undefined;
}

/**
 * Removes the step at array position `index` when it repeats an earlier step exactly
 * (same i, type and content): dropping it loses nothing.
 */
export function dropDuplicateStep(text: string, index: number): OffsetEdit[] | undefined {
  const root = tree(text);
  const steps = root && stepsArray(root);
  const items = steps?.children;
  if (!items || index <= 0 || index >= items.length) return undefined;
  const value = (n: Node) => JSON.stringify(nodeValue(n));
  const mine = stepIdentity(items[index], value);
  if (!mine || !items.slice(0, index).some((s) => stepIdentity(s, value) === mine)) return undefined;
  // Remove from the end of the previous element through the end of this one: `, {...}`.
  const prev = items[index - 1];
  const start = prev.offset + prev.length;
  const end = items[index].offset + items[index].length;
  return [{ offset: start, length: end - start, content: '' }];
}

function stepIdentity(step: Node, value: (n: Node) => string): string | undefined {
  if (step.type !== 'object') return undefined;
  const get = (k: string) => property(step, k)?.children?.[1];
  const i = get('i');
  const type = get('type');
  const content = get('content');
  if (!i || !type || !content) return undefined;
  return `${value(i)}\u0000${value(type)}\u0000${value(content)}`;
}

function nodeValue(n: Node): unknown {
  switch (n.type) {
    case 'object':
      return Object.fromEntries((n.children ?? []).map((p) => [p.children![0].value, p.children![1] ? nodeValue(p.children![1]) : undefined]));
    case 'array':
      return (n.children ?? []).map(nodeValue);
    default:
      return n.value;
  }
}

/**
 * Removes the property whose key starts at `keyOffset` when a later property of the same
 * object has the same key (TRC105). Readers keep the last value, so removing the earlier one
 * changes nothing they see; it only ends the confusion.
 */
export function removeOverriddenKey(text: string, keyOffset: number): OffsetEdit[] | undefined {
  const root = tree(text);
  if (!root) return undefined;
  const find = (node: Node): OffsetEdit[] | undefined => {
    if (node.offset > keyOffset || node.offset + node.length <= keyOffset) return undefined;
    const props = node.type === 'object' ? (node.children ?? []) : [];
    for (let k = 0; k < props.length; k++) {
      const key = props[k].children?.[0];
      if (key?.offset !== keyOffset) continue;
      if (!props.slice(k + 1).some((p) => p.children?.[0]?.value === key.value)) return undefined;
      // From this property to the start of the next one: `"a": 1, ` (a later one always exists).
      return [{ offset: props[k].offset, length: props[k + 1].offset - props[k].offset, content: '' }];
    }
    for (const child of node.children ?? []) {
      const found = find(child);
      if (found) return found;
    }
    return undefined;
  };
  return find(root);
}

/** Adds `"trace_version": "1.0"` as the first field of a record that lacks it. */
export function addTraceVersion(text: string, version = '1.0'): OffsetEdit[] | undefined {
  const root = tree(text);
  if (!root || property(root, 'trace_version')) return undefined;
  const first = root.children?.[0];
  const { colon, comma } = style(text, root);
  const field = `"trace_version"${colon}${JSON.stringify(version)}`;
  if (!first) return [{ offset: root.offset + 1, length: 0, content: field }];
  return [{ offset: first.offset, length: 0, content: field + comma }];
}

/**
 * Turns the bare string step at `index` into `{"i": n, "type": "step", "content": <the string>}`.
 * n is the array position when no other step uses it, else one more than the largest index.
 */
export function objectifyStringStep(text: string, index: number): OffsetEdit[] | undefined {
  const root = tree(text);
  const items = root && stepsArray(root)?.children;
  const node = items?.[index];
  if (!items || !node || node.type !== 'string') return undefined;
  const used = new Set<number>();
  for (const s of items) {
    const i = s.type === 'object' ? property(s, 'i')?.children?.[1] : undefined;
    if (i?.type === 'number' && Number.isSafeInteger(i.value)) used.add(i.value as number);
  }
  const n = used.has(index) ? Math.max(...used) + 1 : index;
  const { colon, comma: sep } = style(text, root);
  const raw = text.slice(node.offset, node.offset + node.length);
  return [{ offset: node.offset, length: node.length, content: `{"i"${colon}${n}${sep}"type"${colon}"step"${sep}"content"${colon}${raw}}` }];
}

/** Turns every bare string step of the line into an object, numbering as objectifyStringStep does. */
export function objectifyAllStringSteps(text: string): OffsetEdit[] | undefined {
  let current = text;
  let changed = false;
  for (;;) {
    const root = tree(current);
    const items = root && stepsArray(root)?.children;
    const index = items?.findIndex((s) => s.type === 'string') ?? -1;
    if (index < 0) break;
    const edits = objectifyStringStep(current, index);
    if (!edits) break;
    current = applyOffsetEdits(current, edits);
    changed = true;
  }
  return changed ? [{ offset: 0, length: text.length, content: current }] : undefined;
}
