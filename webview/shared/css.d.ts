// esbuild loads .css imports of the webview apps as text (see esbuild.mjs).
declare module '*.css' {
  const text: string;
  export default text;
}
