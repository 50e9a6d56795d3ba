// Zoom of a pooled heatmap, read again at a finer resolution by the kernel.
//
// The heatmap is drawn by the plotly renderer the page already has (a PlotBox
// beside this widget, in the same box of class `target`); this widget only
// listens to that figure's zoom (plotly_relayout) and tells the kernel the
// range asked for, or that the whole matrix is wanted again (double-click,
// autoscale). The kernel then reads that region from the store and replaces
// the figure: the listener follows the new one.

function render({ model, el }) {
  el.style.display = "none";
  let hooked = null;

  const rangeOf = (gd, axis) => {
    const r = gd.layout && gd.layout[axis] && gd.layout[axis].range;
    return r ? [Number(r[0]), Number(r[1])] : null;
  };

  const onRelayout = (gd) => (event) => {
    if (!event) return;
    if (event["xaxis.autorange"] || event["yaxis.autorange"]) {
      model.send({ type: "reset" });
      return;
    }
    const asked = Object.keys(event).some((k) => /^[xy]axis\.range/.test(k));
    if (!asked) return;  // a resize, a hover mode...: nothing to read
    const x = rangeOf(gd, "xaxis");
    const y = rangeOf(gd, "yaxis");
    if (x && y) model.send({ type: "zoom", x, y });
  };

  const follow = () => {
    const box = el.closest(`.${model.get("target")}`);
    const gd = box && box.querySelector(".js-plotly-plot");
    if (gd && gd !== hooked && typeof gd.on === "function") {
      gd.on("plotly_relayout", onRelayout(gd));
      hooked = gd;
    }
  };
  const timer = setInterval(follow, 300);
  follow();
  return () => clearInterval(timer);
}

export default { render };
