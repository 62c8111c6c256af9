// roadcover desk console: pages over the JSON API of spec/service.md.
// Plain JavaScript, no build step. The API token lives in sessionStorage.
"use strict";
(function () {
  const cfg = JSON.parse(document.body.dataset.config || "{}");
  const I = window.RC_I18N;
  const LANGS = cfg.languages || ["en", "de", "pt", "da", "sv"];
  let lang = pickLang();

  function pickLang() {
    const saved = localStorage.getItem("rc.lang");
    if (saved && LANGS.includes(saved)) return saved;
    for (const l of navigator.languages || []) {
      const p = l.slice(0, 2).toLowerCase();
      if (LANGS.includes(p)) return p;
    }
    return "en";
  }

  function t(key, vars) {
    let s = (I[lang] && I[lang][key]) || I.en[key];
    if (s === undefined) return key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split("{" + k + "}").join(String(v));
    return s;
  }
  // tc translates a code of a family (event.kind, dest …) or shows it plainly.
  function tc(family, code) {
    const k = family + "." + code;
    const s = (I[lang] && I[lang][k]) || I.en[k];
    return s || String(code).replace(/_/g, " ");
  }

  // h builds an element: h("p", {class: "x", onclick: f}, "text", child).
  function h(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "value") e.value = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of kids.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  const view = document.getElementById("view");
  function show(...nodes) {
    view.replaceChildren(...nodes.flat());
  }

  // ---- session -----------------------------------------------------------
  const session = {
    get token() { return sessionStorage.getItem("rc.token"); },
    get role() { return sessionStorage.getItem("rc.role") || ""; },
    set(token, role) {
      sessionStorage.setItem("rc.token", token);
      sessionStorage.setItem("rc.role", role || "");
    },
    clear() {
      sessionStorage.removeItem("rc.token");
      sessionStorage.removeItem("rc.role");
    },
  };

  // ---- API ---------------------------------------------------------------
  class ApiError extends Error {
    constructor(problem) {
      super(problem.detail || problem.title || "error");
      this.problem = problem;
    }
  }

  async function api(method, path, opts) {
    opts = opts || {};
    const base = path.startsWith("/console/") ? "" : cfg.api_base || "";
    const headers = Object.assign({ Accept: "application/json, application/problem+json" }, opts.headers || {});
    const token = opts.token || session.token;
    if (token) headers.Authorization = "Bearer " + token;
    let body;
    if (opts.body !== undefined) {
      headers["Content-Type"] = method === "PATCH" ? "application/merge-patch+json" : "application/json";
      body = JSON.stringify(opts.body);
    }
    let res;
    try {
      res = await fetch(base + path, { method, headers, body, cache: "no-store" });
    } catch (err) {
      throw new ApiError({ title: t("problem.network"), detail: String(err), status: 0 });
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
    if (!res.ok) {
      const p = data && typeof data === "object" ? data : { title: res.statusText, detail: text };
      if (!p.status) p.status = res.status;
      throw new ApiError(p);
    }
    return { data, status: res.status, etag: res.headers.get("ETag"), location: res.headers.get("Location") };
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  // problemBox shows an RFC 9457 problem document with every field it names;
  // a field that has an input in form gets its message next to that input.
  function problemBox(p, form) {
    if (form) clearFieldErrors(form);
    const errs = Array.isArray(p.errors) ? p.errors : [];
    const items = errs.map((e) => {
      let at = null;
      if (form && e.field) {
        const el = form.querySelector('[name="' + CSS.escape(e.field) + '"]');
        if (el) {
          el.classList.add("invalid");
          el.setAttribute("aria-invalid", "true");
          const holder = el.closest(".field") || el.parentElement;
          holder.append(h("span", { class: "field-error", "data-field": e.field }, e.detail));
          at = el;
        }
      }
      return h("li", { "data-field": e.field },
        h("code", {}, e.field || "—"), " ", e.detail || "",
        e.code && e.code !== "invalid_input" ? h("span", { class: "muted" }, " (" + e.code + ")") : null,
        at ? h("span", { class: "muted" }, " ← " + t("problem.atfield")) : null);
    });
    const meta = [];
    for (const k of ["type", "instance"]) if (p[k]) meta.push(h("dt", {}, k), h("dd", {}, h("code", {}, p[k])));
    return h("div", { class: "problem", role: "alert", "data-status": String(p.status || "") },
      h("div", { class: "problem-head" },
        h("strong", {}, (p.status ? p.status + " · " : "") + (p.title || t("problem"))),
        p.code ? h("code", { class: "code" }, p.code) : null),
      p.detail ? h("p", { class: "problem-detail" }, p.detail) : null,
      items.length ? h("ul", { class: "problem-errors" }, items) : null,
      meta.length ? h("dl", { class: "problem-meta" }, meta) : null);
  }
  function clearFieldErrors(form) {
    form.querySelectorAll(".field-error").forEach((e) => e.remove());
    form.querySelectorAll(".invalid").forEach((e) => { e.classList.remove("invalid"); e.removeAttribute("aria-invalid"); });
  }
  function failure(slot, err, form) {
    const p = err instanceof ApiError ? err.problem : { title: t("problem"), detail: String(err && err.message || err) };
    if (p.status === 401 && !form) { signOut(); return; }
    slot.replaceChildren(problemBox(p, form));
  }

  // ---- formatting ----------------------------------------------------------
  function fmtTime(s) {
    if (!s) return "";
    const d = new Date(s);
    if (isNaN(d)) return s;
    return d.toLocaleString(locale(), { dateStyle: "short", timeStyle: "short" });
  }
  function locale() { return { en: "en-GB", de: "de-DE", pt: "pt-PT", da: "da-DK", sv: "sv-SE" }[lang] || "en-GB"; }
  function fmtMoney(m) {
    if (!m) return "";
    const n = Number(m.amount);
    const num = isNaN(n) ? m.amount : n.toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return num + " " + m.currency;
  }
  function shortID(id) { return id ? id.slice(-8) : ""; }
  function pad(n) { return String(n).padStart(2, "0"); }
  function localInput(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function rfc3339(d) {
    const off = -d.getTimezoneOffset();
    const sign = off >= 0 ? "+" : "-";
    const a = Math.abs(off);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + sign + pad(Math.floor(a / 60)) + ":" + pad(a % 60);
  }
  function get(obj, path) {
    return path.split(".").reduce((o, k) => (o && typeof o === "object" ? o[k] : undefined), obj);
  }
  function setPath(obj, path, v) {
    const ks = path.split(".");
    let o = obj;
    for (const k of ks.slice(0, -1)) o = o[k] = o[k] && typeof o[k] === "object" ? o[k] : {};
    o[ks[ks.length - 1]] = v;
  }

  // ---- chrome --------------------------------------------------------------
  const langSelect = document.getElementById("lang-select");
  for (const l of LANGS) langSelect.append(h("option", { value: l }, I[l] ? I[l]["lang.name"] : l));
  langSelect.value = lang;
  langSelect.addEventListener("change", () => {
    lang = langSelect.value;
    localStorage.setItem("rc.lang", lang);
    route();
  });
  document.getElementById("sign-out").addEventListener("click", signOut);

  function chrome() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((e) => { e.textContent = t(e.dataset.i18n); });
    const signed = !!session.token;
    document.getElementById("nav").hidden = !signed;
    document.getElementById("sign-out").hidden = !signed;
    const who = document.getElementById("who");
    who.hidden = !signed;
    who.replaceChildren(signed ? h("span", {}, t("role") + ": ", h("strong", { id: "role" }, session.role ? tc("roles", session.role) : t("role.unknown"))) : "");
    document.getElementById("keys").textContent = signed ? t("keys") : "";
    const hash = location.hash || "#/cases";
    document.getElementById("nav-cases").classList.toggle("active", hash.startsWith("#/cases") || hash.startsWith("#/case/"));
    document.getElementById("nav-new").classList.toggle("active", hash.startsWith("#/new"));
    for (const p of pages) if (p.chrome) p.chrome(ui, signed, hash);
  }

  // Pages of other parts of the product register themselves in
  // window.RC_PAGES ({prefix, render(hash, ui), chrome(ui, signed, hash)},
  // claims.js) and draw with the console's helpers.
  const pages = window.RC_PAGES || [];
  const ui = { h, api, t, tc, show, failure, problemBox, fmtMoney, fmtTime, shortID, newKey, ApiError,
    lang: () => lang, locale, page: () => ++gen, current: (n) => n === gen };

  function signOut() {
    session.clear();
    location.hash = "#/signin";
    route();
  }

  // ---- routing -------------------------------------------------------------
  let stop = null; // cleanup of the current page (maps, timers)
  let gen = 0; // the newest page load; an older load that finishes late draws nothing
  async function route() {
    if (stop) { stop(); stop = null; }
    chrome();
    const hash = location.hash || "#/cases";
    if (!session.token) return signInPage();
    if (hash === "#/signin") { location.hash = "#/cases"; return; }
    if (hash.startsWith("#/case/")) return casePage(decodeURIComponent(hash.slice(7)));
    if (hash.startsWith("#/new")) return newCasePage();
    for (const p of pages) if (hash.startsWith(p.prefix)) return p.render(hash, ui);
    const q = new URLSearchParams(hash.split("?")[1] || "");
    return casesPage(q.get("after") || "", q.get("status") || "open");
  }
  window.addEventListener("hashchange", route);

  document.addEventListener("keydown", (ev) => {
    const tag = (ev.target.tagName || "").toLowerCase();
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ["input", "select", "textarea"].includes(tag) || !session.token) return;
    if (ev.key === "n") { location.hash = "#/new"; ev.preventDefault(); }
    else if (ev.key === "c") { location.hash = "#/cases"; ev.preventDefault(); }
    else if (ev.key === "r") { route(); ev.preventDefault(); }
    else if (ev.key === "j" || ev.key === "k") {
      const rows = Array.from(view.querySelectorAll("a.row-link"));
      if (!rows.length) return;
      let i = rows.indexOf(document.activeElement);
      i = ev.key === "j" ? Math.min(rows.length - 1, i + 1) : Math.max(0, i - 1);
      rows[i].focus();
      ev.preventDefault();
    }
  });

  // ---- sign in -------------------------------------------------------------
  function signInPage() {
    const slot = h("div", { class: "slot" });
    const input = h("input", { type: "password", name: "token", id: "token", autocomplete: "off", required: true, autofocus: true, placeholder: "rc_…" });
    const form = h("form", { class: "card narrow", id: "signin-form" },
      h("h1", {}, t("signin.title")),
      h("p", { class: "muted" }, t("signin.help")),
      h("label", { class: "field" }, h("span", {}, t("signin.token")), input),
      slot,
      h("button", { type: "submit", id: "signin-submit" }, t("signin.submit")));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const token = input.value.trim();
      slot.replaceChildren();
      try {
        let role = "";
        if (cfg.session) {
          role = (await api("GET", "/console/session", { token })).data.role;
        } else {
          await api("GET", "/v1/cases?limit=1", { token });
        }
        session.set(token, role);
        location.hash = "#/cases";
        route();
      } catch (err) {
        const p = err instanceof ApiError ? Object.assign({}, err.problem) : { title: String(err) };
        if ((p.status === 401 || p.status === 403) && !p.errors) p.errors = [{ field: "token", detail: p.detail || p.title }];
        slot.replaceChildren(problemBox(p, form));
      }
    });
    show(form);
    input.focus();
  }

  // ---- case list -----------------------------------------------------------
  const pageStack = [];
  async function casesPage(after, status) {
    const my = ++gen;
    const slot = h("div", { class: "slot" });
    const statusSel = h("select", { id: "status-filter", "aria-label": t("cases.status") },
      ["open", "closed", ""].map((s) => h("option", { value: s }, t("status." + (s || "all")))));
    statusSel.value = status === "all" ? "" : status;
    statusSel.addEventListener("change", () => {
      pageStack.length = 0;
      location.hash = "#/cases?status=" + (statusSel.value || "all");
    });
    const head = h("div", { class: "bar" },
      h("h1", {}, status === "open" ? t("cases.title") : t("nav.cases")),
      h("span", { class: "spacer" }),
      statusSel,
      h("button", { type: "button", class: "secondary", id: "refresh", onclick: () => route() }, t("refresh")),
      h("a", { class: "button", href: "#/new" }, "+ " + t("nav.new")));
    show(head, slot, h("p", { class: "muted" }, t("loading")));
    let res;
    try {
      const q = new URLSearchParams({ limit: "20" });
      if (status && status !== "all") q.set("status", status);
      if (after) q.set("after", after);
      res = await api("GET", "/v1/cases?" + q);
    } catch (err) {
      if (my !== gen) return;
      show(head, slot);
      return failure(slot, err);
    }
    if (my !== gen) return;
    const cases = res.data.cases || [];
    const rows = cases.map((c) => {
      const place = [c.country, c.place].filter(Boolean).join(" · ") || "—";
      const miss = (c.missing_information || []).length;
      return h("tr", { "data-case": c.id },
        h("td", {}, h("a", { class: "row-link", href: "#/case/" + encodeURIComponent(c.id) }, shortID(c.id))),
        h("td", {}, fmtTime(c.created_at)),
        h("td", {}, c.market || ""),
        h("td", {}, tc("event", c.event_kind || "")),
        h("td", {}, place),
        h("td", {}, c.registration || ""),
        h("td", {}, h("span", { class: "badge " + (c.covered ? "ok" : "bad") }, c.covered ? t("covered") : t("refused"))),
        h("td", {}, miss ? h("span", { class: "badge warn" }, t("cases.missing", { n: miss })) : "✓"),
        h("td", {}, tc("status", c.status)));
    });
    const table = cases.length
      ? h("table", { class: "list", id: "cases-table" },
        h("thead", {}, h("tr", {}, ["cases.case", "cases.created", "market", "event", "place", "caller", "decision", "cases.info", "cases.status"].map((k) => h("th", {}, t(k))))),
        h("tbody", {}, rows))
      : h("p", { class: "empty" }, t("cases.none"));
    const pager = h("div", { class: "bar" },
      pageStack.length ? h("button", { type: "button", class: "secondary", onclick: () => { const prev = pageStack.pop(); location.hash = "#/cases?status=" + (status || "all") + (prev ? "&after=" + encodeURIComponent(prev) : ""); } }, "← " + t("cases.newer")) : null,
      h("span", { class: "spacer" }),
      res.data.next ? h("button", { type: "button", class: "secondary", id: "older", onclick: () => { pageStack.push(after); location.hash = "#/cases?status=" + (status || "all") + "&after=" + encodeURIComponent(res.data.next); } }, t("cases.older") + " →") : null);
    show(head, slot, table, pager);
  }

  // ---- new case --------------------------------------------------------------
  const EVENT_KINDS = ["breakdown", "puncture", "traction_battery_empty", "battery_12v_flat", "out_of_fuel", "wrong_fuel",
    "contaminated_fuel", "locked_out", "key_lost", "key_broken", "accident", "attempted_theft", "vandalism", "theft", "fire"];
  const TRI = ["", "true", "false"];
  // Fields of the phone form: name is the dotted path in the case body.
  const FORM = [
    { section: "sec.call", fields: [
      { name: "market", type: "select", options: ["GB", "DE", "PT", "DK"], required: true },
      { name: "language", type: "select", options: ["en", "de", "pt", "da", "sv"] },
      { name: "occurred_at", type: "datetime", required: true },
      { name: "reported_at", type: "datetime", required: true },
      { name: "contact.channel", type: "select", options: ["phone", "on_call", "app", "none"], family: "channel" },
      { name: "contact.name" }, { name: "contact.phone", input: "tel" }, { name: "contact.email", input: "email" },
      { name: "contact.address", wide: true },
    ] },
    { section: "sec.event", fields: [
      { name: "event.kind", type: "select", options: EVENT_KINDS, required: true, family: "event" },
      { name: "event.immobilised", type: "bool" },
      { name: "event.cause", type: "select", options: ["", "none", "lack_of_maintenance", "competition", "deliberate_offence", "force_majeure", "other_warranty_or_liability"], family: "cause" },
      { name: "event.description", wide: true },
    ] },
    { section: "sec.place", fields: [
      { name: "location.lat", type: "number", step: "any" }, { name: "location.lon", type: "number", step: "any" },
      { name: "location.country", type: "country" }, { name: "location.description" },
      { name: "home.country", type: "country" },
      { name: "trip", type: "select", options: ["", "domestic", "outbound", "homebound"], family: "trip" },
      { name: "distances_km.home", type: "number", step: "any" },
      { name: "distances_km.regular_workshop", type: "number", step: "any" },
      { name: "distances_km.workshop_to_customer", type: "number", step: "any" },
      { name: "requested_regular_workshop", type: "bool" },
    ] },
    { section: "sec.vehicle", fields: [
      { name: "vehicle.registration" }, { name: "vehicle.vin" },
      { name: "vehicle.model", type: "select", options: ["", "Polestar 1", "Polestar 2", "Polestar 3", "Polestar 4"] },
      { name: "vehicle.colour" }, { name: "vehicle.first_registered", input: "date" },
      { name: "vehicle.use", type: "select", options: ["", "private", "taxi", "rental", "police", "ambulance", "driving_school", "emergency"], family: "use" },
      { name: "customer.vat_registered", type: "bool" },
    ] },
    { section: "sec.people", fields: [
      { name: "people.passengers", type: "int" }, { name: "people.pets", type: "int" },
      { name: "trailer", type: "select", options: ["", "none", "caravan", "trailer", "horsebox"], family: "trailer" },
      { name: "livestock", type: "bool" },
    ] },
    { section: "sec.repair", fields: [
      { name: "repair.roadside_possible", type: "bool" }, { name: "repair.same_day_within_4h", type: "bool" },
      { name: "repair.working_days_needed", type: "int" }, { name: "repair.hours_needed", type: "number", step: "any" },
      { name: "train_hours_to_workshop", type: "number", step: "any" },
    ] },
  ];

  function fieldInput(f) {
    let el;
    if (f.type === "select" || f.type === "bool") {
      const opts = f.type === "bool" ? TRI : f.options;
      el = h("select", { name: f.name, id: "f-" + f.name, required: f.required },
        opts.map((o) => h("option", { value: o }, o === "" ? t("unknown") : f.type === "bool" ? t(o === "true" ? "yes" : "no") : f.family ? tc(f.family, o) : o)));
    } else {
      const type = { number: "number", int: "number", datetime: "datetime-local" }[f.type] || f.input || "text";
      el = h("input", { name: f.name, id: "f-" + f.name, type, step: f.type === "int" ? "1" : f.step, min: f.type === "int" || f.name.startsWith("distances_km") || f.name.startsWith("repair.") ? "0" : null,
        required: f.required, maxlength: f.type === "country" ? "2" : null, placeholder: f.type === "country" ? "DE" : null,
        autocomplete: "off", class: f.type === "country" ? "upper" : null });
    }
    return h("label", { class: "field" + (f.wide ? " wide" : "") }, h("span", {}, t("f." + f.name)), el);
  }

  function newCasePage() {
    const slot = h("div", { class: "slot", id: "form-problem" });
    const form = h("form", { id: "new-case", class: "card", novalidate: true },
      h("div", { class: "bar" }, h("h1", {}, t("new.title")), h("span", { class: "spacer" }), h("span", { class: "muted" }, t("new.help"))),
      FORM.map((s) => h("fieldset", {}, h("legend", {}, t(s.section)), h("div", { class: "grid" }, s.fields.map(fieldInput)))),
      slot,
      h("div", { class: "bar" }, h("span", { class: "spacer" }), h("button", { type: "submit", id: "create-case" }, t("new.submit"))));
    form.dataset.key = newKey();
    const now = new Date();
    const els = form.elements;
    els["market"].value = localStorage.getItem("rc.market") || "DE";
    els["language"].value = lang;
    els["occurred_at"].value = localInput(now);
    els["reported_at"].value = localInput(now);
    els["contact.channel"].value = "phone";
    els["event.immobilised"].value = "true";
    els["event.cause"].value = "none";
    // A changed form is a new request: a new Idempotency-Key.
    form.addEventListener("input", () => { form.dataset.key = newKey(); });
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      slot.replaceChildren();
      clearFieldErrors(form);
      const body = {};
      for (const s of FORM) for (const f of s.fields) {
        const raw = String(els[f.name].value).trim();
        if (raw === "") continue;
        let v = raw;
        if (f.type === "number") v = Number(raw);
        else if (f.type === "int") v = Number.isInteger(Number(raw)) ? Number(raw) : raw;
        else if (f.type === "bool") v = raw === "true";
        else if (f.type === "datetime") v = rfc3339(new Date(raw));
        else if (f.type === "country") v = raw.toUpperCase();
        setPath(body, f.name, v);
      }
      body.intake = { channel: "desk-console", activation: "phone" };
      const btn = document.getElementById("create-case");
      btn.disabled = true;
      try {
        const res = await api("POST", "/v1/cases?lang=" + lang, { body, headers: { "Idempotency-Key": form.dataset.key } });
        localStorage.setItem("rc.market", body.market);
        location.hash = "#/case/" + encodeURIComponent(res.data.id);
      } catch (err) {
        failure(slot, err, form);
        slot.scrollIntoView({ block: "nearest" });
      } finally {
        btn.disabled = false;
      }
    });
    show(form);
    els["market"].focus();
  }

  // ---- case page -------------------------------------------------------------
  const GROUPS = [
    { key: "onspot", match: (e) => ["jump_start", "fuel_delivery", "lock_opening", "spare_key_delivery", "tyre_repair_kit", "roadside_repair"].includes(e.code) },
    { key: "tow", match: (e) => e.code === "tow" },
    { key: "further", choice: "further_assistance", match: (e) => e.choose_one === "further_assistance" || e.code === "taxi_transfer" },
    { key: "collection", choice: "collection", match: (e) => e.choose_one === "collection" || /^collection_/.test(e.code) },
    { key: "repatriation", choice: "repatriation_alternative", match: (e) => e.code === "repatriation" || e.choose_one === "repatriation_alternative" },
    { key: "extras", match: (e) => ["trailer_recovery", "livestock_to_safety"].includes(e.code) },
    { key: "other", match: () => true },
  ];
  const MISSING = {
    name: ["contact.name"], address: ["contact.address"], registration: ["vehicle.registration"], vin: ["vehicle.vin"],
    model: ["vehicle.model"], colour: ["vehicle.colour"], location: ["location.country", "location.lat", "location.lon"],
    coordinates: ["location.lat", "location.lon"], description: ["event.description"], phone_or_email: ["contact.phone", "contact.email"],
  };

  async function casePage(id) {
    const my = ++gen;
    const slot = h("div", { class: "slot", id: "case-problem" });
    show(h("p", { class: "muted" }, t("loading")));
    let res, events;
    try {
      [res, events] = await Promise.all([
        api("GET", "/v1/cases/" + encodeURIComponent(id) + "?lang=" + encodeURIComponent(lang)),
        api("GET", "/v1/cases/" + encodeURIComponent(id) + "/events").then((r) => r.data.events || []).catch(() => null),
      ]);
    } catch (err) {
      if (my !== gen) return;
      show(h("h1", {}, t("case") + " " + shortID(id)), slot);
      return failure(slot, err);
    }
    const c = res.data;
    const etag = res.etag || '"' + c.version + '"';
    const d = c.decision || {};
    // The stored decision comes in the operator's language (?lang=): shown
    // again from what it stores, never decided again.
    const texts = null;
    if (my !== gen) return;
    if (stop) { stop(); stop = null; }
    renderCase(c, etag, d, texts, events);
  }

  function textOf(list, item, i) {
    if (!list) return item.text;
    const same = list[i] && list[i].code === item.code ? list[i] : list.find((x) => x.code === item.code);
    return same ? same.text : item.text;
  }

  function renderCase(c, etag, d, texts, events) {
    const f = c.facts || {};
    const ents = d.entitlements || [];
    const refusals = d.refusals || [];
    const chosen = {};
    for (const ch of c.choices || []) chosen[ch.group] = ch;
    const open = c.status === "open";

    const header = h("div", { class: "case-head" },
      h("div", {},
        h("h1", {}, t("case") + " ", h("span", { class: "mono", title: c.id }, shortID(c.id)),
          " ", h("span", { class: "badge " + (open ? "info" : "muted") }, tc("status", c.status))),
        h("p", { class: "facts-line" },
          [f.market, tc("event", get(f, "event.kind") || ""), get(f, "vehicle.model"), get(f, "vehicle.registration"),
            get(f, "contact.name"), get(f, "contact.phone")].filter(Boolean).join(" · ")),
        h("p", { class: "muted small" }, t("terms") + ": ", h("code", {}, c.terms_id || (d.terms && d.terms.id) || "—"),
          " · " + t("cases.created") + " " + fmtTime(c.created_at) + " · " + t("updated") + " " + fmtTime(c.updated_at) + " · v" + c.version)),
      h("span", { class: "spacer" }),
      h("a", { class: "button secondary", href: "#/cases" }, "← " + t("nav.cases")));

    // The verdict.
    const hard = refusals.filter((r) => r.code !== "location_unverified");
    const notes = refusals.filter((r) => r.code === "location_unverified");
    const verdict = h("section", { class: "verdict " + (d.covered ? "covered" : "refused"), id: "verdict" },
      h("div", { class: "verdict-word" }, d.covered ? "✓ " + t("covered") : "✗ " + t("refused")),
      h("div", { class: "verdict-sub" }, d.place ? [t("place") + ": " + (d.place.country || "?") + (d.place.zone ? " (" + d.place.zone + ")" : ""),
        d.place.abroad ? " · " + t("abroad") : "", d.place.trip ? " · " + tc("trip", d.place.trip) : ""] : ""),
      (hard.length || notes.length) ? h("ul", { class: "refusals", id: "refusals" }, refusals.map((r) => {
        const i = refusals.indexOf(r);
        return h("li", { "data-code": r.code, class: r.code === "location_unverified" ? "note" : "" },
          h("code", {}, r.code), " ", h("span", { class: "clause" }, "§ " + r.clause), " ", textOf(texts && texts.refusals, r, i));
      })) : null);

    // Entitlements in groups.
    const choiceSlots = {};
    const placed = new Set();
    const groups = GROUPS.map((g) => {
      const mine = ents.filter((e) => !placed.has(e) && g.match(e));
      mine.forEach((e) => placed.add(e));
      if (!mine.length) return null;
      const slot = h("div", { class: "slot" });
      if (g.choice) choiceSlots[g.choice] = slot;
      const has = g.choice && chosen[g.choice];
      return h("section", { class: "group", "data-group": g.key },
        h("h2", {}, t("group." + g.key),
          g.choice && mine.some((e) => e.choose_one) ? h("span", { class: "badge warn" }, t("chooseone")) : null,
          has ? h("span", { class: "badge ok", "data-chosen": has.code }, t("chosen") + ": " + tc("ent", has.code)) : null),
        mine.map((e) => entCard(e, ents.indexOf(e), texts, chosen, open, c.id)),
        slot);
    }).filter(Boolean);

    const entSection = h("section", { class: "entitlements", id: "entitlements" },
      ents.length ? groups : h("p", { class: "empty" }, d.covered ? t("ents.none") : t("ents.refused")));

    const notCovered = (d.not_covered || []).length
      ? h("section", { class: "card small" }, h("h3", {}, t("notcovered")), h("p", {}, d.not_covered.map((n) => h("span", { class: "chip" }, tc("nc", n)))))
      : null;

    const interp = ((texts && texts.interpretations) || d.interpretations || []);
    const interpretations = interp.length
      ? h("details", { class: "card small", id: "interpretations" }, h("summary", {}, t("interpretations") + " (" + interp.length + ")"),
        h("ul", {}, interp.map((s) => h("li", {}, s))))
      : null;

    const left = h("div", { class: "col-main" }, verdict, entSection, notCovered, missingForm(c, etag, f), interpretations);
    const right = h("div", { class: "col-side" },
      h("section", { class: "card" }, h("h3", {}, t("map")), h("div", { id: "map", class: "map" }), h("p", { class: "muted small", id: "map-note" })),
      actionsCard(c), jobsCard(c, ents), timelineCard(events));
    show(header, h("div", { class: "slot", id: "case-problem" }), h("div", { class: "case-grid" }, left, right));

    // Choice buttons send their problem into their group's slot.
    view.querySelectorAll("button[data-choose]").forEach((b) => b.addEventListener("click", async () => {
      const group = b.dataset.group, code = b.dataset.choose;
      const slot = choiceSlots[group] || document.getElementById("case-problem");
      slot.replaceChildren();
      b.disabled = true;
      try {
        await api("POST", "/v1/cases/" + encodeURIComponent(c.id) + "/choices", { body: { group, code }, headers: { "Idempotency-Key": newKey() } });
        await casePage(c.id);
      } catch (err) {
        b.disabled = false;
        failure(slot, err);
      }
    }));
    stop = drawMap(c, d, ents);
  }

  function entCard(e, i, texts, chosen, open, caseID) {
    const facts = [];
    const add = (k, v) => { if (v !== undefined && v !== null && v !== "") facts.push(h("dt", {}, t(k)), h("dd", {}, v)); };
    if (e.destination) add("e.destination", tc("dest", e.destination));
    if (e.site) add("e.site", [h("strong", { class: "site-name" }, e.site.name || e.site.id),
      e.site.distance_km !== undefined ? " · " + Number(e.site.distance_km).toLocaleString(locale(), { maximumFractionDigits: 1 }) + " km" : ""]);
    if (e.regular_workshop) add("e.regular", [e.regular_workshop.name || e.regular_workshop.id,
      e.regular_workshop.distance_km !== undefined ? " · " + Number(e.regular_workshop.distance_km).toLocaleString(locale(), { maximumFractionDigits: 1 }) + " km" : ""]);
    if (e.limit) add("e.limit", [h("strong", { class: "money" }, fmtMoney(e.limit)), e.limit.per ? " / " + tc("per", e.limit.per) : ""]);
    if (e.total_limit) add("e.total", h("strong", { class: "money" }, fmtMoney(e.total_limit)));
    if (e.local_equivalent) add("e.local", e.local_equivalent.rate_known
      ? e.local_equivalent.amount + " " + e.local_equivalent.currency + (e.local_equivalent.total_amount ? " (" + e.local_equivalent.total_amount + ")" : "") + " · " + t("rate") + " " + e.local_equivalent.rate + " (" + e.local_equivalent.rate_published + ")"
      : e.local_equivalent.currency + ": " + t("e.norate"));
    if (e.persons) add("e.persons", e.persons);
    if (e.max_nights) add("e.nights", e.max_nights);
    if (e.max_days) add("e.days", e.max_days + (e.day_kind ? " " + tc("daykind", e.day_kind) : ""));
    if (e.until) add("e.until", e.until);
    if (e.applies_to) add("e.applies", e.applies_to.map((a) => tc("applies", a)).join(", "));
    if (e.includes_local_rental !== undefined) add("e.incrental", t(e.includes_local_rental ? "yes" : "no"));
    const mine = e.choose_one && chosen[e.choose_one];
    const isChosen = mine && mine.code === e.code;
    let btn = null;
    if (e.choose_one && open && !isChosen) {
      btn = h("button", { type: "button", class: mine ? "secondary" : "", "data-choose": e.code, "data-group": e.choose_one },
        mine ? t("choose.instead") : t("choose"));
    }
    return h("article", { class: "ent" + (isChosen ? " chosen" : ""), "data-code": e.code },
      h("div", { class: "ent-head" },
        h("span", { class: "ent-code" }, tc("ent", e.code)),
        h("span", { class: "clause" }, "§ " + e.clause),
        isChosen ? h("span", { class: "badge ok" }, "✓ " + t("chosen")) : null,
        h("span", { class: "spacer" }), btn),
      h("p", { class: "ent-text" }, textOf(texts && texts.entitlements, e, i)),
      facts.length ? h("dl", { class: "ent-facts" }, facts) : null);
  }

  function missingForm(c, etag, f) {
    const miss = c.missing_information || [];
    if (!miss.length) return h("section", { class: "card small", id: "missing" }, h("h3", {}, t("missing.title")), h("p", { class: "ok-text" }, "✓ " + t("missing.none")));
    const slot = h("div", { class: "slot" });
    const rows = [];
    for (const m of miss) {
      const paths = MISSING[m] || [];
      rows.push(h("div", { class: "check", "data-missing": m },
        h("span", { class: "box" }, "☐"), h("strong", {}, tc("missing", m)),
        h("div", { class: "grid" }, paths.map((p) => h("label", { class: "field" }, paths.length > 1 ? h("span", {}, t("f." + p)) : null,
          h("input", { name: p, "aria-label": t("f." + p), type: p.endsWith(".lat") || p.endsWith(".lon") ? "number" : p === "contact.email" ? "email" : "text", step: "any", autocomplete: "off",
            class: p.endsWith("country") ? "upper" : null, maxlength: p.endsWith("country") ? "2" : null, value: get(f, p) === undefined ? "" : String(get(f, p)) }))))));
    }
    const form = h("form", { class: "card", id: "missing-form" },
      h("h3", {}, t("missing.title"), " ", h("span", { class: "badge warn" }, String(miss.length))),
      h("p", { class: "muted small" }, t("missing.help")),
      rows, slot,
      isOpen(c) ? h("button", { type: "submit", id: "save-missing" }, t("missing.save")) : null);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      slot.replaceChildren();
      const patch = {};
      for (const el of form.querySelectorAll("input[name]")) {
        const raw = el.value.trim();
        if (raw === "" || String(get(f, el.name) ?? "") === raw) continue;
        let v = raw;
        if (el.type === "number") v = Number(raw);
        else if (el.name.endsWith("country")) v = raw.toUpperCase();
        setPath(patch, el.name, v);
      }
      if (!Object.keys(patch).length) {
        slot.replaceChildren(h("p", { class: "muted" }, t("missing.nothing")));
        return;
      }
      try {
        await api("PATCH", "/v1/cases/" + encodeURIComponent(c.id) + "?lang=" + lang, { body: patch, headers: { "If-Match": etag } });
        await casePage(c.id);
      } catch (err) {
        failure(slot, err, form);
        if (err instanceof ApiError && err.problem.status === 412) {
          slot.append(h("button", { type: "button", class: "secondary", onclick: () => casePage(c.id) }, t("reload")));
        }
      }
    });
    return form;
  }
  function isOpen(c) { return c.status === "open"; }

  function actionsCard(c) {
    const slot = h("div", { class: "slot", id: "link-slot" });
    const linkBtn = h("button", { type: "button", id: "make-link" }, t("link.create"));
    linkBtn.addEventListener("click", async () => {
      slot.replaceChildren();
      try {
        const r = await api("POST", "/v1/cases/" + encodeURIComponent(c.id) + "/tracking-links", { body: { expires_in_hours: 48 }, headers: { "Idempotency-Key": newKey() } });
        const url = r.data.url;
        const input = h("input", { type: "text", readonly: true, value: url, id: "tracking-url", class: "mono" });
        slot.replaceChildren(h("label", { class: "field wide" }, h("span", {}, t("link.url") + " · " + t("link.expires") + " " + fmtTime(r.data.expires_at)), input),
          h("button", { type: "button", class: "secondary", onclick: () => { input.select(); navigator.clipboard && navigator.clipboard.writeText(url).catch(() => {}); } }, t("copy")));
        input.focus();
        input.select();
      } catch (err) { failure(slot, err); }
    });
    const closeSlot = h("div", { class: "slot" });
    const reason = h("input", { type: "text", name: "reason", placeholder: t("close.reason"), autocomplete: "off" });
    const closeForm = h("form", { class: "inline", id: "status-form" }, h("label", { class: "field" }, h("span", {}, t("close.reason")), reason),
      h("button", { type: "submit", class: "secondary" }, isOpen(c) ? t("close") : t("reopen")), closeSlot);
    closeForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        await api("POST", "/v1/cases/" + encodeURIComponent(c.id) + (isOpen(c) ? "/close" : "/reopen"), { body: { reason: reason.value }, headers: { "Idempotency-Key": newKey() } });
        await casePage(c.id);
      } catch (err) { failure(closeSlot, err, closeForm); }
    });
    return h("section", { class: "card" }, h("h3", {}, t("actions")), h("div", { class: "bar" }, linkBtn), slot, closeForm);
  }

  function jobsCard(c, ents) {
    const jobs = c.jobs || [];
    const slot = h("div", { class: "slot" });
    const kind = h("select", { name: "kind" }, ["tow", "roadside", "transport"].map((k) => h("option", { value: k }, tc("job", k))));
    kind.value = ents.some((e) => e.code === "tow") ? "tow" : "roadside";
    const partner = h("input", { name: "partner", type: "text", required: true, autocomplete: "off", placeholder: "sample-towing" });
    const form = h("form", { class: "inline", id: "job-form" },
      h("label", { class: "field" }, h("span", {}, t("job.kind")), kind),
      h("label", { class: "field" }, h("span", {}, t("job.partner")), partner),
      h("button", { type: "submit" }, t("job.create")), slot);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      slot.replaceChildren();
      const body = { kind: kind.value, partner: partner.value.trim() };
      const tow = ents.find((e) => e.code === "tow");
      if (body.kind === "tow" && tow && tow.site) body.destination = { site_id: tow.site.id, name: tow.site.name };
      try {
        await api("POST", "/v1/cases/" + encodeURIComponent(c.id) + "/jobs", { body, headers: { "Idempotency-Key": newKey() } });
        await casePage(c.id);
      } catch (err) { failure(slot, err, form); }
    });
    return h("section", { class: "card", id: "jobs" }, h("h3", {}, t("jobs")),
      jobs.length ? h("table", { class: "list compact" }, h("tbody", {}, jobs.map((j) => h("tr", { "data-job": j.id },
        h("td", {}, tc("job", j.kind)), h("td", {}, j.partner),
        h("td", {}, h("span", { class: "badge " + (j.status === "FAILED" ? "bad" : j.status === "COMPLETED" ? "ok" : "info") }, tc("jobstatus", j.status) + (j.failure ? ": " + tc("failure", j.failure) : ""))),
        h("td", {}, j.eta ? t("eta") + " " + fmtTime(j.eta) : ""))))) : h("p", { class: "muted small" }, t("jobs.none")),
      isOpen(c) ? form : null);
  }

  function timelineCard(events) {
    if (events === null) return h("section", { class: "card" }, h("h3", {}, t("timeline")), h("p", { class: "muted" }, t("timeline.unavailable")));
    return h("section", { class: "card", id: "timeline" }, h("h3", {}, t("timeline")),
      h("ol", { class: "timeline" }, events.slice().reverse().map((ev) => h("li", { "data-kind": ev.kind },
        h("span", { class: "when" }, fmtTime(ev.at)),
        h("strong", {}, tc("ev", ev.kind)),
        h("span", { class: "muted" }, " · " + tc("roles", ev.actor && ev.actor.role || "")),
        h("div", { class: "what" }, eventSummary(ev))))));
  }
  function eventSummary(ev) {
    const d = ev.data || {};
    switch (ev.kind) {
      case "decided": return (d.decision_no ? "#" + d.decision_no + " " : "") + (d.covered ? t("covered") : t("refused")) +
        (d.entitlements && d.entitlements.length ? ": " + d.entitlements.join(", ") : "") +
        (d.gained && d.gained.length ? " · + " + d.gained.join(", ") : "") + (d.lost && d.lost.length ? " · − " + d.lost.join(", ") : "");
      case "choice_made": return d.group + " → " + d.code + (d.clause ? " (§ " + d.clause + ")" : "");
      case "facts_patched": return Object.keys(d.patch || {}).join(", ");
      case "closed": case "reopened": return d.reason || "";
      case "tracking_link_created": return t("link.expires") + " " + fmtTime(d.expires_at);
      case "job_created": case "job_updated": return [d.kind && tc("job", d.kind), d.partner, d.status && tc("jobstatus", d.status)].filter(Boolean).join(" · ");
      case "created": return (d.filled_from_intake ? d.filled_from_intake.join(", ") : "");
      default: {
        const s = JSON.stringify(d);
        return s.length > 120 ? s.slice(0, 117) + "…" : s;
      }
    }
  }

  // ---- map -------------------------------------------------------------------
  function drawMap(c, d, ents) {
    const el = document.getElementById("map");
    const note = document.getElementById("map-note");
    if (!window.L || !el) return null;
    const map = L.map(el, { zoomControl: true, attributionControl: true, worldCopyJump: true });
    if (cfg.tile_url) {
      L.tileLayer(cfg.tile_url, { attribution: cfg.tile_attribution || "", maxZoom: 19 }).addTo(map);
    } else {
      el.classList.add("no-tiles");
      map.attributionControl.addAttribution(t("map.notiles"));
    }
    const grid = L.layerGroup().addTo(map);
    let gridStep = 0;
    function setNote() {
      if (gridStep) note.textContent = t(borders && borders.drawn() ? "map.outlines" : "map.grid", { step: String(+gridStep.toFixed(2)) + "°" });
    }
    const borders = cfg.tile_url ? null : countryOutlines(map, setNote);
    function graticule() {
      if (cfg.tile_url) return;
      if (borders) borders.update();
      grid.clearLayers();
      const z = map.getZoom();
      const step = z < 3 ? 20 : z < 5 ? 10 : z < 7 ? 2 : z < 9 ? 0.5 : z < 11 ? 0.1 : 0.02;
      const b = map.getBounds().pad(0.5);
      const s = Math.max(-85, Math.floor(b.getSouth() / step) * step), n = Math.min(85, Math.ceil(b.getNorth() / step) * step);
      const w = Math.floor(b.getWest() / step) * step, e = Math.ceil(b.getEast() / step) * step;
      const style = { color: "#9db0c4", weight: 1, opacity: 0.7, interactive: false };
      for (let lat = s; lat <= n + 1e-9; lat += step) grid.addLayer(L.polyline([[lat, w], [lat, e]], style));
      for (let lon = w; lon <= e + 1e-9; lon += step) grid.addLayer(L.polyline([[s, lon], [n, lon]], style));
      gridStep = step;
      setNote();
    }
    const f = c.facts || {};
    const pts = [];
    function mark(lat, lon, color, label) {
      if (typeof lat !== "number" || typeof lon !== "number") return;
      const m = L.circleMarker([lat, lon], { radius: 8, color: "#fff", weight: 2, fillColor: color, fillOpacity: 1 }).addTo(map);
      m.bindTooltip(label, { permanent: true, direction: "right", offset: [8, 0], className: "map-label" });
      pts.push([lat, lon]);
      return m;
    }
    const intake = c.intake || {};
    const track = (intake.position && intake.position.track) || [];
    if (track.length) L.polyline(track.map((p) => [p.lat, p.lon]), { color: "#c2410c", weight: 3, dashArray: "4 4" }).addTo(map);
    const carLat = get(f, "location.lat") ?? get(intake, "position.lat"), carLon = get(f, "location.lon") ?? get(intake, "position.lon");
    mark(carLat, carLon, "#dc2626", t("map.car"));
    mark(get(f, "home.lat"), get(f, "home.lon"), "#2563eb", t("map.home"));
    mark(get(f, "regular_workshop.lat"), get(f, "regular_workshop.lon"), "#7c3aed", t("map.regular") + (get(f, "regular_workshop.name") ? ": " + f.regular_workshop.name : ""));
    const siteIDs = [...new Set(ents.filter((e) => e.site && e.site.id).map((e) => e.site.id))];
    function fit() {
      if (pts.length === 1) map.setView(pts[0], 9);
      else if (pts.length > 1) map.fitBounds(pts, { padding: [30, 30], maxZoom: 11 });
      else { map.setView([54, 10], 3); note.textContent = t("map.nopos"); }
      graticule();
    }
    fit();
    map.on("moveend", graticule);
    if (cfg.sites && siteIDs.length) {
      Promise.all(siteIDs.map((id) => api("GET", "/console/sites/" + encodeURIComponent(id)).then((r) => r.data).catch(() => null))).then((sites) => {
        for (const s of sites) if (s && s.position) mark(s.position.lat, s.position.lon, "#16a34a", s.name);
        fit();
      });
    }
    return () => { if (borders) borders.stop(); map.remove(); };
  }

  // countryOutlines draws the embedded country borders (GET /console/outlines)
  // as a light layer under the markers when no tile server is configured. The
  // box asked for is the view grown by half its span on each side and rounded
  // outwards to a power-of-two grid, so that small moves ask for the same URL:
  // answers are kept per URL here and by the browser's HTTP cache.
  function countryOutlines(map, onDrawn) {
    const el = map.getContainer();
    const pane = map.createPane("outlines");
    pane.style.zIndex = 350; // over the tiles' place (200), under overlays and markers (400)
    pane.style.pointerEvents = "none";
    const layer = L.geoJSON(null, {
      pane: "outlines",
      interactive: false,
      style: (f) => f.properties.zone
        ? { className: "outline outline-" + f.properties.country + " zone-" + f.properties.zone, color: "#64748b", weight: 1, dashArray: "3 3", fill: false }
        : { className: "outline outline-" + f.properties.country, color: "#4b5563", weight: 1.5, fillColor: "#f7f5ef", fillOpacity: 1 },
    });
    const cache = new Map(); // url → Promise of a FeatureCollection
    let shown = "", wanted = "", timer = null, stopped = false;
    function boxURL() {
      const b = map.getBounds();
      const span = Math.max(b.getEast() - b.getWest(), b.getNorth() - b.getSouth());
      let step = 1 / 256;
      while (step < span / 4 && step < 45) step *= 2;
      const pad = span / 2; // one step of zooming out stays inside the box
      const w = Math.max(-180, Math.floor((b.getWest() - pad) / step) * step);
      const e = Math.min(180, Math.ceil((b.getEast() + pad) / step) * step);
      const s = Math.max(-90, Math.floor((b.getSouth() - pad) / step) * step);
      const n = Math.min(90, Math.ceil((b.getNorth() + pad) / step) * step);
      if (!(w < e && s < n)) return "";
      return "/console/outlines?bbox=" + [w, s, e, n].join(",");
    }
    function load() {
      timer = null;
      const url = boxURL();
      if (!url || url === shown || stopped) return;
      wanted = url;
      if (!cache.has(url)) {
        if (cache.size > 32) cache.clear();
        cache.set(url, fetch(url, { headers: { Accept: "application/geo+json" } })
          .then((res) => (res.ok ? res.json() : Promise.reject(new Error("outlines: HTTP " + res.status)))));
      }
      cache.get(url).then((fc) => {
        if (stopped || url !== wanted) return;
        layer.clearLayers();
        layer.addData(fc);
        if (!map.hasLayer(layer)) {
          layer.options.attribution = fc.attribution; // the data's licence: shown while the layer is on the map
          layer.addTo(map);
        }
        shown = url;
        el.dataset.outlines = url;
        onDrawn();
      }).catch(() => { cache.delete(url); });
    }
    return {
      update() { clearTimeout(timer); timer = setTimeout(load, shown ? 200 : 0); },
      drawn() { return shown !== ""; },
      stop() { stopped = true; clearTimeout(timer); },
    };
  }

  route();
})();
