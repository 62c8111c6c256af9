// The driver's page at a tracking link. The server writes the page
// complete; this script keeps it live from the link's event stream
// (GET …/events), shows times in the phone's own time zone, draws the map
// (the car, and the truck while it is on its way), and sends the driver's
// choice of further assistance, corrected position and receipts.
(function () {
  "use strict";
  const cfg = JSON.parse(document.body.dataset.config || "{}");
  const T = cfg.texts || {};
  const base = location.pathname.replace(/\/+$/, "");
  const code = (cfg.lang || "en").slice(0, 2);
  let view = cfg.view || null;
  let ended = false;
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const fmtTime = new Intl.DateTimeFormat(cfg.lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const fmtLong = new Intl.DateTimeFormat(cfg.lang, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const t = (k) => (k in T ? T[k] : k);
  // fill puts html in place of {name} in an escaped text.
  const fill = (k, name, html) => esc(t(k)).replace("{" + name + "}", html);
  const timeHTML = (iso, long) => iso ? '<time datetime="' + esc(iso) + '">' + esc((long ? fmtLong : fmtTime).format(new Date(iso))) + "</time>" : "";
  const tel = (s) => "tel:" + String(s).replace(/(?!^\+)[^0-9]/g, "");

  function localize(root) {
    root.querySelectorAll("time[datetime]").forEach((el) => {
      const d = new Date(el.dateTime);
      if (!isNaN(d)) el.textContent = (el.closest("#expires") ? fmtLong : fmtTime).format(d);
    });
  }

  const open = (s) => s !== "COMPLETED" && s !== "FAILED";
  function mainJob(v) {
    const i = v.jobs.findIndex((j) => open(j.status));
    return i >= 0 ? v.jobs[i] : v.jobs[v.jobs.length - 1] || null;
  }

  // ---- rendering (the same markup as driver.html) ---------------------------
  function renderSteps(v) {
    const j = mainJob(v);
    const steps = [{ key: "reported", at: v.reported_at }];
    for (const [key, f] of [["booked", "booked_at"], ["en_route", "en_route_at"], ["arrived", "arrived_at"], ["done", "done_at"]]) {
      steps.push({ key, at: j ? j[f] : null });
    }
    let cur = -1;
    steps.forEach((s, i) => { if (s.at) cur = i; });
    const failed = j && j.status === "FAILED";
    $("steps").innerHTML = steps.map((s, i) => {
      let state = s.at ? (i === cur && i < steps.length - 1 ? "current" : "done") : "todo";
      let label = t("step." + s.key);
      if (failed && i === steps.length - 1) { state = "failed"; label = t("step.failed"); }
      return '<li class="step ' + state + '" data-step="' + s.key + '"' + (state === "current" ? ' aria-current="step"' : "") +
        '><span class="dot" aria-hidden="true"></span><span class="label">' + esc(label) + "</span>" + (s.at ? " " + timeHTML(s.at) : "") + "</li>";
    }).join("");
    const fail = $("failure");
    fail.hidden = !failed;
    fail.textContent = failed ? t("failure." + j.failure) : "";
  }

  function renderETA(v) {
    const j = mainJob(v);
    let html;
    if (j && j.status === "ARRIVED") html = '<p class="eta-main">' + esc(t("eta.arrived")) + "</p>";
    else if (v.eta) {
      const mins = Math.round((new Date(v.eta) - Date.now()) / 60000);
      html = '<p class="eta-main">' + fill("eta.at", "time", timeHTML(v.eta)) + "</p>" +
        '<p class="eta-min" data-minutes="' + mins + '">' + (mins <= 1 ? esc(t("eta.due")) : fill("eta.in", "min", String(mins))) + "</p>";
      if (j && j.eta_updated_at) html += '<p class="muted small">' + fill("eta.updated", "time", timeHTML(j.eta_updated_at)) + "</p>";
    } else html = '<p class="muted">' + esc(t("eta.none")) + "</p>";
    const el = $("eta");
    if (el.innerHTML !== html) el.innerHTML = html;
  }

  function renderWho(v) {
    const m = mainJob(v);
    const jobs = v.jobs.filter((j) => open(j.status) || j === m);
    $("who").innerHTML = jobs.length ? jobs.map((j) => {
      let h = '<div class="who"><p class="who-job">' + esc(t("job." + j.kind)) + "</p>";
      if (j.partner) h += '<p class="who-name">' + esc(j.partner) + "</p>";
      const truck = j.truck ? esc(t("truck." + j.truck)) : "";
      const plate = j.plate ? fill("who.plate", "plate", esc(j.plate)) : "";
      if (truck || plate) h += '<p class="who-truck">' + truck + (truck && plate ? " · " : "") + plate + "</p>";
      if (j.phone) h += '<a class="button secondary" href="' + esc(tel(j.phone)) + '">' + fill("who.call", "name", esc(j.phone)) + "</a>";
      return h + "</div>";
    }).join("") : '<p class="muted">' + esc(t("who.none")) + "</p>";
  }

  function choiceKeyOf(v) {
    const chosen = (v.choices || []).find((c) => c.group === "further_assistance");
    const offers = (v.offers || {}).further_assistance || [];
    return chosen ? "chosen:" + chosen.code : "offers:" + offers.map((o) => o.code).join(",");
  }
  const coverKeyOf = (v) => JSON.stringify([v.covered, v.entitlements.map((e) => [e.text, e.clause, (e.site || e.regular_workshop || {}).name])]);
  // The server wrote the page from the view it carries: sections are
  // written again only when what they show changed.
  let choiceKey = view ? choiceKeyOf(view) : "";
  let coverKey = view ? coverKeyOf(view) : "";
  function renderChoice(v) {
    const chosen = (v.choices || []).find((c) => c.group === "further_assistance");
    const offers = (v.offers || {}).further_assistance || [];
    const key = choiceKeyOf(v);
    if (key === choiceKey) return;
    choiceKey = key;
    $("choice-card").hidden = !chosen && !offers.length;
    if (chosen) {
      $("choice").innerHTML = '<p class="chosen">' + fill("choice.made", "option", esc(t("option." + chosen.code))) + "</p>";
      return;
    }
    $("choice").innerHTML = '<form id="choice-form"><fieldset><legend>' + esc(t("choice.help")) + "</legend>" +
      offers.map((o) => '<label class="option"><input type="radio" name="code" value="' + esc(o.code) + '"> <span><strong>' +
        esc(t("option." + o.code)) + '</strong><br><span class="muted">' + esc(o.text) + "</span></span></label>").join("") +
      '</fieldset><button type="submit" id="choice-submit">' + esc(t("choice.confirm")) + '</button><p id="choice-msg" role="status"></p></form>';
    bindChoice();
  }

  // siteOf names the workshop an entitlement goes to, with its distance
  // in whole kilometres (as the page is first drawn).
  const siteOf = (s) => s ? ' <span class="site">(' + esc(s.name) + (s.distance_km != null ? ", " + Math.round(s.distance_km) + "\u00a0km" : "") + ")</span>" : "";

  function renderCover(v) {
    const key = coverKeyOf(v);
    if (key === coverKey) return;
    coverKey = key;
    let h = "<p>" + esc(t(v.covered ? "cover.yes" : "cover.no")) + "</p>";
    if (v.entitlements.length) {
      h += '<ul class="entitlements">' + v.entitlements.map((e) => "<li>" + esc(e.text) + siteOf(e.site || e.regular_workshop) + ' <span class="clause">' + esc(e.clause) + "</span></li>").join("") + "</ul>";
    }
    $("cover").innerHTML = h;
  }

  // renderReceipts lists the receipts the case has, each with what became
  // of it in the desk's words, and what is still needed to pay it.
  function renderReceipts(v) {
    const rs = v.receipts || [], el = $("my-receipts");
    if (!el) return;
    const label = (c) => ((document.querySelector('#r-category option[value="' + CSS.escape(c) + '"]') || {}).textContent || c);
    const money = (m) => m ? esc(m.amount + " " + m.currency) : "";
    el.hidden = $("my-receipts-h").hidden = !rs.length;
    const html = rs.map((r) => '<li class="my-receipt" data-state="' + esc(r.state) + '"><strong>' + esc(label(r.category)) +
      (r.merchant ? " · " + esc(r.merchant) : "") + "</strong> " + money(r.claimed) +
      (r.text ? '<br><span class="muted">' + esc(r.text) + "</span>" : "") +
      (r.requires_text ? '<br><span class="needs">' + esc(r.requires_text) + "</span>" : "") + "</li>").join("");
    if (el.innerHTML !== html) el.innerHTML = html;
  }

  function render(v) {
    renderSteps(v);
    renderReceipts(v);
    renderETA(v);
    renderWho(v);
    renderChoice(v);
    renderCover(v);
    $("expires").innerHTML = fill("expires", "time", timeHTML(v.expires_at, true));
    localize(document);
    updateMap(v);
  }

  // ---- map ---------------------------------------------------------------------
  let map = null, carMarker = null, truckMarker = null, fitted = "", fixing = false;
  function carPoint(v) {
    const p = v.position_reported || v.car;
    return p ? [p.lat, p.lon] : null;
  }
  function marker(pt, color, label) {
    const m = L.circleMarker(pt, { radius: 9, color: "#fff", weight: 3, fillColor: color, fillOpacity: 1, interactive: false });
    m.bindTooltip(label, { permanent: true, direction: "right", offset: [10, 0], className: "map-label" });
    return m.addTo(map);
  }
  // initMap loads Leaflet's style sheet first: the page does not wait for
  // it to paint.
  function initMap() {
    if (!window.L || !$("map") || !cfg.leaflet_css) return;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = cfg.leaflet_css;
    link.onload = () => { drawMap(); if (view) updateMap(view); };
    document.head.appendChild(link);
  }
  function drawMap() {
    map = L.map("map", { zoomControl: true, attributionControl: true, keyboard: true });
    if (cfg.tile_url) {
      L.tileLayer(cfg.tile_url, { attribution: cfg.tile_attribution || "", maxZoom: 19 }).addTo(map);
    } else {
      $("map").classList.add("no-tiles");
      $("map-note").textContent = t("map.notiles");
      outlines(map);
    }
    map.attributionControl.setPrefix(false);
    L.control.scale({ imperial: false, position: "topright" }).addTo(map);
    map.getContainer().setAttribute("aria-label", t("map"));
    map.setView([54, 10], 4);
  }
  function updateMap(v) {
    if (!map) return;
    const car = carPoint(v);
    if (car) {
      const label = v.position_reported ? t("map.pin") : t("map.car");
      if (!carMarker) carMarker = marker(car, "#c2410c", label);
      else { carMarker.setLatLng(car); carMarker.setTooltipContent(label); }
    }
    const j = mainJob(v);
    const pos = j && j.position;
    if (pos) {
      const pt = [pos.lat, pos.lon];
      if (!truckMarker) truckMarker = marker(pt, "#0b57d0", t("map.truck"));
      else truckMarker.setLatLng(pt);
      $("map").dataset.truck = pos.lat.toFixed(5) + "," + pos.lon.toFixed(5);
      $("map-note").innerHTML = fill("map.truck_at", "time", timeHTML(pos.at)) + (cfg.tile_url ? "" : " · " + esc(t("map.notiles")));
    } else if (truckMarker) {
      truckMarker.remove();
      truckMarker = null;
      delete $("map").dataset.truck;
    }
    if (fixing) return;
    const pts = [car, pos && [pos.lat, pos.lon]].filter(Boolean);
    const key = pts.length + ":" + (pts.length > 1 ? "" : pts.join());
    // The driver's own zoom stays while the points move within the view.
    const inside = map.getBounds().pad(-0.15);
    if (key === fitted && pts.every((p) => inside.contains(p))) return;
    fitted = key;
    if (pts.length === 1) map.setView(pts[0], 12);
    else if (pts.length > 1) map.fitBounds(pts, { padding: [40, 40], maxZoom: 14 });
  }
  // outlines draws the embedded country borders (GET /console/outlines) for
  // the view, grown by half its span and rounded to a power-of-two grid.
  function outlines(m) {
    const pane = m.createPane("outlines");
    pane.style.zIndex = 350; // under the markers (overlay pane, 400)
    pane.style.pointerEvents = "none";
    const layer = L.geoJSON(null, { pane: "outlines", interactive: false,
      style: { color: "#4b5563", weight: 1.5, fillColor: "#f7f5ef", fillOpacity: 1 } }).addTo(m);
    const cache = new Map();
    let shown = "", timer = null;
    function load() {
      const b = m.getBounds();
      const span = Math.max(b.getEast() - b.getWest(), b.getNorth() - b.getSouth());
      let step = 1 / 256;
      while (step < span / 4 && step < 45) step *= 2;
      const pad = span / 2;
      const box = [Math.max(-180, Math.floor((b.getWest() - pad) / step) * step), Math.max(-90, Math.floor((b.getSouth() - pad) / step) * step),
        Math.min(180, Math.ceil((b.getEast() + pad) / step) * step), Math.min(90, Math.ceil((b.getNorth() + pad) / step) * step)];
      const url = "/console/outlines?bbox=" + box.join(",");
      if (url === shown) return;
      if (!cache.has(url)) cache.set(url, fetch(url).then((r) => (r.ok ? r.json() : Promise.reject(r.status))));
      cache.get(url).then((fc) => {
        layer.clearLayers();
        layer.addData(fc);
        if (fc.attribution && !shown) m.attributionControl.addAttribution(fc.attribution);
        shown = url;
      }).catch(() => cache.delete(url));
    }
    m.on("moveend", () => { clearTimeout(timer); timer = setTimeout(load, shown ? 200 : 0); });
  }

  // ---- correcting the car's position -------------------------------------------
  function bindFix() {
    const start = $("fix-start"), panel = $("fix-panel"), msg = $("fix-msg");
    if (!start) return;
    let cross = null;
    function stop() {
      fixing = false;
      panel.hidden = true;
      start.hidden = false;
      if (cross) cross.remove();
      cross = null;
      if (carMarker) carMarker.openTooltip();
    }
    start.addEventListener("click", () => {
      if (!map || ended) return;
      fixing = true;
      panel.hidden = false;
      start.hidden = true;
      msg.textContent = "";
      cross = document.createElement("div");
      cross.className = "pin-cross";
      if (carMarker) carMarker.closeTooltip();
      map.getContainer().appendChild(cross);
      const car = view && carPoint(view);
      if (car) map.setView(car, Math.max(map.getZoom(), 15), { animate: false });
      map.getContainer().setAttribute("aria-describedby", "fix-help");
      map.getContainer().focus();
    });
    $("fix-cancel").addEventListener("click", () => { stop(); start.focus(); });
    $("fix-send").addEventListener("click", async () => {
      const c = map.getCenter();
      const r = await send("POST", base + "/position", { lat: +c.lat.toFixed(6), lon: +c.lng.toFixed(6) });
      if (r.ok) {
        msg.className = "ok";
        msg.innerHTML = fill("fix.sent", "time", timeHTML(new Date().toISOString()));
        if (view) { view.position_reported = { lat: c.lat, lon: c.lng, at: new Date().toISOString() }; }
        stop();
        fitted = "";
        if (view) updateMap(view);
        start.focus();
      } else {
        msg.className = "error";
        msg.textContent = r.status === 429 ? t("fix.wait") : t("error").replace("{detail}", r.detail);
      }
    });
  }

  // ---- the choice of further assistance ----------------------------------------
  function bindChoice() {
    const form = $("choice-form");
    if (!form) return;
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const msg = $("choice-msg");
      const picked = form.querySelector("input[name=code]:checked");
      if (!picked) { msg.className = "error"; msg.textContent = t("choice.pick"); return; }
      $("choice-submit").disabled = true;
      const r = await send("POST", base + "/choices", { group: "further_assistance", code: picked.value });
      $("choice-submit").disabled = false;
      if (r.ok) {
        if (view) {
          view.choices = (view.choices || []).filter((c) => c.group !== "further_assistance");
          view.choices.push({ group: "further_assistance", code: picked.value });
          renderChoice(view);
        }
      } else if (r.status === 409) {
        msg.className = "error";
        msg.textContent = t("choice.taken"); // the stream brings the choice that was made
      } else {
        msg.className = "error";
        msg.textContent = t("error").replace("{detail}", r.detail);
      }
    });
  }

  // ---- receipts -------------------------------------------------------------------
  // The receipt leaves as multipart/form-data: the file, and a JSON part
  // "receipt" with amount, currency, date, category and merchant.
  function notYet() {
    $("receipts-notyet").hidden = false;
    $("receipt-form").querySelectorAll("input, select, button").forEach((el) => { el.disabled = true; });
    $("receipt-form").dataset.state = "notyet";
  }
  function bindReceipts() {
    const form = $("receipt-form");
    if (!form) return;
    fetch(base + "/receipts", { headers: { Accept: "application/json" } }).then((r) => { if (r.status === 404) notYet(); }).catch(() => {});
    // What a receipt of each kind counts: persons for travel and hotel,
    // nights for a hotel, days for a rental car.
    const counts = { hotel: ["persons", "nights", "from"], onward_travel: ["persons"], rental_car: ["days", "from"], local_rental: ["days", "from"] };
    const showCounts = () => {
      const want = counts[$("r-category").value] || [];
      for (const k of ["persons", "nights", "days", "from"]) $("r-" + k + "-box").hidden = !want.includes(k);
    };
    $("r-category").addEventListener("change", showCounts);
    showCounts();
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const msg = $("receipt-msg");
      const fd = new FormData();
      const file = $("r-file").files[0];
      if (!file) return;
      fd.append("file", file, file.name);
      const data = { amount: $("r-amount").value.trim().replace(",", "."), currency: $("r-currency").value, date: $("r-date").value,
        category: $("r-category").value, merchant: $("r-merchant").value.trim() };
      for (const k of counts[data.category] || []) {
        if (k === "from") data.service_from = $("r-from").value;
        else data[k] = parseInt($("r-" + k).value, 10) || 1;
      }
      data.arranged_by_assistance = $("r-arranged").checked;
      const iban = $("r-iban").value.trim();
      if (iban) data.payee = { name: $("r-holder").value.trim(), account: { method: "iban", iban } };
      fd.append("receipt", new Blob([JSON.stringify(data)], { type: "application/json" }), "receipt.json");
      $("receipt-submit").disabled = true;
      let r;
      try {
        const what = "receipt " + file.name + " " + file.size + " " + file.lastModified + " " + JSON.stringify(data);
        const res = await fetch(base + "/receipts", { method: "POST", body: fd, headers: { Accept: "application/json", "Idempotency-Key": keyOf(what) } });
        r = { ok: res.ok, status: res.status, detail: res.ok ? "" : await problemDetail(res) };
      } catch (err) {
        r = { ok: false, status: 0, detail: String(err) };
      }
      $("receipt-submit").disabled = false;
      if (r.status === 404 || r.status === 405) { notYet(); return; }
      msg.className = r.ok ? "ok" : "error";
      msg.textContent = r.ok ? t("receipts.sent") : t("receipts.failed").replace("{detail}", r.detail);
      if (r.ok) { form.reset(); showCounts(); }
    });
  }

  async function problemDetail(res) {
    try {
      const p = await res.json();
      const fields = (p.errors || []).map((e) => e.field + ": " + e.detail).join("; ");
      return fields || p.detail || p.title || String(res.status);
    } catch (e) {
      return String(res.status);
    }
  }
  // keyOf gives one Idempotency-Key per request content: a request sent
  // again after its answer was lost (a phone between cells) gets the first
  // answer instead of being done twice.
  const keys = new Map();
  function keyOf(what) {
    if (!keys.has(what)) {
      const b = crypto.getRandomValues(new Uint8Array(16));
      keys.set(what, Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(""));
    }
    return keys.get(what);
  }
  async function send(method, url, body) {
    try {
      const json = JSON.stringify(body);
      const res = await fetch(url, { method, headers: { "Content-Type": "application/json", Accept: "application/json",
        "Idempotency-Key": keyOf(method + " " + url + " " + json) }, body: json });
      if (res.status === 404) end();
      return { ok: res.ok, status: res.status, detail: res.ok ? "" : await problemDetail(res) };
    } catch (e) {
      return { ok: false, status: 0, detail: String(e) };
    }
  }

  // ---- live updates ------------------------------------------------------------------
  function live(on) {
    if (ended) return;
    const el = $("live");
    el.hidden = false;
    el.className = "live" + (on ? " on" : "");
    el.textContent = on ? t("live.on") : t("live.off");
  }
  function end() {
    if (ended) return;
    ended = true;
    $("live").hidden = true;
    const b = document.createElement("p");
    b.className = "banner";
    b.id = "ended";
    b.setAttribute("role", "alert");
    b.textContent = t("ended");
    document.querySelector("main").prepend(b);
    document.querySelectorAll("main form input, main form select, main form button, #fix-start").forEach((el) => { el.disabled = true; });
  }
  let source = null;
  function connect() {
    if (ended || !window.EventSource) return;
    source = new EventSource(base + "/events?lang=" + code);
    source.addEventListener("view", (e) => {
      live(true);
      view = JSON.parse(e.data);
      render(view);
    });
    source.addEventListener("end", () => { source.close(); end(); });
    source.onerror = () => {
      live(false);
      if (source.readyState === EventSource.CLOSED) {
        fetch(base, { headers: { Accept: "application/json" } }).then((r) => {
          if (r.status === 404) end();
          else setTimeout(connect, 5000);
        }).catch(() => setTimeout(connect, 5000));
      }
    };
  }

  localize(document);
  initMap();
  bindFix();
  bindChoice();
  bindReceipts();
  if (view) renderReceipts(view);
  if (view) {
    setInterval(() => { if (!ended) renderETA(view), localize($("eta")); }, 30000);
    connect();
  }
})();
