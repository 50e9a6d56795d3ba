// ReNette's upload button: files of any size up to the cap, sent in pieces.
//
// ipywidgets' FileUpload sends each file whole in one websocket message; the
// Jupyter server closes the socket on a message over 10 MiB, and the file
// vanishes without a word. Here the browser checks each file's size against
// the cap before sending anything (a file over it is refused, and the kernel
// told why), then sends it in pieces of `chunk_bytes` (a few MB) with a
// progress bar; the kernel writes them to disk, acknowledges each one, and
// reads the file once the last piece is in.

const MB = 1024 * 1024;
const IN_FLIGHT = 2;          // pieces sent before waiting for the first one's ack
const ACK_TIMEOUT_MS = 120000;
const READ_TIMEOUT_MS = 900000;

function size(n) {
  return n < MB ? `${(n / 1024).toFixed(1)} KB` : `${(n / MB).toFixed(1)} MB`;
}

function render({ model, el }) {
  el.classList.add("renette-upload");
  const button = document.createElement("button");
  button.className = "jupyter-widgets jupyter-button widget-button";
  button.style.width = "auto";
  const icon = document.createElement("i");
  icon.className = "fa fa-upload";
  const label = document.createElement("span");
  label.style.marginLeft = "4px";
  button.append(icon, label);
  const input = document.createElement("input");
  input.type = "file";
  input.style.display = "none";
  const status = document.createElement("div");
  status.className = "renette-upload-status";
  el.append(button, input, status);
  // The status takes a line of its own under the row of buttons (the row wraps),
  // not room beside or under this button: the example buttons stay in line.
  el.style.display = "contents";
  status.style.flexBasis = "100%";
  status.style.order = "99";

  const draw = () => {
    const n = model.get("count");
    label.textContent = model.get("description") + (n ? ` (${n})` : "");
    button.disabled = model.get("disabled");
    input.accept = model.get("accept");
    input.multiple = model.get("multiple");
  };
  draw();
  for (const name of ["count", "description", "disabled", "accept", "multiple"]) {
    model.on(`change:${name}`, draw);
  }
  button.addEventListener("click", () => input.click());

  // Replies of the kernel, matched to what each file is waiting for.
  const waiters = [];
  const onMessage = (msg) => {
    if (!msg || msg.id === undefined) return;
    for (const w of [...waiters]) {
      if (w.id !== msg.id) continue;
      if (msg.type === "error" || msg.type === "refused") {
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.reject(new Error(msg.message));
      } else if (w.test(msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(msg);
      }
    }
  };
  model.on("msg:custom", onMessage);
  const wait = (id, test, ms) => new Promise((resolve, reject) => {
    const w = { id, test, resolve, reject };
    w.timer = setTimeout(() => {
      waiters.splice(waiters.indexOf(w), 1);
      reject(new Error(`no answer from the server for ${ms / 1000} s`));
    }, ms);
    waiters.push(w);
  });

  const line = (file) => {
    const row = document.createElement("div");
    row.className = "renette-upload-file";
    row.style.fontSize = "12px";
    const bar = document.createElement("progress");
    bar.max = Math.max(file.size, 1);
    bar.value = 0;
    bar.style.width = "160px";
    bar.style.marginRight = "6px";
    const text = document.createElement("span");
    row.append(bar, text);
    status.append(row);
    return {
      row, bar,
      say(words, colour) {
        text.textContent = words;
        text.style.color = colour || "#333";
      },
    };
  };

  async function send(file) {
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    const shown = line(file);
    const cap = model.get("max_bytes");
    if (file.size > cap) {
      shown.bar.style.display = "none";
      shown.say(`✗ ${file.name}: ${size(file.size)}, more than the limit of ${size(cap)}: not sent`,
                "#b00020");
      model.send({ type: "refused", id, name: file.name, size: file.size });
      return;
    }
    const chunk = model.get("chunk_bytes");
    try {
      shown.say(`${file.name}: starting…`);
      model.send({ type: "start", id, name: file.name, size: file.size });
      await wait(id, (m) => m.type === "ack" && m.received === 0, ACK_TIMEOUT_MS);
      const pending = [];
      for (let offset = 0; offset < file.size; offset += chunk) {
        const end = Math.min(offset + chunk, file.size);
        const piece = await file.slice(offset, end).arrayBuffer();
        pending.push(wait(id, (m) => m.type === "ack" && m.received === end, ACK_TIMEOUT_MS));
        model.send({ type: "chunk", id, offset }, undefined, [piece]);
        while (pending.length >= IN_FLIGHT || (end === file.size && pending.length)) {
          const ack = await pending.shift();
          shown.bar.value = ack.received;
          shown.say(`${file.name}: ${size(ack.received)} of ${size(file.size)} sent`);
        }
      }
      shown.say(`${file.name}: ${size(file.size)} sent, reading…`);
      model.send({ type: "end", id });
      const done = await wait(id, (m) => m.type === "done", READ_TIMEOUT_MS);
      shown.bar.value = shown.bar.max;
      if (done.ok) {
        shown.say(`✓ ${file.name}: ${size(file.size)}, loaded`, "#2a7a2a");
      } else {
        shown.say(`✗ ${file.name}: not loaded (${done.message})`, "#b00020");
      }
    } catch (err) {
      shown.say(`✗ ${file.name}: ${err.message}`, "#b00020");
      // the kernel lists the file as rejected (it may have sent the reason itself)
      model.send({ type: "abort", id, name: file.name, reason: err.message });
    }
  }

  let queue = Promise.resolve();
  input.addEventListener("change", () => {
    const files = Array.from(input.files || []);
    input.value = "";  // the same file can be chosen again
    if (!files.length) return;
    status.replaceChildren();
    model.set("count", files.length);
    model.save_changes();
    for (const file of files) {
      queue = queue.then(() => send(file));
    }
  });

  return () => {
    model.off("msg:custom", onMessage);
    for (const name of ["count", "description", "disabled", "accept", "multiple"]) {
      model.off(`change:${name}`, draw);
    }
  };
}

export default { render };
