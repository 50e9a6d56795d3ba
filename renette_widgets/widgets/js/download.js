// A file the kernel sends in pieces, offered as a link once it is whole.
//
// A download made in the kernel used to travel as one data: URI (a zip of a
// job folder with a 5,000-node network: hundreds of MB in one message). Here
// the kernel sends `begin` (name, size, type), the bytes in pieces of a few
// MB, then `end`; the page keeps the pieces, makes a Blob of them and shows a
// link to it (the file never leaves the browser's memory until saved).

function size(n) {
  const MB = 1024 * 1024;
  return n < MB ? `${(n / 1024).toFixed(1)} KB` : `${(n / MB).toFixed(1)} MB`;
}

function render({ model, el }) {
  el.classList.add("renette-file-sender");
  const links = document.createElement("span");
  el.append(links);
  const files = new Map();
  const onMessage = (msg, buffers) => {
    if (!msg || msg.id === undefined) return;
    if (msg.type === "clear") {
      links.replaceChildren();
      files.clear();
    } else if (msg.type === "begin") {
      for (const old of [...links.children]) {
        if (old.dataset.name === msg.name) old.remove();  // the same file again
      }
      const status = document.createElement("span");
      status.dataset.name = msg.name;
      status.style.marginRight = "1em";
      status.style.fontSize = "12px";
      status.textContent = `${msg.name}: receiving…`;
      links.append(status);
      files.set(msg.id, { ...msg, parts: [], received: 0, status });
    } else if (msg.type === "piece" && files.has(msg.id)) {
      const f = files.get(msg.id);
      for (const b of buffers || []) {
        const view = b instanceof DataView ? b : new DataView(b.buffer || b);
        f.parts.push(view);
        f.received += view.byteLength;
      }
      f.status.textContent = `${f.name}: ${size(f.received)} of ${size(f.size)}`;
    } else if (msg.type === "end" && files.has(msg.id)) {
      const f = files.get(msg.id);
      files.delete(msg.id);
      const a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob(f.parts, { type: f.mime }));
      a.download = f.name;
      a.className = "renette-download";
      a.dataset.name = f.name;
      a.style.marginRight = "1em";
      a.textContent = `⬇ ${f.name} (${size(f.received)})`;
      f.status.replaceWith(a);
    }
  };
  model.on("msg:custom", onMessage);
  return () => model.off("msg:custom", onMessage);
}

export default { render };
