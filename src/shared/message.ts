// The typing helper behind every webview's message contract (src/shared/<webview>Contract.ts).
// A contract names its messages in two maps, one per direction, payload by message type:
//
//   export type ToWebview = MessageOf<{ show: { trace: TraceDocument }; busy: void }>;
//   // = { type: 'show'; trace: TraceDocument } | { type: 'busy' }
//
// The host side (src/extension/webview/panel.ts) and the webview side (webview/shared/bridge.ts)
// are typed with the same unions, so a renamed field fails to compile on both ends.
// Nothing here imports 'vscode' or DOM types: contracts are shared by both sides.

/** Every message is a plain JSON object with a string `type`. */
export interface AnyMessage {
  type: string;
}

/** The union of messages described by a map from type name to payload (`void` for none). */
export type MessageOf<M extends { [type: string]: object | void }> = {
  [K in keyof M & string]: M[K] extends void ? { type: K } : { type: K } & M[K];
}[keyof M & string];

/** The member of a message union with the given type. */
export type MessageOfType<U extends AnyMessage, T extends U['type']> = Extract<U, { type: T }>;

/**
 * The message every webview sends first, once its script runs and its listener is attached.
 * Hosts queue what they post until it arrives (a message posted earlier would be lost), and
 * send their current state again each time it arrives (the webview reloads when it is moved
 * to another editor group or shown again without retained context).
 */
export interface ReadyMessage {
  type: 'ready';
}

/** The shape check the host applies to whatever arrives from a webview. */
export function isMessage(value: unknown): value is AnyMessage {
  return typeof value === 'object' && value !== null && typeof (value as AnyMessage).type === 'string';
}
