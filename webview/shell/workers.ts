// Starting workers from our own bundles. A webview resource URL is cross-origin to the webview
// document, so `new Worker(resourceUrl)` fails; fetching the script and starting it from a
// blob: URL works (the CSP allows connect-src and worker-src for the extension's own resources).

/** dist/ of the extension: the folder this script was loaded from. */
const scriptBase: string = (() => {
  const src = (document.currentScript as HTMLScriptElement | null)?.src;
  return src ? new URL('.', src).href : new URL('dist/', document.baseURI).href;
})();

const cache = new Map<string, Promise<string>>();

/** The URL of dist/ (or wherever webview.js came from), ending in `/`. */
export function distBase(): string {
  return scriptBase;
}

/** A blob: URL to start `dist/<name>.js` as a Worker; fetched once per page. */
export function workerUrl(name: string): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return Promise.reject(new Error(`not a worker bundle name: ${name}`));
  let p = cache.get(name);
  if (!p) {
    p = fetch(new URL(`${name}.js`, scriptBase).href)
      .then((r) => {
        if (!r.ok) throw new Error(`could not load ${name}.js (HTTP ${r.status})`);
        return r.text();
      })
      .then((code) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
    p.catch(() => cache.delete(name));
    cache.set(name, p);
  }
  return p;
}

/** Workers started ahead, by blob URL: one each, taken by the first view that asks. */
const spares = new Map<string, Worker>();

/**
 * Starts `dist/<name>.js` now, while the page waits for the host's model, so that the view that
 * needs it gets a worker that has loaded and compiled its script (in code-server: 50–100 ms).
 */
export function prestartWorker(name: string): void {
  void workerUrl(name).then((url) => { if (!spares.has(url)) spares.set(url, new Worker(url)); }, () => undefined);
}

/** A worker running `dist/<name>.js`: the one started ahead when there is one. */
export async function startWorker(name: string): Promise<Worker> {
  const url = await workerUrl(name);
  const spare = spares.get(url);
  spares.delete(url);
  return spare ?? new Worker(url);
}
