// The Streamlit component's script: loads deck.gl and the map once per page (files the browser
// caches, served from the app's static folder), then hands every render to the map.
export default function (component) {
  const assets = component.data && component.data.assets;
  if (!assets) return undefined;
  const base = new URL(".", document.baseURI);
  const url = (path) => new URL(path, base).href;
  const root = component.parentElement;
  if (!root.querySelector("link[data-imcgeo]")) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url(assets.css);
    link.dataset.imcgeo = "1";
    root.appendChild(link);
  }
  // The data and the outlines download while deck.gl loads (the map picks the promises up by their URLs).
  globalThis.__imcgeoFetches = globalThis.__imcgeoFetches || {};
  for (const address of [component.data.data_url, assets.outlines]) {
    if (address && !globalThis.__imcgeoFetches[address]) {
      globalThis.__imcgeoFetches[address] = fetch(url(address))
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null);
    }
  }
  // Both bundles download at once and run in order (async = false). The extensions bundle
  // replaces the global `deck` with its own exports: the core is kept when the first has run.
  const script = (src, onload) =>
    new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = src;
      tag.async = false;
      tag.onload = () => resolve(onload && onload());
      tag.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.appendChild(tag);
    });
  if (!globalThis.__imcgeoMap) {
    let core = null;
    const deckReady = Promise.all([
      script(url(assets.deck), () => (core = globalThis.deck)),
      script(url(assets.extensions)),
    ]).then(() => {
      globalThis.deck = Object.assign({}, core, globalThis.deck);
    });
    globalThis.__imcgeoMap = Promise.all([deckReady, import(url(assets.map))]).then(([, map]) => map);
  }
  globalThis.__imcgeoMap
    .then((map) => map.streamlitMount(component))
    .catch((error) => {
      const note = document.createElement("p");
      note.textContent = `The map could not start: ${error.message}`;
      root.appendChild(note);
    });
  return undefined;
}
