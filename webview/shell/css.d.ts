// esbuild loads .css imports as text (see esbuild.mjs `loader`); main.ts adopts them as a stylesheet.
declare module '*.css' {
  const css: string;
  export default css;
}
