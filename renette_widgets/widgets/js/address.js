// The workspace's link in the address bar (so a reload or a bookmark returns to
// it), and remembered by this browser (so opening the bare address returns too).
const KEY = "renette-workspace";

function render({ model }) {
  function apply() {
    const token = model.get("token");
    if (!token) return;
    const url = new URL(window.location.href);
    let remembered = null;
    try { remembered = window.localStorage.getItem(KEY); } catch (e) { /* storage off */ }
    if (model.get("fresh") && !url.searchParams.get("ws") && remembered && remembered !== token) {
      url.searchParams.set("ws", remembered);  // this browser's workspace, not a new one
      window.location.replace(url.toString());
      return;
    }
    try { window.localStorage.setItem(KEY, token); } catch (e) { /* storage off */ }
    if (url.searchParams.get("ws") !== token) {
      url.searchParams.set("ws", token);
      window.history.replaceState(null, "", url.toString());
    }
  }
  model.on("change:token", apply);
  apply();
}

export default { render };
