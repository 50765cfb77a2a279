// imcgeo's map in the browser: one module for the Streamlit component and the offline HTML file.
//
// The data (missions, transfers, layer styles) arrives once per data version; a view (date, mode,
// colour key, the transfers passing the filters, camera, highlights) arrives on every rerun. Time,
// filters and highlights are applied here, so playback needs no server. deck.gl comes from the
// global `deck` (the bundle shipped in the pydeck wheel, plus @deck.gl/extensions).
//
// Nothing from the data is ever written as HTML: every text goes through textContent.

const DAY_MS = 86400000;
const GROW_DAYS = 75; // an arc travels from source to target over its first 75 days
const QUIET_PACE = 4; // how much faster playback crosses a span with no transfer on the map
const FADE_DAYS = 150; // and fades out over 150 days after its end ("under way" mode)
const SPEEDS = [
  [1, "1 month a second"],
  [3, "3 months a second"],
  [6, "6 months a second"],
  [12, "1 year a second"],
  [36, "3 years a second"],
];
const MAX_LABELS = 24; // as imcgeo.atlas.MAX_LABELS: more would clutter the map
// A scene framed on a small subject (Bosnia to Kosovo) keeps its region around it: closer in, the
// outlines (simplified to about 9 km, data/README.md) turn to blocks and the room loses where on Earth it is.
const FIT_MAX_ZOOM = 5;
const DOUBLE_CLICK_MS = 300; // deck.gl's: a second click this soon, on the same spot, makes a double click (a zoom)

export const toDay = (iso) => {
  const [y, m, d] = iso.split("-").map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
};
export const toIso = (day) => new Date(Math.round(day) * DAY_MS).toISOString().slice(0, 10);
const yearOf = (day) => new Date(day * DAY_MS).getUTCFullYear();
const monthIndex = (day) => {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
const monthStart = (index) => Math.round(Date.UTC(Math.floor(index / 12), index % 12, 1) / DAY_MS);
// ---- words -----------------------------------------------------------------------------------
// The data carries the reader's language (imcgeo.webmap.map_words): each English text below with
// its translation, the month names and the language's plural rule. A text not found stays English.
let WORDS = {};
let LANG = "en";
let MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export function T(english, values) {
  let text = WORDS[english] || english;
  if (values) for (const [k, v] of Object.entries(values)) text = text.split(`{${k}}`).join(String(v));
  return text;
}
const num = (n) => Number(n).toLocaleString(LANG === "fr" ? "fr-FR" : "en-GB");
// French counts 0 and 1 as singular, English only 1.
const plural = (n, one, many, values = {}) => T((LANG === "fr" ? n <= 1 : n === 1) ? one : many, { n: num(n), ...values });
function setWords(words) {
  WORDS = (words && words.text) || {};
  LANG = (words && words.lang) || "en";
  if (words && words.months) MONTHS = words.months;
}
const longDate = (day) => {
  const d = new Date(day * DAY_MS);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};

// A point along the great circle from a to b ([lon, lat] degrees) at fraction t.
export function slerp(a, b, t) {
  const rad = Math.PI / 180;
  const [l1, p1, l2, p2] = [a[0] * rad, a[1] * rad, b[0] * rad, b[1] * rad];
  const v1 = [Math.cos(p1) * Math.cos(l1), Math.cos(p1) * Math.sin(l1), Math.sin(p1)];
  const v2 = [Math.cos(p2) * Math.cos(l2), Math.cos(p2) * Math.sin(l2), Math.sin(p2)];
  const dot = Math.min(1, Math.max(-1, v1[0] * v2[0] + v1[1] * v2[1] + v1[2] * v2[2]));
  const omega = Math.acos(dot);
  if (omega < 1e-9) return a.slice();
  const s1 = Math.sin((1 - t) * omega) / Math.sin(omega);
  const s2 = Math.sin(t * omega) / Math.sin(omega);
  const v = [0, 1, 2].map((i) => s1 * v1[i] + s2 * v2[i]);
  return [Math.atan2(v[1], v[0]) / rad, Math.atan2(v[2], Math.hypot(v[0], v[1])) / rad];
}

function el(tag, attrs = {}, parent = null) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  if (parent) parent.appendChild(node);
  return node;
}

// Drawn icons: the media-control characters are missing from many fonts.
const ICONS = {
  start: "M3 2h2v12H3zM14 2v12L6 8z",
  back: "M12 2v12L4 8z",
  play: "M4 2v12l10-6z",
  pause: "M3 2h4v12H3zM9 2h4v12H9z",
  forward: "M4 2v12l8-6z",
  end: "M11 2h2v12h-2zM2 2v12l8-6z",
};
function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "14");
  svg.setAttribute("height", "14");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name]);
  path.setAttribute("fill", "currentColor");
  svg.appendChild(path);
  return svg;
}

// Milestones of a page load for the benchmarks (bench/trace_first_map.py): performance marks "imcgeo:...".
function mark(name) {
  if (globalThis.performance && performance.mark) performance.mark(`imcgeo:${name}`);
}

function webglWorks() {
  try {
    const canvas = document.createElement("canvas");
    return Boolean(canvas.getContext("webgl2") || canvas.getContext("webgl"));
  } catch (e) {
    return false;
  }
}

// host: {setState(name, value), trigger(name, value), offline: bool}
export function createMap(root, host) {
  const box = el("div", { class: "imcgeo-map", tabindex: "0", role: "application" }, root);
  // Every fixed text of the controls, as [element, attribute ("text": its content), English]:
  // said again in the reader's language when the data arrives (relabel).
  const fixed = [];
  const say = (node, attr, english) => {
    fixed.push([node, attr, english]);
    if (attr === "text") node.textContent = T(english);
    else node.setAttribute(attr, T(english));
    return node;
  };
  const relabel = () => {
    for (const [node, attr, english] of fixed) {
      if (attr === "text") node.textContent = T(english);
      else node.setAttribute(attr, T(english));
    }
    const label = s.playing ? "Pause" : "Play";
    playBtn.setAttribute("aria-label", T(label));
    playBtn.title = T(label);
  };
  say(box, "aria-roledescription", "animated map");
  say(box, "aria-label", "Map of transfers between missions. Space plays or pauses, arrows step a month.");
  const stage = el("div", { class: "im-stage" }, box);
  const deckHolder = el("div", { class: "im-deck" }, stage);
  // The countries are painted on a 2D canvas under the deck (paintBase): no WebGL program to compile,
  // so under software WebGL the world shows at once, and a camera move repaints it in a millisecond.
  const baseCanvas = el("canvas", { class: "im-base" }, deckHolder);
  const heading = el("div", { class: "im-heading" }, stage);
  const title = el("div", { class: "im-title" }, heading);
  const caption = el("div", { class: "im-caption", "aria-live": "polite" }, heading);
  const legendFold = el("details", { class: "im-legend" }, stage);
  // Open where there is room; on a phone it starts folded, so the map is not hidden behind it.
  legendFold.open = !(window.matchMedia && window.matchMedia("(max-width: 600px)").matches);
  say(el("summary", {}, legendFold), "text", "Legend");
  const legendBox = say(el("div", { role: "group" }, legendFold), "aria-label", "Legend");
  const tip = el("div", { class: "im-tip", role: "tooltip" }, stage);
  tip.hidden = true;
  const fallback = el("div", { class: "im-fallback" }, stage);
  fallback.hidden = true;
  const credits = el("div", { class: "im-credits" }, stage);
  const bar = say(el("div", { class: "im-controls", role: "toolbar" }, box), "aria-label", "Playback");
  const btn = (label, glyph, action) => {
    const b = say(say(el("button", { type: "button" }, bar), "aria-label", label), "title", label);
    b.appendChild(icon(glyph));
    b.addEventListener("click", (e) => {
      // A Space that reached the button is handled by the box's key handler alone.
      if (e.detail === 0 && lastKey === " ") return;
      action();
    });
    return b;
  };
  let lastKey = null;
  btn("Jump to the start", "start", () => jump(period()[0]));
  btn("Step back one month", "back", () => step(-1));
  const playBtn = btn("Play", "play", () => toggle());
  playBtn.setAttribute("aria-pressed", "false");
  btn("Step forward one month", "forward", () => step(1));
  btn("Jump to the end", "end", () => jump(period()[1]));
  const speedLabel = el("label", { class: "im-speed" }, bar);
  say(el("span", {}, speedLabel), "text", "Speed");
  const speedSel = say(el("select", {}, speedLabel), "aria-label", "Playback speed");
  for (const [value, text] of SPEEDS) say(el("option", { value: String(value) }, speedSel), "text", text);
  speedSel.value = "12";
  const loopLabel = el("label", { class: "im-loop" }, bar);
  const loopBox = say(el("input", { type: "checkbox" }, loopLabel), "aria-label", "Loop playback");
  loopBox.checked = true;
  say(el("span", {}, loopLabel), "text", "Loop");
  const slider = say(el("input", { type: "range", class: "im-slider", step: "1" }, bar), "aria-label", "Date");
  const dateOut = el("output", { class: "im-date", "aria-live": "off" }, bar);
  const hist = el("canvas", { class: "im-hist", role: "img", tabindex: "-1" }, box);
  say(hist, "aria-label", "Transfers under way per month; drag to set the period, click to jump to a date");

  const s = {
    data: null,
    view: null,
    deck: null,
    layers: {},
    outlines: null,
    day: 0,
    playing: false,
    lastFrame: 0,
    raf: 0,
    selected: null,
    viewState: null,
    pageCamera: null,
    pageDate: null,
    pagePeriod: null,
    periodDays: null,
    ids: new Set(),
    labelKey: "",
    labels: [],
    hover: null,
    monthSeen: -1,
    frames: 0,
    cameraTimer: 0,
    reported: [],
  };
  // Counted for the benchmark and the tests: frames drawn while playing.
  box.imcgeo = s;
  // Read-only hook for the tests: every text drawn now (labels, the explorer's and the planner's texts) with
  // its box [left, top, right, bottom] in CSS pixels of the map, as deck.gl draws it: each TextLayer's own
  // glyph box (getBoundingRect, font-atlas units scaled to the text size) at the projected point and pixel
  // offset, plus the background padding.
  s.textBoxes = () => {
    const viewport = s.deck.getViewports()[0];
    const value = (accessor, d, i) => (typeof accessor === "function" ? accessor(d, { index: i }) : accessor);
    const texts = s.deck.layerManager.getLayers().filter((l) => l.constructor.layerName === "TextLayer");
    return texts.flatMap((l) => {
      const { getPosition, getPixelOffset, getSize, sizeScale, backgroundPadding } = l.props;
      const [px, py] = l.props.background ? backgroundPadding : [0, 0];
      const unit = sizeScale / l.state.fontAtlasManager.props.fontSize;
      return [...l.props.data].map((d, i) => {
        const [x, y] = viewport.project(value(getPosition, d, i));
        const [dx, dy] = value(getPixelOffset, d, i);
        const [bx, by, bw, bh] = l.getBoundingRect(d, { index: i }).map((v) => v * value(getSize, d, i) * unit);
        const box = [x + dx + bx - px, y + dy + by - py, x + dx + bx + bw + px, y + dy + by + bh + py];
        return { layer: l.id, text: value(l.props.getText, d, i), point: [x, y], box };
      });
    });
  };

  const period = () => s.periodDays || [s.data.t0, s.data.t1];

  // ---- time ----------------------------------------------------------------------------------
  function setDay(day, { report = false } = {}) {
    const [lo, hi] = period();
    s.day = Math.max(lo, Math.min(hi, Math.round(day)));
    slider.value = String(s.day);
    dateOut.textContent = longDate(s.day);
    slider.setAttribute("aria-valuetext", longDate(s.day));
    redraw();
    if (report) reportDate();
  }
  // Dates this map sent the page: their echo in a later view must not move the map back.
  function reportDate() {
    const iso = toIso(s.day);
    s.reported.push(iso);
    if (s.reported.length > 20) s.reported.shift();
    host.setState("date", iso);
  }
  function jump(day) {
    pause(false);
    setDay(day, { report: true });
  }
  function step(months) {
    pause(false);
    const m = monthIndex(s.day) + months;
    const [lo, hi] = period();
    let day = monthStart(m);
    if (months > 0 && day > hi) day = loopBox.checked ? lo : hi;
    if (months < 0 && day < lo) day = loopBox.checked ? monthStart(monthIndex(hi)) : lo;
    setDay(day, { report: true });
  }
  function play() {
    if (s.playing || !s.data) return;
    const [lo, hi] = period();
    if (s.day >= hi) setDay(lo);
    s.playing = true;
    playBtn.replaceChildren(icon("pause"));
    playBtn.setAttribute("aria-label", T("Pause"));
    playBtn.title = T("Pause");
    playBtn.setAttribute("aria-pressed", "true");
    s.lastFrame = performance.now();
    s.raf = requestAnimationFrame(tick);
  }
  function pause(report = true) {
    if (!s.playing) return;
    s.playing = false;
    cancelAnimationFrame(s.raf);
    s.day = Math.floor(s.day); // a whole day: the picture, the date shown and the date the page gets agree
    playBtn.replaceChildren(icon("play"));
    playBtn.setAttribute("aria-label", T("Play"));
    playBtn.title = T("Play");
    playBtn.setAttribute("aria-pressed", "false");
    redraw();
    if (report) reportDate();
  }
  function toggle() {
    if (s.playing) pause();
    else play();
  }
  function tick(now) {
    if (!s.playing) return;
    const dt = Math.min(0.25, (now - s.lastFrame) / 1000);
    s.lastFrame = now;
    const [lo, hi] = period();
    // Paced like the exports: time runs four times as fast through spans with nothing on the map.
    let day = s.day + dt * Number(speedSel.value) * 30.44 * (s.quiet ? QUIET_PACE : 1);
    if (day > hi) {
      if (loopBox.checked) day = lo;
      else {
        setDay(hi);
        pause();
        return;
      }
    }
    s.day = day;
    s.frames += 1;
    slider.value = String(Math.round(day));
    const shown = longDate(Math.floor(day));
    if (dateOut.textContent !== shown) dateOut.textContent = shown;
    redraw();
    s.raf = requestAnimationFrame(tick);
  }

  // ---- keyboard ------------------------------------------------------------------------------
  box.addEventListener("keydown", (e) => {
    if (e.target === speedSel) return;
    lastKey = e.key;
    const keys = {
      " ": toggle,
      ArrowRight: () => step(1),
      ArrowLeft: () => step(-1),
      Home: () => jump(period()[0]),
      End: () => jump(period()[1]),
      PageDown: () => host.trigger("key", "PageDown"),
      PageUp: () => host.trigger("key", "PageUp"),
    };
    if (e.target === slider && e.key !== " " && !e.key.startsWith("Page")) return;
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    action();
  });
  box.addEventListener("keyup", (e) => {
    if (e.key === " ") e.preventDefault();
    setTimeout(() => (lastKey = null), 0);
  });
  slider.addEventListener("input", () => {
    pause(false);
    setDay(Number(slider.value));
  });
  slider.addEventListener("change", () => reportDate());

  // ---- data and view -------------------------------------------------------------------------
  function setData(data, outlines) {
    mark("data");
    s.data = data;
    setWords(data.words);
    relabel();
    s.outlines = outlines || null;
    s.basePathList = null; // new data, perhaps new outlines or tones: the countries' paths are made again
    const classes = {};
    for (const [k, v] of Object.entries(globalThis.deck)) if (typeof v === "function") classes[k] = v;
    const converter = new deck.JSONConverter({ configuration: new deck.JSONConfiguration({ classes }) });
    s.converter = converter;
    s.overlayKey = null;
    const converted = converter.convert({ layers: Object.values(data.layers) });
    s.layers = {};
    for (const layer of converted.layers) s.layers[layer.id] = layer;
    const t = data.transfers;
    s.T = t.id.map((id, i) => ({
      i,
      id,
      from: t.from[i],
      to: t.to[i],
      src: t.src[i],
      dst: t.dst[i],
      start: t.start[i],
      end: t.end[i],
      y0: yearOf(t.start[i]),
      y1: yearOf(t.end[i]),
      surge: t.surge[i],
      asset: t.asset[i],
      w: t.w[i],
      tooltip: t.tooltip[i],
      unnamed: (t.unnamed || [])[i] || "",
    }));
    const m = data.missions;
    s.shown = new Map(m.acronym.map((acronym, i) => [acronym, (m.shown || m.acronym)[i]]));
    s.M = m.acronym.map((acronym, i) => ({
      i,
      acronym,
      position: m.position[i],
      start: m.start[i],
      end: m.end[i],
      style: m.style[i],
      hosts: m.hosts[i],
      tooltip: m.tooltip[i],
    }));
    slider.min = String(data.t0);
    slider.max = String(data.t1);
    s.monthSeen = -1;
    if (s.view) applyView(s.view, true);
  }

  function setView(view) {
    const first = !s.view;
    s.view = view;
    if (s.data && s.data.version === view.version) applyView(view, first);
  }

  function applyView(view, force) {
    s.ids = new Set(view.ids);
    const periodKey = `${view.first}|${view.last}`;
    if (force || periodKey !== s.pagePeriod) {
      s.pagePeriod = periodKey;
      s.periodDays = [
        Math.max(s.data.t0, toDay(`${view.first}-01-01`)),
        Math.min(s.data.t1, toDay(`${view.last}-12-31`)),
      ];
      slider.min = String(s.periodDays[0]);
      slider.max = String(s.periodDays[1]);
    }
    if (force || view.date !== s.pageDate) {
      s.pageDate = view.date;
      if (!s.playing && (force || !s.reported.includes(view.date))) setDay(toDay(view.date));
    }
    setHeight(view.height);
    // The legend first: a scene's framing keeps its subject clear of it.
    s.selected = view.mission || null;
    box.classList.toggle("im-presenter", Boolean(view.presenter));
    buildLegend();
    const camKey = JSON.stringify([view.camera, view.fit]);
    if (force || camKey !== s.pageCamera) {
      s.pageCamera = camKey;
      if (view.fit) {
        s.viewState = { ...(s.viewState || {}), ...fitted(view.fit), pitch: 0, bearing: 0 };
      } else if (view.camera) {
        const [latitude, longitude, zoom] = view.camera;
        s.viewState = { ...(s.viewState || {}), latitude, longitude, zoom, pitch: 0, bearing: 0 };
      }
    }
    const overlayKey = JSON.stringify(view.overlays || []);
    if (overlayKey !== s.overlayKey) {
      s.overlayKey = overlayKey;
      s.overlays = view.overlays && view.overlays.length ? s.converter.convert({ layers: view.overlays }).layers : [];
    }
    title.textContent = view.title || "";
    credits.textContent = view.credits || "";
    heading.hidden = !view.overlay;
    credits.hidden = !view.credits;
    s.labelKey = "";
    s.monthSeen = -1;
    if (!s.deck && !s.starting) startDeck();
    else if (s.deck) s.deck.setProps({ viewState: s.viewState });
    paintBase();
    redraw();
  }

  // A number is pixels; "fit" fills the window below the map's top (presenter mode: no scrolling).
  function setHeight(height) {
    s.fitHeight = height === "fit";
    if (!s.fitHeight) {
      box.style.setProperty("--im-height", `${height || 560}px`);
      return;
    }
    const below = box.getBoundingClientRect().bottom - stage.getBoundingClientRect().bottom;
    const room = window.innerHeight - stage.getBoundingClientRect().top - below - 12;
    box.style.setProperty("--im-height", `${Math.max(260, Math.round(room))}px`);
  }

  // The camera that shows a scene's subject ([[west, south], [east, north]]) whole at this map's size.
  function fitted(bounds) {
    const width = stage.clientWidth || 800;
    const height = stage.clientHeight || 500;
    const [[west, south], [east, north]] = bounds;
    if (west === east && south === north) return { longitude: west, latitude: south, zoom: 4 };
    const pad = Math.min(60, Math.round(Math.min(width, height) / 8));
    // An open legend covers part of the map: the subject is framed beside it (a column) or above it (a strip).
    let left = pad;
    let bottom = pad;
    if (legendFold.open) {
      const [w, h] = [legendFold.offsetWidth + 8, legendFold.offsetHeight + 8];
      if (w > width / 2) bottom += height - h > 2 * pad + 80 ? h : 0;
      else if (h > height / 3 && width - w > 2 * pad + 120) left += w;
    }
    const padding = { top: pad, bottom, left, right: pad };
    const { zoom } = new deck.WebMercatorViewport({ width, height }).fitBounds(bounds, { padding, maxZoom: FIT_MAX_ZOOM });
    const z = Math.max(0, zoom); // a phone shows the whole world's subject at zoom 0 (the world 512 px wide)
    // fitBounds shifts the centre for uneven padding at its own scale, not at a clamped zoom: centre the
    // subject in the room beside the legend at the zoom used.
    const probe = new deck.WebMercatorViewport({ width, height, longitude: (west + east) / 2, latitude: (south + north) / 2, zoom: z });
    const [x0, y0] = probe.project([west, north]);
    const [x1, y1] = probe.project([east, south]);
    const [longitude, latitude] = probe.unproject([width / 2 + (x0 + x1) / 2 - (left + width - pad) / 2, height / 2 + (y0 + y1) / 2 - (pad + height - bottom) / 2]);
    return { longitude, latitude, zoom: z };
  }

  // ---- deck ----------------------------------------------------------------------------------
  // Without WebGL: say so, and show the still the page sends (it sends one once told "webgl": false).
  function showFallback() {
    fallback.hidden = false;
    fallback.replaceChildren();
    const why = T("This browser cannot start WebGL, so the animated map is not available.");
    el("p", { text: s.view.fallback_png ? `${why} ${T("A still picture of this view follows.")}` : why }, fallback);
    if (s.view.fallback_png) el("img", { src: s.view.fallback_png, alt: s.view.caption || T("The map") }, fallback);
  }

  function startDeck() {
    if (s.webgl === false) return showFallback();
    s.starting = true;
    s.viewState = s.viewState || { latitude: 15, longitude: 15, zoom: 1.3, pitch: 0, bearing: 0 };
    // Under software WebGL a first WebGL context costs a second or more, and the deck's first frame compiles
    // a program per layer type, holding the page's frames all the while: the countries (a 2D canvas), the
    // controls and the legend are on screen first.
    paintBase();
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(createDeck, 50)));
  }

  function createDeck() {
    mark("deck-start");
    if (!webglWorks()) {
      s.webgl = false;
      s.starting = false;
      showFallback();
      host.setState("webgl", false);
      return;
    }
    // Only a failure is reported (the page then sends a still): saying "true" would cost every visitor a rerun.
    s.webgl = true;
    const coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    // The deck's canvas starts at the map's size: left to deck.gl, its first frame is drawn at the
    // default 300 x 150 and stretched, a blurred, wrongly zoomed picture for as long as that frame lasts.
    const canvas = el("canvas", {}, deckHolder);
    canvas.width = deckHolder.clientWidth || 300;
    canvas.height = deckHolder.clientHeight || 150;
    s.deck = new deck.Deck({
      canvas,
      width: "100%",
      height: "100%",
      views: new deck.MapView({ repeat: true }),
      viewState: s.viewState,
      // On a touch screen one finger scrolls the page past the map and two fingers pan and zoom it (twoFingers).
      controller: { dragRotate: false, touchRotate: false, keyboard: false, dragPan: !coarse, touchZoom: !coarse },
      touchAction: coarse ? "pan-y" : "none",
      layers: [],
      useDevicePixels: 1,
      onViewStateChange: ({ viewState }) => {
        s.viewState = viewState;
        s.deck.setProps({ viewState });
        paintBase();
        s.labelKey = "";
        redraw();
        return viewState;
      },
      onInteractionStateChange: (st) => {
        // Only the user's own pan and zoom go back to the page, once the gesture has ended.
        if (st.isDragging || st.isPanning || st.isZooming) {
          s.moved = true;
          return;
        }
        if (!s.moved) return;
        s.moved = false;
        clearTimeout(s.cameraTimer);
        s.cameraTimer = setTimeout(reportCamera, 400);
      },
      onLoad: () => {
        s.labelKey = "";
        redraw();
      },
      onAfterRender: () => {
        if (s.painted || !s.deck.props.layers.length) return;
        s.painted = true;
        mark("deck-drawn");
        s.labelKey = "";
        requestAnimationFrame(redraw);
        // The first pick of the missions alone sets up its own picking pass (150 ms under software WebGL):
        // done once the page is idle, not on the user's first click.
        (window.requestIdleCallback || setTimeout)(() => pickMission(0, 0, 0));
      },
      onHover: (info) => showTip(info),
      getCursor: ({ isHovering, isDragging }) => (isDragging ? "grabbing" : isHovering ? "pointer" : "grab"),
    });
    if (coarse) twoFingers(deckHolder);
    listenForClicks(canvas);
    s.starting = false;
    redraw();
  }

  // ---- the countries: Path2D per fill colour, in deck.gl's world units, drawn under the camera -----
  const WORLD = 512; // deck.gl's Web Mercator world at zoom 0, in pixels
  const worldX = (lon) => (WORLD * (lon + 180)) / 360;
  const worldY = (lat) => {
    const phi = (Math.max(-85.051129, Math.min(85.051129, lat)) * Math.PI) / 180;
    return (WORLD * (Math.PI + Math.log(Math.tan(Math.PI / 4 + phi / 2)))) / (2 * Math.PI);
  };

  // One path per colour: the countries of a colour filled together leave no seams between them.
  function basePaths() {
    const hosts = s.baseHosts || new Set();
    const key = [...hosts].sort().join(",");
    if (s.basePathKey === key && s.basePathList) return s.basePathList;
    const { tones } = s.data;
    const byColour = new Map();
    const ring = (path, points) => {
      points.forEach(([lon, lat], i) => (i ? path.lineTo : path.moveTo).call(path, worldX(lon), worldY(lat)));
      path.closePath();
    };
    for (const f of s.outlines.features || []) {
      const g = f.geometry;
      if (!g) continue;
      const rgba = (hosts.has(f.properties.iso3) ? tones.host : tones.land)[(f.properties.tone || 0) % 5];
      const colour = `rgba(${rgba[0]},${rgba[1]},${rgba[2]},${(rgba[3] ?? 255) / 255})`;
      if (!byColour.has(colour)) byColour.set(colour, new Path2D());
      const path = byColour.get(colour);
      const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
      for (const polygon of polygons) for (const points of polygon) ring(path, points);
    }
    s.basePathKey = key;
    s.basePathList = [...byColour];
    return s.basePathList;
  }

  // The same Web Mercator camera as the deck's (north up, no pitch), with the world repeated sideways.
  function paintBase() {
    if (!s.data || !s.outlines || !s.viewState) return;
    const width = deckHolder.clientWidth;
    const height = deckHolder.clientHeight;
    if (!width || !height) return;
    if (baseCanvas.width !== width || baseCanvas.height !== height) {
      baseCanvas.width = width;
      baseCanvas.height = height;
    }
    const ctx = baseCanvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (!s.basePainted) mark("countries");
    s.basePainted = true;
    const { longitude, latitude, zoom } = s.viewState;
    const scale = 2 ** zoom;
    const span = WORLD * scale;
    const x0 = width / 2 - worldX(longitude) * scale; // where longitude -180 falls
    const y0 = height / 2 + worldY(latitude) * scale;
    for (let k = Math.floor(-x0 / span) - 1; x0 + k * span < width; k += 1) {
      if (x0 + (k + 1) * span < 0) continue;
      ctx.setTransform(scale, 0, 0, -scale, x0 + k * span, y0);
      for (const [colour, path] of basePaths()) {
        ctx.fillStyle = colour;
        ctx.fill(path, "evenodd");
      }
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }

  // Two fingers pan and zoom the map, as mobile map embeds do: the point under the fingers' midpoint stays
  // under it, the zoom follows their spread. deck.gl's own touch pan and pinch are off on a touch screen, so
  // a one-finger swipe is the browser's (touch-action: pan-y) and scrolls the page.
  function twoFingers(target) {
    let start = null;
    const mid = (t, r) => [(t[0].clientX + t[1].clientX) / 2 - r.left, (t[0].clientY + t[1].clientY) / 2 - r.top];
    const spread = (t) => Math.hypot(t[0].clientX - t[1].clientX, t[0].clientY - t[1].clientY) || 1;
    target.addEventListener("touchstart", (e) => {
      if (e.touches.length !== 2 || !s.deck) return;
      const at = s.deck.getViewports()[0].unproject(mid(e.touches, stage.getBoundingClientRect()));
      start = { view: { ...s.viewState }, at, spread: spread(e.touches) };
    }, { passive: true });
    target.addEventListener("touchmove", (e) => {
      if (!start || e.touches.length !== 2) return;
      e.preventDefault(); // the page neither scrolls nor zooms under a two-finger gesture on the map
      const r = stage.getBoundingClientRect();
      const zoom = Math.max(0, Math.min(20, start.view.zoom + Math.log2(spread(e.touches) / start.spread)));
      const viewport = new deck.WebMercatorViewport({ ...start.view, zoom, width: r.width, height: r.height });
      s.viewState = { ...s.viewState, ...viewport.panByPosition(start.at, mid(e.touches, r)), zoom };
      s.deck.setProps({ viewState: s.viewState });
      paintBase();
      s.labelKey = "";
      redraw();
    }, { passive: false });
    target.addEventListener("touchend", (e) => {
      if (!start || e.touches.length >= 2) return;
      start = null;
      clearTimeout(s.cameraTimer);
      s.cameraTimer = setTimeout(reportCamera, 400); // the camera reaches the page's link, as after a drag
    });
  }

  function reportCamera() {
    const v = s.viewState;
    if (!v) return;
    const camera = [Number(v.latitude.toFixed(2)), Number(v.longitude.toFixed(2)), Number(v.zoom.toFixed(2))];
    const key = JSON.stringify(camera);
    if (key === s.lastReportedCamera) return;
    s.lastReportedCamera = key;
    s.pageCamera = key;
    host.setState("camera", camera);
  }

  // Clicks are read from the pointer here, not from deck.gl's onClick. deck.gl holds a click back for 300 ms in
  // case a second one makes a double click, and drops it if any click follows within that time, wherever it
  // falls (visgl/deck.gl#7425): a mission clicked, then a point of land, lost the mission. A double click still
  // zooms (deck.gl's controller); its second click is not a new one.
  function listenForClicks(target) {
    let down = null;
    target.addEventListener("pointerdown", (e) => {
      down = e.isPrimary && e.button === 0 ? { x: e.clientX, y: e.clientY, t: e.timeStamp } : null;
    });
    target.addEventListener("pointercancel", () => (down = null));
    target.addEventListener("pointerup", (e) => {
      const start = down;
      down = null;
      if (!start || !e.isPrimary) return;
      // A drag or a long press is not a click (deck.gl's own limits: 9 pixels, and a long press).
      if (Math.hypot(e.clientX - start.x, e.clientY - start.y) > 9 || e.timeStamp - start.t > 500) return;
      const r = target.getBoundingClientRect();
      onClick(e.clientX - r.left, e.clientY - r.top, e.timeStamp, e.pointerType === "touch" ? 12 : 3);
    });
  }

  function onClick(x, y, time, radius) {
    box.focus({ preventScroll: true });
    const last = s.lastClick;
    s.lastClick = { x, y, time };
    if (last && time - last.time < DOUBLE_CLICK_MS && Math.hypot(x - last.x, y - last.y) < 10) return;
    if (!s.deck) return;
    const acronym = pickMission(x, y, radius);
    if (acronym) {
      s.selected = s.selected === acronym ? null : acronym;
      redraw();
      host.setState("mission", s.selected);
      return;
    }
    const [lon, lat] = s.deck.getViewports()[0].unproject([x, y]);
    const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
    host.trigger("click", { lat: Number(lat.toFixed(4)), lon: Number(wrapped.toFixed(4)) });
  }

  function pickMission(x, y, radius) {
    const info = s.deck.pickObject({ x, y, radius, layerIds: ["missions"] });
    return info && info.object ? info.object.acronym : null;
  }

  // A mission's latest uniformed strength on the map's day (a figure at most a year old), as a line of text.
  function strengthLine(acronym) {
    const series = (s.data.strength || {})[acronym];
    if (!series) return "";
    const day = Math.floor(s.day);
    let best = null;
    for (const row of series) if (row[0] <= day && day - row[0] <= 366) best = row;
    if (!best) return "";
    const parts = [["{n} troops", best[2]], ["{n} police", best[3]], ["{n} military observers", best[4]]]
      .filter((p) => p[1] !== null)
      .map((p) => T(p[0], { n: num(p[1]) }));
    const total = best[1] === null ? "" : T("{n} uniformed", { n: num(best[1]) });
    const figures = [total, ...parts].filter(Boolean).join(", ");
    return "\n" + T("Strength on {date}: {figures} (UN figures)", { date: longDate(best[0]), figures });
  }

  function showTip(info) {
    const base = info.object && (info.object.tooltip || "");
    const text = base && info.object.acronym && !info.object.text ? base + strengthLine(info.object.acronym) : base;
    if (!text) {
      tip.hidden = true;
      return;
    }
    tip.textContent = text;
    tip.hidden = false;
    // Keep the tooltip inside the map's box.
    const w = stage.clientWidth;
    const h = stage.clientHeight;
    const tw = tip.offsetWidth;
    const th = tip.offsetHeight;
    let x = info.x + 14;
    let y = info.y + 14;
    if (x + tw > w - 4) x = Math.max(4, info.x - tw - 14);
    if (y + th > h - 4) y = Math.max(4, info.y - th - 14);
    tip.style.left = `${x}px`;
    tip.style.top = `${y}px`;
  }

  // ---- what is on the map at s.day -------------------------------------------------------------
  function visibleArcs() {
    const day = s.day;
    const [lo, hi] = period();
    const y0 = yearOf(lo);
    const y1 = yearOf(hi);
    const mode = s.view.mode;
    const colours = s.data.colours[s.view.colour];
    const [a0, a1] = s.data.alpha;
    const out = [];
    const under = [];
    const flows = s.view.flows; // one arc per pair of missions: {"SRC|DST": {w, tooltip}}
    const pairs = new Set();
    for (const t of s.T) {
      if (!s.ids.has(t.id) || t.y1 < y0 || t.y0 > y1 || t.start > day) continue;
      const pair = `${t.src}|${t.dst}`;
      if (flows && pairs.has(pair)) continue;
      let fade = 1;
      if (day > t.end) {
        const past = (day - t.end) / FADE_DAYS;
        if (mode === "active") {
          if (past >= 1) continue;
          fade = 1 - past;
        } else fade = Math.max(0.35, 1 - past);
      }
      const grow = Math.min(1, (day - t.start) / GROW_DAYS);
      const rgb = colours[t[s.view.colour]] || [120, 120, 120];
      let role = "";
      let w = flows && flows[pair] ? flows[pair].w : t.w;
      if (flows) pairs.add(pair);
      if (s.selected) {
        if (t.dst === s.selected) role = "in";
        else if (t.src === s.selected) role = "out";
        if (!role) fade *= 0.18;
        else w += 2;
      }
      const head = grow < 1 ? slerp(t.from, t.to, grow) : t.to;
      const arc = {
        from: t.from,
        to: head,
        c0: [...rgb, Math.round((role ? 200 : a0) * fade)],
        c1: [...rgb, Math.round((role ? 255 : a1) * fade)],
        w,
        tooltip: flows && flows[pair] ? flows[pair].tooltip : t.tooltip,
        unnamed: t.unnamed,
        src: t.src,
        dst: t.dst,
        role,
      };
      out.push(arc);
      if (role === "out") under.push({ ...arc, c0: [20, 20, 20, 220], c1: [20, 20, 20, 220], w: w + 4 });
    }
    return { arcs: out, under };
  }

  function missionData() {
    const day = s.day;
    const hosts = new Set();
    const data = s.M.filter((m) => m.position).map((m) => {
      const status = m.start > day ? "future" : m.end !== null && m.end < day ? "ended" : "active";
      if (status === "active") for (const h of m.hosts) hosts.add(h);
      const style = s.data.styles[m.style][status];
      const chosen = s.selected === m.acronym;
      return {
        acronym: m.acronym,
        position: m.position,
        fill: style.fill,
        line: chosen ? [213, 94, 0, 255] : style.line,
        radius: chosen ? style.radius * 1.6 : style.radius,
        tooltip: `${m.tooltip}\n${T(status === "active" ? "Active on {date}" : status === "future" ? "Not yet started on {date}" : "Ended on {date}", { date: longDate(day) })}`,
      };
    });
    for (const m of s.M) if (!m.position && m.start <= day && (m.end === null || m.end >= day)) m.hosts.forEach((h) => hosts.add(h));
    return { data, hosts };
  }

  // Labels placed apart as imcgeo.labelling.place_labels places the exports' labels: most important first (the
  // explorer's and planner's own texts, the selected mission, the missions receiving help, then the busiest),
  // each at the first free spot of eight around its point, clear of every label already placed, every labelled
  // point, the legend and the map's edge; a label with no free spot is left out. Widths are measured in the
  // TextLayer's own face and size, so the boxes are the ones drawn (s.textBoxes gives them to the tests).
  const LABEL_SPOTS = [[0, -1], [0, 1], [1, 0], [-1, 0], [1, -1], [-1, -1], [1, 1], [-1, 1]];
  function placeLabels(arcs) {
    // Labels wait for the first picture: their font atlas and shaders would delay it.
    if (!s.painted) {
      s.overlayLabels = new Map();
      return [];
    }
    const count = new Map();
    const targets = new Set();
    for (const a of arcs) {
      if (a.c1[3] < 40) continue;
      count.set(a.src, (count.get(a.src) || 0) + 1);
      count.set(a.dst, (count.get(a.dst) || 0) + 1);
      targets.add(a.dst);
    }
    const size = s.view.label_size || 12;
    const legend = legendFold.getBoundingClientRect();
    const key = [[...count.entries()].sort(), [...targets].sort(), s.selected, size, s.overlayKey, legend.width, legend.height].join("|");
    if (key === s.labelKey) return s.labels;
    s.labelKey = key;
    let viewport = null;
    try {
      viewport = s.deck && s.deck.isInitialized && s.deck.getViewports()[0];
    } catch (e) {
      viewport = null; // not laid out yet: onLoad places the labels
    }
    if (!viewport) {
      s.labelKey = "";
      s.overlayLabels = new Map();
      return [];
    }
    const ruler = (s.ruler = s.ruler || document.createElement("canvas").getContext("2d"));
    const boxSize = (layer, text, px) => {
      const [padX, padY] = layer.props.backgroundPadding || [0, 0];
      ruler.font = `${layer.props.fontWeight} ${px}px ${layer.props.fontFamily}`;
      return [ruler.measureText(text).width + 2 * padX, px * layer.props.lineHeight + 2 * padY];
    };
    const where = new Map(s.M.filter((m) => m.position).map((m) => [m.acronym, m.position]));
    const items = [];
    const texts = (s.overlays || []).filter((l) => l.constructor.layerName === "TextLayer");
    for (const layer of texts) {
      const { getPosition, getText, getSize } = layer.props;
      const value = (f, d, i) => (typeof f === "function" ? f(d, { index: i }) : f);
      [...layer.props.data].forEach((d, i) => {
        const text = value(getText, d, i);
        items.push({ layer, d, position: value(getPosition, d, i), text, wh: boxSize(layer, text, value(getSize, d, i)) });
      });
    }
    const rank = (a) => (a === s.selected ? 0 : targets.has(a) ? 1 : 2);
    const order = [...count.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    // A mission the explorer or planner already names (#1 UNISFA) is not labelled twice.
    const named = new Set(items.map((item) => String(item.position)));
    for (const [acronym] of order.slice(0, MAX_LABELS)) {
      const pos = where.get(acronym);
      if (!pos || named.has(String(pos))) continue;
      const text = s.shown.get(acronym) || acronym;
      items.push({ position: pos, text, wh: boxSize(s.layers.labels, text, size) });
    }
    // A grey ring (a mission no source names, at an indicative place) is named beside it, after every mission:
    // a symbol with its words, so no arc seems to start from an empty desert. Its labels keep clear of the ring.
    const ring = Math.min(22, Math.max(9, 90000 / (viewport.metersPerPixel || Infinity)));
    const rings = new Map();
    for (const a of arcs) {
      if (!a.unnamed || a.c1[3] < 40) continue;
      const [position, name] = a.unnamed === "source" ? [a.from, a.src] : [a.to, a.dst];
      const text = s.shown.get(name) || name;
      rings.set(`${position}|${text}`, { position, text, wh: boxSize(s.layers.labels, text, size), radius: ring + 2 });
    }
    items.push(...rings.values());
    const width = stage.clientWidth;
    const height = stage.clientHeight;
    const at = stage.getBoundingClientRect();
    const taken = [];
    // An open legend is drawn over the map: no label goes under it.
    if (legend.width) taken.push([legend.left - at.left, legend.top - at.top, legend.right - at.left, legend.bottom - at.top]);
    for (const item of items) item.xy = viewport.project(item.position);
    const disc = (o) => [o.xy[0] - (o.radius || 5), o.xy[1] - (o.radius || 5), o.xy[0] + (o.radius || 5), o.xy[1] + (o.radius || 5)];
    const hit = (r, t) => r[0] < t[2] && r[2] > t[0] && r[1] < t[3] && r[3] > t[1];
    const placed = [];
    s.overlayLabels = new Map(texts.map((l) => [l.id, []]));
    for (const item of items) {
      const [x, y] = item.xy;
      const [w, h] = item.wh;
      const others = items.filter((o) => o !== item && (o.xy[0] !== x || o.xy[1] !== y)).map(disc);
      const gap = (item.radius || 5) + 1;
      for (const [dx, dy] of LABEL_SPOTS) {
        const k = dx && dy ? 0.7 : 1; // a diagonal spot sits as close to the point as a straight one looks
        const cx = x + dx * (w / 2 + gap * k);
        const cy = y + dy * (h / 2 + gap * k);
        const r = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
        if (r[0] < 2 || r[1] < 2 || r[2] > width - 2 || r[3] > height - 2) continue;
        if (taken.some((t) => hit(r, t)) || others.some((t) => hit(r, t))) continue;
        taken.push(r);
        const offset = [cx - x, cy - y];
        if (item.layer) s.overlayLabels.get(item.layer.id).push({ ...item.d, offset });
        else placed.push({ position: item.position, text: item.text, offset });
        break;
      }
    }
    for (const layer of texts) {
      const data = s.overlayLabels.get(layer.id);
      s.overlayLabels.set(layer.id, layer.clone({ data, getPixelOffset: (d) => d.offset, parameters: { depthCompare: "always" }, updateTriggers: { getPixelOffset: key } }));
    }
    s.labels = placed;
    return placed;
  }
  legendFold.addEventListener("toggle", () => {
    s.labelKey = "";
    redraw();
  });

  function redraw() {
    if (!s.data || !s.view) return;
    drawHistogram();
    // While playing, the caption (a text reflow) changes at most four times a second.
    const now = performance.now();
    if (s.view.overlay && (!s.playing || now - (s.captionAt || 0) > 250)) {
      s.captionAt = now;
      caption.textContent = captionText();
    }
    const L = s.layers;
    const month = monthIndex(s.day);
    if (month !== s.monthSeen || !s.missionLayer) {
      s.monthSeen = month;
      const { data, hosts } = missionData();
      const hostKey = [...hosts].sort().join(",");
      s.missionLayer = L.missions.clone({ data, updateTriggers: { getFillColor: s.day, getLineColor: [s.day, s.selected], getRadius: [s.day, s.selected] } });
      if (hostKey !== s.hostKey) {
        s.hostKey = hostKey;
        s.baseHosts = hosts;
        paintBase();
      }
    }
    if (!s.deck) return;
    const { arcs, under } = visibleArcs();
    s.quiet = arcs.length === 0;
    const labels = placeLabels(arcs);
    const layers = [];
    if (under.length) layers.push(L.transfers.clone({ id: "transfers-outline", data: under, pickable: false, autoHighlight: false }));
    layers.push(L.transfers.clone({ data: arcs, updateTriggers: { getTargetPosition: s.day, getSourceColor: s.day, getTargetColor: s.day, getWidth: s.day } }));
    layers.push(s.missionLayer);
    // A mission no source names sits at an indicative point: a grey ring says so, not a headquarters.
    const unnamed = arcs.filter((a) => a.unnamed).map((a) => ({
      position: a.unnamed === "source" ? a.from : a.to,
      tooltip: a.tooltip,
    }));
    if (unnamed.length) {
      layers.push(new deck.ScatterplotLayer({
        id: "unnamed-points", data: unnamed, getPosition: (d) => d.position, stroked: true, filled: false,
        getLineColor: [110, 110, 110, 230], getRadius: 90000, radiusMinPixels: 9, radiusMaxPixels: 22,
        lineWidthMinPixels: 1.5, pickable: true,
      }));
    }
    // The explorer's and planner's texts as placed with the labels (none before the first picture).
    layers.push(...(s.overlays || []).map((l) => (l.constructor.layerName === "TextLayer" ? s.overlayLabels.get(l.id) : l)).filter(Boolean));
    if (labels.length) {
      layers.push(L.labels.clone({ data: labels, getPixelOffset: (d) => d.offset, getSize: s.view.label_size || 12, updateTriggers: { getPixelOffset: s.labelKey } }));
    }
    s.deck.setProps({ layers, viewState: s.viewState });
    s.shownCount = arcs.filter((a) => a.c1[3] > 0).length;
    box.dataset.arcs = String(arcs.length);
    box.dataset.date = toIso(Math.floor(s.day));
  }

  // Mirrors imcgeo.timeline.caption for the offline file, at a day instead of a year.
  function captionText() {
    const day = Math.floor(s.day);
    const under = s.T.filter((t) => s.ids.has(t.id) && t.start <= day && (s.view.mode === "cumulative" || t.end >= day));
    const when = longDate(day);
    const active = s.view.mode === "active";
    if (!under.length) {
      return T(active ? "{when}: no transfers under way with these filters." : "{when}: no transfers so far with these filters.", { when });
    }
    const groups = new Map();
    for (const t of under) {
      const k = `${t.dst}|${t.surge}`;
      groups.set(k, (groups.get(k) || 0) + 1);
    }
    const top = [...groups.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    const surgeWord = (code) => ((s.data.words && s.data.words.labels[code]) || code.replace(/-/g, " ")).toLowerCase();
    const parts = top
      .map(([k, n]) => {
        const [dst, surge] = k.split("|");
        return T("{n} to {mission} ({surge})", { n: num(n), mission: s.shown.get(dst) || dst, surge: surgeWord(surge) });
      })
      .join(", ");
    const head = active
      ? plural(under.length, "{n} transfer under way", "{n} transfers under way")
      : plural(under.length, "{n} transfer", "{n} transfers");
    return T("{when}: {what}", { when, what: `${head} — ${parts}${groups.size > 3 ? ", …" : ""}` });
  }

  // ---- legend --------------------------------------------------------------------------------
  function buildLegend() {
    legendBox.replaceChildren();
    const key = s.view.colour;
    el("b", { text: s.data.legend_titles[key] }, legendBox);
    for (const [label, rgb] of s.data.legend[key]) {
      const row = el("div", {}, legendBox);
      const sw = el("span", { class: "im-swatch" }, row);
      sw.style.background = `linear-gradient(90deg, rgba(${rgb},0.27), rgb(${rgb}))`;
      el("span", { text: label }, row);
    }
    el("div", { class: "im-note", text: T("Faint → strong: source → target; wider: more people or items") }, legendBox);
    el("div", { class: "im-note", text: T("● active  ○ not yet started  ◌ ended  ◎ service centre") }, legendBox);
    if (s.selected) {
      const mission = s.shown.get(s.selected) || s.selected;
      el("div", { class: "im-note", text: T("{mission}: arcs received drawn bright, arcs lent outlined in black", { mission }) }, legendBox);
    }
    if (s.T && s.ids && s.T.some((t) => t.unnamed && s.ids.has(t.id))) {
      el("div", { class: "im-note", text: T("grey ring: missions no source names, at an indicative place") }, legendBox);
    }
    const ids = (s.view.overlays || []).map((o) => o.id);
    if (ids.includes("rings") || ids.includes("plan-rings")) {
      el("div", { class: "im-note", text: T("near-black rings: 500, 1,000 and 2,000 km; circled: the five nearest missions") }, legendBox);
    }
  }

  // ---- histogram -----------------------------------------------------------------------------
  function histogramCounts() {
    const key = s.view.colour + "|" + [...s.ids].join(",");
    if (key === s.histKey) return s.hist;
    s.histKey = key;
    const m0 = monthIndex(s.data.t0);
    const n = monthIndex(s.data.t1) - m0 + 1;
    const cats = s.data.legend_keys[s.view.colour];
    const bins = Array.from({ length: n }, () => new Array(cats.length).fill(0));
    let max = 1;
    for (const t of s.T) {
      if (!s.ids.has(t.id)) continue;
      const c = cats.indexOf(t[s.view.colour]);
      for (let m = monthIndex(t.start); m <= monthIndex(t.end); m++) {
        const i = m - m0;
        if (i < 0 || i >= n) continue;
        bins[i][c] += 1;
      }
    }
    for (const b of bins) max = Math.max(max, b.reduce((a, x) => a + x, 0));
    s.hist = { bins, max, m0, n, cats };
    return s.hist;
  }

  function histX(day) {
    const w = hist.clientWidth;
    return ((day - s.data.t0) / (s.data.t1 - s.data.t0)) * (w - 16) + 8;
  }
  function histDay(x) {
    const w = hist.clientWidth;
    return s.data.t0 + ((x - 8) / (w - 16)) * (s.data.t1 - s.data.t0);
  }

  function drawHistogram() {
    if (!s.data || !s.view) return;
    const w = hist.clientWidth;
    const h = hist.clientHeight;
    if (!w || !h) return;
    const ratio = window.devicePixelRatio || 1;
    if (hist.width !== Math.round(w * ratio)) hist.width = Math.round(w * ratio);
    if (hist.height !== Math.round(h * ratio)) hist.height = Math.round(h * ratio);
    // The bars, the window and the years change only with the data, the filters, the colour key, the
    // window and the size: they are drawn once into a canvas of their own, and a frame of playback
    // copies them and draws the date's line (about 2,000 bars and 2,000 layout reads a frame before).
    const counts = histogramCounts();
    const [lo, hi] = s.dragWindow || period();
    const key = [s.view.colour, lo, hi, w, h, ratio].join("|");
    if (counts !== s.histBackCounts || key !== s.histBackKey) {
      s.histBackCounts = counts;
      s.histBackKey = key;
      s.histBack = drawHistogramBack(counts, w, h, ratio, lo, hi);
    }
    const g = hist.getContext("2d");
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, hist.width, hist.height);
    g.drawImage(s.histBack, 0, 0);
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.fillStyle = "#d55e00";
    g.fillRect(histX(s.day) - 1, 0, 2, h - 16);
  }

  function drawHistogramBack({ bins, max, m0, n, cats }, w, h, ratio, lo, hi) {
    const back = document.createElement("canvas");
    back.width = hist.width;
    back.height = hist.height;
    const g = back.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    const x = (day) => ((day - s.data.t0) / (s.data.t1 - s.data.t0)) * (w - 16) + 8; // histX, width read once
    const colours = s.data.colours[s.view.colour];
    const top = 4;
    const bottom = h - 16;
    g.fillStyle = "rgba(45,62,80,0.08)";
    g.fillRect(x(lo), 0, x(hi) - x(lo), bottom);
    for (let i = 0; i < n; i++) {
      const x0 = x(monthStart(m0 + i));
      const x1 = x(monthStart(m0 + i + 1));
      let y = bottom;
      for (let c = 0; c < cats.length; c++) {
        const v = bins[i][c];
        if (!v) continue;
        const bh = (v / max) * (bottom - top);
        g.fillStyle = `rgb(${colours[cats[c]]})`;
        g.fillRect(x0, y - bh, Math.max(1, x1 - x0), bh);
        y -= bh;
      }
    }
    g.strokeStyle = "rgba(45,62,80,0.7)";
    g.lineWidth = 1;
    g.strokeRect(x(lo) + 0.5, 0.5, x(hi) - x(lo) - 1, bottom - 1);
    g.fillStyle = "#555";
    g.font = "11px system-ui, sans-serif";
    const y0 = yearOf(s.data.t0);
    const y1 = yearOf(s.data.t1);
    const every = Math.max(1, Math.ceil((y1 - y0) / Math.max(1, w / 60)));
    for (let y = Math.ceil(y0 / every) * every; y <= y1; y += every) {
      const at = x(toDay(`${y}-01-01`));
      g.fillRect(at, bottom, 1, 3);
      g.fillText(String(y), Math.max(0, Math.min(w - 28, at - 13)), h - 2);
    }
    return back;
  }

  hist.addEventListener("pointerdown", (e) => {
    if (!s.data) return;
    hist.setPointerCapture(e.pointerId);
    s.dragFrom = e.offsetX;
    s.dragWindow = null;
  });
  hist.addEventListener("pointermove", (e) => {
    if (s.dragFrom === undefined || s.dragFrom === null) return;
    if (Math.abs(e.offsetX - s.dragFrom) < 4) return;
    const a = histDay(Math.min(s.dragFrom, e.offsetX));
    const b = histDay(Math.max(s.dragFrom, e.offsetX));
    s.dragWindow = [Math.max(s.data.t0, a), Math.min(s.data.t1, b)];
    drawHistogram();
  });
  hist.addEventListener("pointerup", (e) => {
    if (s.dragFrom === null || s.dragFrom === undefined) return;
    const from = s.dragFrom;
    s.dragFrom = null;
    if (!s.dragWindow || Math.abs(e.offsetX - from) < 4) {
      s.dragWindow = null;
      const day = histDay(e.offsetX);
      const [lo, hi] = period();
      if (day < lo || day > hi) s.periodDays = [s.data.t0, s.data.t1];
      jump(day);
      return;
    }
    const [a, b] = s.dragWindow;
    s.dragWindow = null;
    const years = [yearOf(a), yearOf(b)];
    s.periodDays = [Math.max(s.data.t0, toDay(`${years[0]}-01-01`)), Math.min(s.data.t1, toDay(`${years[1]}-12-31`))];
    s.pagePeriod = `${years[0]}|${years[1]}`;
    slider.min = String(s.periodDays[0]);
    slider.max = String(s.periodDays[1]);
    pause(false);
    setDay(Math.min(Math.max(s.day, s.periodDays[0]), s.periodDays[1]));
    host.setState("period", years);
  });

  const resize = new ResizeObserver(() => {
    drawHistogram();
    paintBase();
  });
  resize.observe(hist);
  resize.observe(deckHolder);
  // A window resized (a projector, a phone turned): a fitted height and a scene's framing follow.
  const onWindowResize = () => {
    if (!s.view || !s.deck) return;
    if (s.fitHeight) setHeight("fit");
    if (s.view.fit && !s.lastReportedCamera) {
      s.viewState = { ...s.viewState, ...fitted(s.view.fit) };
      s.deck.setProps({ viewState: s.viewState });
      paintBase();
    }
  };
  window.addEventListener("resize", onWindowResize);

  return {
    setData,
    setView,
    // The data could not be fetched: the map says so (the rest of the page works).
    failed(why) {
      fallback.hidden = false;
      fallback.replaceChildren();
      el("p", { text: `${T("The map could not start:")} ${why}` }, fallback);
    },
    state: s,
    hasVersion: (v) => Boolean(s.data && s.data.version === v),
    destroy() {
      pause(false);
      resize.disconnect();
      window.removeEventListener("resize", onWindowResize);
      clearTimeout(s.cameraTimer);
      if (s.deck) s.deck.finalize();
      box.remove();
    },
  };
}

// ---- Streamlit glue (st.components.v2): one map per mounted element, kept across reruns --------
const instances = new WeakMap();

export function streamlitMount(component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  let map = instances.get(parentElement);
  if (!map) {
    mark("mount");
    map = createMap(parentElement, { setState: setStateValue, trigger: setTriggerValue, offline: false });
    instances.set(parentElement, map);
  }
  const view = data && data.view;
  if (!view) return undefined;
  const fetches = (globalThis.__imcgeoFetches = globalThis.__imcgeoFetches || {});
  const fetchJson = (address) =>
    (fetches[address] =
      fetches[address] ||
      fetch(new URL(address, new URL(".", document.baseURI)))
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null));
  if (data.data_url && !map.hasVersion(view.version)) {
    // The published data: a file the browser caches. The page never sends it, so nothing to acknowledge.
    if (map.loading !== data.data_url) {
      map.loading = data.data_url;
      const address = data.data_url;
      fetchJson(address).then((payload) => {
        if (map.loading !== address) return;
        if (!payload) {
          map.failed(`could not load ${address}`);
          return;
        }
        fetchJson(payload.outlines_url).then((shapes) => {
          if (map.loading !== address) return;
          map.loading = null;
          map.setData(payload, shapes);
        });
      });
    }
  } else if (data.data && !map.hasVersion(data.data.version)) {
    // Data of this tab only (an upload): it came with the view; say it is held, and the page stops sending it.
    map.loading = null;
    const payload = data.data;
    fetchJson(payload.outlines_url).then((shapes) => {
      map.setData(payload, shapes);
      setStateValue("data_version", payload.version);
    });
  } else if (!data.data_url && !map.hasVersion(view.version)) {
    // The page thinks this browser holds the data, but it does not (a new mount): ask again.
    setStateValue("data_version", null);
  }
  map.setView(view);
  return undefined;
}

export function offlineMount(root, data, view, outlines) {
  const map = createMap(root, { setState: () => {}, trigger: () => {}, offline: true });
  map.setData(data, outlines);
  map.setView(view);
  return map;
}
