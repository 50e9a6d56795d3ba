// The workspaces this browser knows, and the one it made (its own).
//
// On render it tells the kernel what it remembers ({own, known}); a page opened at
// the plain address opens `own` (the kernel decides). When the kernel says which
// workspace is open (`token`; `own` when it is this browser's own), the workspace
// is remembered, and its key is put in the address bar (so a reload returns to it)
// unless `keep_address` (JupyterLab: its address bar is not ours).
// A workspace opened by someone else's link never becomes this browser's own.
const KEY = "renette-workspaces";
const LEGACY = "renette-workspace";  // before issue 23: the last workspace opened
const MAX_KNOWN = 20;

function load() {
  let rec = null;
  try {
    rec = JSON.parse(window.localStorage.getItem(KEY) || "null");
    if (!rec || typeof rec !== "object") {
      const legacy = window.localStorage.getItem(LEGACY);
      rec = { own: legacy || "", known: legacy ? [legacy] : [] };
    }
  } catch (e) { rec = { own: "", known: [] }; }  // storage off: nothing remembered
  if (!Array.isArray(rec.known)) rec.known = [];
  rec.own = typeof rec.own === "string" ? rec.own : "";
  return rec;
}

function save(rec) {
  try { window.localStorage.setItem(KEY, JSON.stringify(rec)); } catch (e) { /* storage off */ }
}

function render({ model }) {
  function report() {
    const rec = load();
    model.set("remembered", { own: rec.own, known: rec.known });
    model.set("reported", true);
    model.save_changes();
  }
  function apply() {
    const token = model.get("token");
    if (!token) return;
    const rec = load();
    if (model.get("own") && !rec.own) rec.own = token;
    rec.known = [token].concat(rec.known.filter((k) => k !== token)).slice(0, MAX_KNOWN);
    save(rec);
    if (!model.get("keep_address")) {
      const url = new URL(window.location.href);
      if (url.searchParams.get("ws") !== token) {
        url.searchParams.set("ws", token);
        window.history.replaceState(null, "", url.toString());
      }
    }
    model.set("remembered", { own: rec.own, known: rec.known });
    model.set("shown", token);
    model.save_changes();
  }
  model.on("change:token", apply);
  if (!model.get("reported")) report();
  apply();
}

export default { render };
