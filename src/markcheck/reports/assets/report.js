"use strict";
document.documentElement.classList.add("js");  // the interactive view replaces the static list
(function () {
  var files = JSON.parse(document.getElementById("data").textContent);
  var PAGE = 50;
  var ORDER = { noncompliant: 0, error: 1, needs_review: 2, compliant: 3, not_applicable: 4 };
  var SVG = "http://www.w3.org/2000/svg";
  var state = { status: "", pack: "", rule: "", q: "", sort: "status", page: 0 };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }
  function problems(file) {  // findings that count against the file: failed or undecided
    return file.f.filter(function (f) { return (f[2] === "fail" || f[2] === "unknown") && f[3] !== "info"; });
  }
  function pct(ratio) { return (ratio * 100).toFixed(1) + " %"; }
  function uniq(list) { return list.filter(function (v, i) { return list.indexOf(v) === i; }).sort(); }

  var packs = uniq([].concat.apply([], files.map(function (f) { return f.f.map(function (x) { return x[1]; }); })));
  var rules = uniq([].concat.apply([], files.map(function (f) { return problems(f).map(function (x) { return x[0]; }); })));

  function select(name, label, options) {
    var box = el("select", { id: "filter-" + name, "data-filter": name });
    box.appendChild(el("option", { value: "", text: "all" }));
    options.forEach(function (o) { box.appendChild(el("option", { value: o[0], text: o[1] })); });
    box.addEventListener("change", function () { state[name] = box.value; state.page = 0; render(); });
    return el("label", {}, [document.createTextNode(label), box]);
  }
  var controls = document.getElementById("controls");
  controls.appendChild(select("status", "status", Object.keys(ORDER).map(function (s) { return [s, s.replace("_", " ")]; })));
  controls.appendChild(select("pack", "pack", packs.map(function (p) { return [p, p]; })));
  controls.appendChild(select("rule", "failing rule", rules.map(function (r) { return [r, r]; })));
  var sortBox = el("select", { id: "sort" });
  [["status", "status"], ["path", "path"], ["problems", "most problems"]].forEach(function (o) {
    sortBox.appendChild(el("option", { value: o[0], text: o[1] }));
  });
  sortBox.addEventListener("change", function () { state.sort = sortBox.value; render(); });
  controls.appendChild(el("label", {}, [document.createTextNode("sort by"), sortBox]));
  var search = el("input", { type: "search", id: "search", placeholder: "path contains…" });
  search.addEventListener("input", function () { state.q = search.value.toLowerCase(); state.page = 0; render(); });
  controls.appendChild(search);
  var shown = el("span", { id: "shown" });
  controls.appendChild(shown);

  document.querySelectorAll(".count").forEach(function (cell) {
    cell.addEventListener("click", function () {
      var status = cell.classList[1] === "total" ? "" : cell.classList[1];
      state.status = status; state.page = 0;
      document.getElementById("filter-status").value = status;
      render();
    });
  });

  function matches(file) {
    if (state.status && file.s !== state.status) return false;
    if (state.pack && !file.f.some(function (f) { return f[1] === state.pack; })) return false;
    if (state.rule && !problems(file).some(function (f) { return f[0] === state.rule; })) return false;
    return !state.q || file.p.toLowerCase().indexOf(state.q) >= 0;
  }
  function compare(a, b) {
    if (state.sort === "status" && ORDER[a.s] !== ORDER[b.s]) return ORDER[a.s] - ORDER[b.s];
    if (state.sort === "problems") {
      var diff = problems(b).length - problems(a).length;
      if (diff) return diff;
    }
    return a.p < b.p ? -1 : a.p > b.p ? 1 : 0;
  }

  function picture(file) {
    if (!file.t) {
      var why = file.why ? "no picture: " + file.why : file.err ? "no picture: the file could not be read" : "no picture in this report";
      return el("div", { class: "nopic", text: why });
    }
    var w = file.w || file.t[1], h = file.h || file.t[2];
    var img = el("img", { src: file.t[0], width: file.t[1], height: file.t[2], alt: file.p, loading: "lazy" });
    var layer = svg("svg", { viewBox: "0 0 " + w + " " + h, preserveAspectRatio: "none" });
    var size = Math.max(10, Math.round(Math.max(w, h) / 28));
    file.b.forEach(function (b, i) {
      var verdict = b[6];  // pass | fail | review (the judged label) | label | text
      var rect = svg("rect", { x: b[0], y: b[1], width: b[2], height: b[3], class: verdict, "data-box": i });
      layer.appendChild(rect);
      if (verdict === "text") return;  // other text: a neutral box, no caption
      var right = b[0] + b[2] / 2 > w / 2;  // keep the caption inside the picture
      // The caption sits outside the label: above it, or below it when there is no room.
      var above = b[1] - size * 0.4 >= size;
      var label = svg("text", { x: right ? b[0] + b[2] : b[0],
        y: above ? b[1] - size * 0.4 : Math.min(h - 2, b[1] + b[3] + size),
        "font-size": size, "text-anchor": right ? "end" : "start" });
      label.textContent = b[4] + " · " + pct(b[5]) + (verdict === "label" ? "" : " · " + verdict);
      layer.appendChild(label);
    });
    return el("div", { class: "pic" }, [img, layer]);
  }

  function boxList(file) {
    if (!file.b.length) return null;
    var closeups = {};
    (file.cu || []).forEach(function (c) { closeups[c[0]] = c[1]; });
    return el("ul", { class: "boxes" }, file.b.map(function (b, i) {
      var verdict = b[6] === "text" || b[6] === "label" ? "" : b[6];
      var detail = " height " + pct(b[5]) + (file.min ? " (min " + pct(file.min) + ")" : "") +
        (b[7] ? " · seen " + b[7][0].toFixed(2) + "–" + b[7][1].toFixed(2) + " s" : "") +
        (b[6] === "text" ? " · not a label" : "");
      var zoom = null;
      if (closeups[i]) {  // the label at full resolution; click to enlarge
        var img = el("img", { src: closeups[i][0], width: closeups[i][1], height: closeups[i][2],
          alt: "close-up of " + b[4], class: "closeup" });
        img.addEventListener("click", function () { img.classList.toggle("big"); });
        zoom = el("div", {}, [img]);
      }
      return el("li", {}, [
        el("b", { text: "“" + b[4] + "”" }), document.createTextNode(detail + " "),
        verdict ? el("span", { class: "badge " + verdict, text: verdict }) : null, zoom]);
    }));
  }

  function strip(file) {  // video: the start frame and sampled frames, with their times
    if (!file.fr || file.fr.length < 2) return null;
    return el("div", { class: "strip" }, file.fr.map(function (f) {
      return el("figure", {}, [el("img", { src: f[1][0], alt: "frame at " + f[0] + " s", loading: "lazy" }),
        el("figcaption", { text: f[0].toFixed(2) + " s" })]);
    }));
  }

  function fields(obj) {
    return el("dl", {}, [].concat.apply([], Object.keys(obj).map(function (k) {
      var v = obj[k];
      return [el("dt", { text: k }), el("dd", { text: typeof v === "string" ? v : JSON.stringify(v) })];
    })));
  }

  function findings(file) {
    if (!file.f.length) return null;
    var head = el("tr", {}, ["rule", "pack", "outcome", "clause", "message"].map(function (t) { return el("th", { text: t }); }));
    var rows = file.f.map(function (f) {
      var outcome = el("td", {}, [el("span", { class: "badge " + f[2], text: f[2].replace("_", " ") })]);
      var message = el("td", { text: f[4] });
      if (f[6]) {
        var tag = f[6].expired ? "expired waiver" : "waived";
        message.appendChild(document.createTextNode(" "));
        message.appendChild(el("span", { class: "badge " + (f[6].expired ? "expired" : "waived"),
          text: tag + ": " + f[6].reason + (f[6].expires ? " (until " + f[6].expires + ")" : "") }));
      }
      return el("tr", { class: "o-" + f[2], "data-rule": f[0] }, [
        el("td", { text: f[0] + (f[3] !== "error" ? " (" + f[3] + ")" : "") }), el("td", { text: f[1] }),
        outcome, el("td", { class: "clause", text: f[5] }), message]);
    });
    return el("table", { class: "findings" }, [el("thead", {}, [head]), el("tbody", {}, rows)]);
  }

  function card(file) {
    var dims = file.w ? file.w + "×" + file.h : "";
    var meta = [file.k, file.fmt, dims, file.dur ? file.dur.toFixed(1) + " s" : "", "AI: " + file.ai]
      .filter(Boolean).join(" · ");
    var title = el("h2", {}, [el("span", { class: "badge " + file.s, text: file.s.replace("_", " ") }),
      el("span", { class: "path", text: file.p }), el("span", { class: "meta", text: meta })]
      .concat((file.wm || []).map(function (w) {
        return el("span", { class: "badge wm " + (w[1] ? "decoded" : "declared"),
          text: "watermark " + (w[1] ? "decoded" : "declared") + ": " + w[0] });
      })));
    var left = el("div", {}, [picture(file), strip(file), boxList(file)]);
    var right = el("div", {}, [
      file.err ? el("p", { class: "error-msg", text: file.err }) : null,
      findings(file),
      el("h3", { text: "Metadata labels" }),
      file.md.length ? el("div", {}, file.md.map(function (m) {
        return el("div", {}, [el("b", { text: m.carrier }), fields(m.fields)]);
      })) : el("p", { class: "meta", text: "none found" }),
      el("h3", { text: "C2PA" }),
      file.c2pa ? fields(file.c2pa) : el("p", { class: "meta", text: "no manifest" }),
      file.sig.length ? el("h3", { text: "AI signals" }) : null,
      file.sig.length ? el("ul", {}, file.sig.map(function (s) { return el("li", { text: s }); })) : null,
      file.notes.length ? el("h3", { text: "Notes" }) : null,
      file.notes.length ? el("ul", {}, file.notes.map(function (s) { return el("li", { text: s }); })) : null,
    ]);
    return el("article", { class: "file s-" + file.s, "data-status": file.s }, [title, left, right]);
  }

  var list = document.getElementById("files"), pager = document.getElementById("pager");
  function render() {
    var hits = files.filter(matches).sort(compare);
    var pages = Math.max(1, Math.ceil(hits.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    list.replaceChildren.apply(list, hits.slice(state.page * PAGE, (state.page + 1) * PAGE).map(card));
    shown.textContent = hits.length + " of " + files.length + " files";
    document.querySelectorAll(".count").forEach(function (cell) {
      cell.classList.toggle("active", cell.classList[1] === (state.status || "total"));
    });
    var prev = el("button", { id: "prev", text: "‹ previous" }), next = el("button", { id: "next", text: "next ›" });
    prev.disabled = state.page === 0; next.disabled = state.page >= pages - 1;
    prev.addEventListener("click", function () { state.page -= 1; render(); window.scrollTo(0, 0); });
    next.addEventListener("click", function () { state.page += 1; render(); window.scrollTo(0, 0); });
    pager.replaceChildren(prev, el("span", { id: "page", text: "page " + (state.page + 1) + " of " + pages }), next);
  }
  render();
})();
