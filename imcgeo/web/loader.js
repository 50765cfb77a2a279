// The Streamlit component's script: loads deck.gl and the map once per page (files the browser
// caches, served from the app's static folder), then hands every render to the map.
export default function (component) {
  const assets = component.data && component.data.assets;
  if (!assets) return undefined;
  const base = new URL(".", document.baseURI);
  const url = (path) => new URL(path, base).href;
  const script = (src) =>
    new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.appendChild(tag);
    });
  const root = component.parentElement;
  if (!root.querySelector("link[data-imcgeo]")) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url(assets.css);
    link.dataset.imcgeo = "1";
    root.appendChild(link);
  }
  // The extensions bundle replaces the global `deck` with its own exports: merge them back.
  globalThis.__imcgeoDeck =
    globalThis.__imcgeoDeck ||
    script(url(assets.deck))
      .then(() => {
        const core = globalThis.deck;
        return script(url(assets.extensions)).then(() => {
          globalThis.deck = Object.assign({}, core, globalThis.deck);
        });
      })
      .then(() => import(url(assets.map)));
  globalThis.__imcgeoDeck
    .then((map) => map.streamlitMount(component))
    .catch((error) => {
      const note = document.createElement("p");
      note.textContent = `The map could not start: ${error.message}`;
      root.appendChild(note);
    });
  return undefined;
}
