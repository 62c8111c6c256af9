// roadcover desk console: the operator's desk over the JSON API of
// spec/service.md. Plain JavaScript, no build step. An operator signs in
// with an email and a password: the session lives in an HttpOnly cookie,
// and every change carries the session's request token (X-CSRF-Token).
"use strict";
(function () {
  const cfg = JSON.parse(document.body.dataset.config || "{}");
  const I = window.RC_I18N;
  const LANGS = cfg.languages || ["en", "de", "pt", "da", "sv"];
  const MARKETS = { GB: "en", DE: "de", PT: "pt", DK: "da" };
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

  // ---- session -------------------------------------------------------------
  // me is GET /v1/session of the signed-in account (its request token
  // included); it lives in this page only, the cookie does the rest.
  let me = null;
  // The pages in their own files (receipts.js, claims.js) send their
  // changes with the session's request token through this.
  window.RC_SESSION = { csrf: () => (me && me.csrf_token) || "", role: () => (me && me.role) || "" };
  let oneTimePassword = ""; // typed at sign-in while a password change is due
  let accounts = null; // id → account, for owners and actors

  // ---- API -----------------------------------------------------------------
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
    if (method !== "GET" && me && me.csrf_token) headers["X-CSRF-Token"] = me.csrf_token;
    let body;
    if (opts.body !== undefined) {
      headers["Content-Type"] = method === "PATCH" && path.startsWith("/v1/cases/") ? "application/merge-patch+json" : "application/json";
      body = JSON.stringify(opts.body);
    }
    let res;
    try {
      res = await fetch(base + path, { method, headers, body, cache: "no-store", credentials: "same-origin" });
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
  // a field that has an input in form gets its message next to that input
  // (a closed <details> holding it opens).
  function problemBox(p, form) {
    if (form) clearFieldErrors(form);
    const errs = Array.isArray(p.errors) ? p.errors : [];
    let first = null;
    const items = errs.map((e) => {
      let at = null;
      if (form && e.field) {
        const el = form.querySelector('[name="' + CSS.escape(e.field) + '"]');
        if (el) {
          el.classList.add("invalid");
          el.setAttribute("aria-invalid", "true");
          const holder = el.closest(".field") || el.parentElement;
          const msgID = "err-" + e.field.replace(/[^a-z0-9]/gi, "-");
          holder.append(h("span", { class: "field-error", id: msgID, "data-field": e.field }, e.detail));
          el.setAttribute("aria-describedby", msgID);
          const d = el.closest("details");
          if (d) d.open = true;
          at = el;
          first = first || el;
        }
      }
      return h("li", { "data-field": e.field },
        h("code", {}, e.field || "—"), " ", e.detail || "",
        e.code && e.code !== "invalid_input" ? h("span", { class: "muted" }, " (" + e.code + ")") : null,
        at ? h("span", { class: "muted" }, " ← " + t("problem.atfield")) : null);
    });
    const meta = [];
    for (const k of ["type", "instance"]) if (p[k]) meta.push(h("dt", {}, k), h("dd", {}, h("code", {}, p[k])));
    const box = h("div", { class: "problem", role: "alert", "data-status": String(p.status || "") },
      h("div", { class: "problem-head" },
        h("strong", {}, (p.status ? p.status + " · " : "") + (p.title || t("problem"))),
        p.code ? h("code", { class: "code" }, p.code) : null),
      p.detail ? h("p", { class: "problem-detail" }, p.detail) : null,
      items.length ? h("ul", { class: "problem-errors" }, items) : null,
      meta.length ? h("dl", { class: "problem-meta" }, meta) : null);
    box.firstField = first;
    return box;
  }
  function clearFieldErrors(form) {
    form.querySelectorAll(".field-error").forEach((e) => e.remove());
    form.querySelectorAll(".invalid").forEach((e) => { e.classList.remove("invalid"); e.removeAttribute("aria-invalid"); e.removeAttribute("aria-describedby"); });
  }
  function failure(slot, err, form) {
    const p = err instanceof ApiError ? err.problem : { title: t("problem"), detail: String(err && err.message || err) };
    if (p.status === 401) { sessionEnded(); return; }
    const box = problemBox(p, form);
    slot.replaceChildren(box);
    return box;
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

  function fmtWait(seconds) {
    const m = Math.max(0, Math.floor(seconds / 60));
    if (m < 60) return t("wait.min", { m });
    return t("wait.hmin", { h: Math.floor(m / 60), m: pad(m % 60) });
  }
  function fmtKm(km) { return Number(km).toLocaleString(locale(), { maximumFractionDigits: km < 10 ? 1 : 0 }) + " km"; }
  function nameOf(id) {
    if (!id) return "";
    if (me && id === me.id) return t("owner.me");
    const a = accounts && accounts[id];
    return a ? a.name : shortID(id);
  }
  async function loadAccounts() {
    if (accounts) return accounts;
    try {
      const r = await api("GET", "/v1/accounts");
      accounts = {};
      for (const a of r.data.accounts || []) accounts[a.id] = a;
    } catch (_) { accounts = {}; }
    return accounts;
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
    const signed = !!me && !me.password_change_due;
    document.getElementById("nav").hidden = !signed;
    document.getElementById("sign-out").hidden = !me;
    const who = document.getElementById("who");
    who.hidden = !me;
    who.replaceChildren(me ? h("span", {}, h("strong", { id: "who-name" }, me.name || me.email || me.id), " · ",
      h("span", { id: "role" }, tc("roles", me.role))) : "");
    document.getElementById("keys").textContent = signed && atDesk() ? t("keys") : "";
    const hash = location.hash || home();
    for (const id of ["nav-queue", "nav-new", "nav-cases"]) document.getElementById(id).hidden = !signed || !atDesk();
    document.getElementById("nav-queue").classList.toggle("active", hash.startsWith("#/queue") || hash.startsWith("#/case/"));
    document.getElementById("nav-new").classList.toggle("active", hash.startsWith("#/new"));
    document.getElementById("nav-cases").classList.toggle("active", hash.startsWith("#/cases"));
    for (const id of ["nav-queue", "nav-new", "nav-cases"]) {
      const a = document.getElementById(id);
      if (a.classList.contains("active")) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    }
    for (const p of pages) if (p.chrome) p.chrome(ui, signed, hash);
  }

  // Pages of other parts of the product register themselves in
  // window.RC_PAGES ({prefix, render(hash, ui), chrome(ui, signed, hash)},
  // claims.js) and draw with the console's helpers.
  const pages = window.RC_PAGES || [];
  const ui = { h, api, t, tc, show, failure, problemBox, fmtMoney, fmtTime, shortID, newKey, ApiError, nameOf, loadAccounts,
    me: () => (me && me.id) || "", lang: () => lang, locale, page: () => ++gen, current: (n) => n === gen };

  async function signOut() {
    try { await api("DELETE", "/v1/session"); } catch (_) { /* ended already */ }
    me = null;
    accounts = null;
    location.hash = "#/signin";
    route();
  }

  // sessionEnded shows the sign-in page when the API says the session is gone.
  function sessionEnded() {
    me = null;
    accounts = null;
    signInPage(t("signin.ended"));
  }

  // ---- routing -------------------------------------------------------------
  // home is where one lands after signing in: the queue at the desk, the
  // claims for a claims handler, the batches for those who pay.
  function atDesk() { return !me || me.role === "admin" || me.role === "operator"; }
  function home() { return (me && { claims_handler: "#/claims", payments: "#/payments" }[me.role]) || "#/queue"; }
  let stop = null; // cleanup of the current page (maps, timers)
  let gen = 0; // the newest page load; an older load that finishes late draws nothing
  let checked = false; // the session cookie was asked about once
  async function route() {
    if (stop) { stop(); stop = null; }
    if (!checked) {
      checked = true;
      try { me = (await api("GET", "/v1/session")).data; } catch (_) { me = null; }
    }
    chrome();
    const hash = location.hash || home();
    if (!me) return signInPage();
    if (me.password_change_due) return passwordPage();
    if (hash === "#/signin" || hash === "#/password") { location.hash = home(); return; }
    await loadAccounts();
    if (hash.startsWith("#/case/")) return casePage(decodeURIComponent(hash.slice(7)));
    if (hash.startsWith("#/new") && atDesk()) return newCasePage();
    if (hash.startsWith("#/receipts") && window.RC_RECEIPTS) return window.RC_RECEIPTS.page(view); // receipts.js
    for (const p of pages) if (hash.startsWith(p.prefix)) return p.render(hash, ui);
    if (hash.startsWith("#/cases")) {
      const q = new URLSearchParams(hash.split("?")[1] || "");
      return casesPage(q.get("after") || "", q.get("status") || "closed");
    }
    if (!atDesk()) { location.hash = home(); return; }
    return queuePage();
  }
  window.addEventListener("hashchange", route);

  document.addEventListener("keydown", (ev) => {
    const tag = (ev.target.tagName || "").toLowerCase();
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ["input", "select", "textarea"].includes(tag) || !me || me.password_change_due) return;
    if (ev.target.closest && ev.target.closest(".leaflet-container")) return;
    if (!atDesk() && (ev.key === "n" || ev.key === "q")) return;
    if (ev.key === "n") { location.hash = "#/new"; ev.preventDefault(); }
    else if (ev.key === "q") { location.hash = "#/queue"; ev.preventDefault(); }
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
  function signInPage(note) {
    chrome();
    const slot = h("div", { class: "slot", id: "signin-problem" });
    const email = h("input", { type: "email", name: "email", id: "email", autocomplete: "username", required: true, spellcheck: "false" });
    const password = h("input", { type: "password", name: "password", id: "password", autocomplete: "current-password", required: true });
    const form = h("form", { class: "card narrow", id: "signin-form", novalidate: true },
      h("h1", {}, t("signin.title")),
      note ? h("p", { class: "note", role: "status" }, note) : null,
      h("p", { class: "muted" }, t("signin.help")),
      h("div", { class: "field" }, h("label", { for: "email" }, t("signin.email")), email),
      h("div", { class: "field" }, h("label", { for: "password" }, t("signin.password")), password),
      slot,
      h("button", { type: "submit", id: "signin-submit" }, t("signin.submit")));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      slot.replaceChildren();
      const btn = document.getElementById("signin-submit");
      btn.disabled = true;
      try {
        me = (await api("POST", "/v1/session", { body: { email: email.value.trim(), password: password.value } })).data;
        oneTimePassword = me.password_change_due ? password.value : "";
        checked = true;
        if (location.hash === "#/signin" || !location.hash) location.hash = home();
        route();
      } catch (err) {
        const p = err instanceof ApiError ? err.problem : { title: String(err) };
        const box = problemBox(p, form);
        slot.replaceChildren(box);
        (box.firstField || password).focus();
      } finally {
        btn.disabled = false;
      }
    });
    show(form);
    email.focus();
  }

  // passwordPage asks an account that signed in with a one-time password
  // for a password of its own.
  function passwordPage() {
    const slot = h("div", { class: "slot", id: "password-problem" });
    const current = h("input", { type: "password", name: "current_password", id: "current-password", autocomplete: "current-password", value: oneTimePassword });
    const next = h("input", { type: "password", name: "new_password", id: "new-password", autocomplete: "new-password", minlength: "12", required: true });
    const again = h("input", { type: "password", name: "again", id: "new-password-again", autocomplete: "new-password", required: true });
    const form = h("form", { class: "card narrow", id: "password-form", novalidate: true },
      h("h1", {}, t("password.title")),
      h("p", { class: "muted" }, t("password.help")),
      h("div", { class: "field", hidden: !!oneTimePassword }, h("label", { for: "current-password" }, t("password.current")), current),
      h("div", { class: "field" }, h("label", { for: "new-password" }, t("password.new")), next),
      h("div", { class: "field" }, h("label", { for: "new-password-again" }, t("password.again")), again),
      slot,
      h("button", { type: "submit", id: "password-submit" }, t("password.submit")));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      slot.replaceChildren();
      if (next.value !== again.value) {
        slot.replaceChildren(problemBox({ title: t("password.mismatch"), errors: [{ field: "again", detail: t("password.mismatch") }] }, form));
        again.focus();
        return;
      }
      try {
        me = (await api("POST", "/v1/session/password", { body: { current_password: current.value, new_password: next.value } })).data;
        oneTimePassword = "";
        location.hash = home();
        route();
      } catch (err) {
        const box = failure(slot, err, form);
        if (box && box.firstField) box.firstField.closest(".field").hidden = false;
        if (box) (box.firstField || next).focus();
      }
    });
    show(form);
    next.focus();
  }

  // ---- queue ---------------------------------------------------------------
  // The open cases, the longest waiting first: time since the call, the
  // job's state and ETA, who has the case; past the response time marked.
  async function queuePage() {
    const my = ++gen;
    const slot = h("div", { class: "slot", id: "queue-problem" });
    const head = h("div", { class: "bar" },
      h("h1", {}, t("queue.title")),
      h("span", { class: "muted small", id: "queue-rt" }),
      h("span", { class: "spacer" }),
      h("button", { type: "button", class: "secondary", id: "refresh", onclick: () => route() }, t("refresh")),
      h("a", { class: "button", href: "#/new", id: "queue-new" }, "+ " + t("nav.new")));
    show(head, slot, h("p", { class: "muted" }, t("loading")));
    let res;
    try {
      res = await api("GET", "/v1/queue");
    } catch (err) {
      if (my !== gen) return;
      show(head, slot);
      return failure(slot, err);
    }
    if (my !== gen) return;
    head.querySelector("#queue-rt").textContent = t("queue.rt", { m: res.data.response_minutes });
    const loadedAt = Date.now();
    const cases = res.data.cases || [];
    const waits = [];
    const rows = cases.map((c) => {
      const j = c.job;
      const wait = h("span", { class: "wait" }, fmtWait(c.waiting_seconds));
      waits.push([wait, c.waiting_seconds]);
      const place = [c.place, c.country].filter(Boolean).join(" · ") || "—";
      const mine = me && c.owner === me.id;
      const take = mine ? null : h("button", { type: "button", class: "secondary small-button", "data-take": c.id,
        "aria-label": t("owner.take") + " " + shortID(c.id), onclick: (ev) => takeCase(c, ev.target) }, t("owner.take"));
      return h("tr", { "data-case": c.id, class: c.overdue ? "overdue" : null },
        h("td", { "data-label": t("queue.waiting") }, wait, c.overdue ? h("span", { class: "badge bad overdue-badge" }, t("queue.overdue")) : null),
        h("td", { "data-label": t("cases.case") }, h("a", { class: "row-link", href: "#/case/" + encodeURIComponent(c.id) }, shortID(c.id)),
          " ", h("span", { class: "badge " + (c.covered ? "ok" : "bad") }, c.covered ? t("covered") : t("refused"))),
        h("td", { "data-label": t("event") }, h("strong", {}, tc("event", c.event_kind || "")), h("div", { class: "muted small" }, place),
          c.registration ? h("div", { class: "small" }, c.registration) : null),
        h("td", { "data-label": t("queue.help") }, j
          ? [h("span", { class: "badge " + jobBadge(j.status) }, tc("job", j.kind) + " · " + tc("jobstatus", j.status)),
            j.eta ? h("div", { class: "small" }, t("eta") + " " + fmtClock(j.eta)) : null]
          : h("span", { class: "muted" }, t("queue.nojob"))),
        h("td", { "data-label": t("owner") }, c.owner ? nameOf(c.owner) : h("span", { class: "muted" }, t("owner.nobody")), " ", take));
    });
    const table = cases.length
      ? h("table", { class: "list queue", id: "queue-table" },
        h("caption", { class: "visually-hidden" }, t("queue.title")),
        h("thead", {}, h("tr", {}, ["queue.waiting", "cases.case", "event", "queue.help", "owner"].map((k) => h("th", { scope: "col" }, t(k))))),
        h("tbody", {}, rows))
      : h("p", { class: "empty" }, t("queue.none"));
    show(head, slot, table, h("p", { class: "small" }, h("a", { href: "#/cases?status=closed" }, t("cases.closed"))));
    const tick = setInterval(() => {
      const dt = (Date.now() - loadedAt) / 1000;
      for (const [el, s] of waits) el.textContent = fmtWait(s + dt);
    }, 15000);
    const reload = setInterval(() => { if (!view.contains(document.activeElement) || document.activeElement === view) route(); }, 60000);
    stop = () => { clearInterval(tick); clearInterval(reload); };
  }
  function jobBadge(status) { return status === "FAILED" ? "bad" : status === "COMPLETED" || status === "ARRIVED" ? "ok" : "info"; }
  function fmtClock(s) {
    const d = new Date(s);
    return isNaN(d) ? s : d.toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
  }

  async function takeCase(c, btn) {
    btn.disabled = true;
    try {
      await api("POST", "/v1/cases/" + encodeURIComponent(c.id) + "/owner", { body: { owner: me.id }, headers: { "Idempotency-Key": newKey() } });
      location.hash = "#/case/" + encodeURIComponent(c.id);
    } catch (err) {
      btn.disabled = false;
      failure(document.getElementById("queue-problem"), err);
    }
  }

  // ---- case list (closed or all cases) ---------------------------------------
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
      h("h1", {}, t("nav.cases")),
      h("span", { class: "spacer" }),
      statusSel,
      h("button", { type: "button", class: "secondary", id: "refresh", onclick: () => route() }, t("refresh")));
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
    const rows = cases.map((c) => h("tr", { "data-case": c.id },
      h("td", { "data-label": t("cases.case") }, h("a", { class: "row-link", href: "#/case/" + encodeURIComponent(c.id) }, shortID(c.id))),
      h("td", { "data-label": t("cases.created") }, fmtTime(c.created_at)),
      h("td", { "data-label": t("event") }, tc("event", c.event_kind || "")),
      h("td", { "data-label": t("place") }, [c.place, c.country].filter(Boolean).join(" · ") || "—"),
      h("td", { "data-label": t("decision") }, h("span", { class: "badge " + (c.covered ? "ok" : "bad") }, c.covered ? t("covered") : t("refused"))),
      h("td", { "data-label": t("cases.status") }, tc("status", c.status))));
    const table = cases.length
      ? h("table", { class: "list", id: "cases-table" },
        h("thead", {}, h("tr", {}, ["cases.case", "cases.created", "event", "place", "decision", "cases.status"].map((k) => h("th", { scope: "col" }, t(k))))),
        h("tbody", {}, rows))
      : h("p", { class: "empty" }, t("cases.none"));
    const pager = h("div", { class: "bar" },
      pageStack.length ? h("button", { type: "button", class: "secondary", onclick: () => { const prev = pageStack.pop(); location.hash = "#/cases?status=" + (status || "all") + (prev ? "&after=" + encodeURIComponent(prev) : ""); } }, "← " + t("cases.newer")) : null,
      h("span", { class: "spacer" }),
      res.data.next ? h("button", { type: "button", class: "secondary", id: "older", onclick: () => { pageStack.push(after); location.hash = "#/cases?status=" + (status || "all") + "&after=" + encodeURIComponent(res.data.next); } }, t("cases.older") + " →") : null);
    show(head, slot, table, pager);
  }

  // ---- new case -------------------------------------------------------------
  // A standard breakdown in a few fields: where (a place searched by name or
  // a click on the map, said back in words), what happened, the car and the
  // caller. Market, language, home, times and channel have defaults under
  // "More details".
  const EVENT_KINDS = ["breakdown", "puncture", "traction_battery_empty", "battery_12v_flat", "out_of_fuel", "wrong_fuel",
    "contaminated_fuel", "locked_out", "key_lost", "key_broken", "accident", "attempted_theft", "vandalism", "theft", "fire"];
  const TRI = ["", "true", "false"];
  // The fields of the form: name is the dotted path in the case body.
  const FORM = [
    { section: "sec.what", fields: [
      { name: "event.kind", type: "select", options: EVENT_KINDS, family: "event" },
      { name: "repair.roadside_possible", type: "bool" },
    ] },
    { section: "sec.who", fields: [
      { name: "vehicle.registration", auto: "off" },
      { name: "vehicle.vin", auto: "off", upper: true },
      { name: "contact.name", auto: "name" },
      { name: "contact.phone", input: "tel", auto: "tel" },
    ] },
    { section: "sec.more", more: true, fields: [
      { name: "market", type: "select", options: ["GB", "DE", "PT", "DK"] },
      { name: "language", type: "select", options: ["en", "de", "pt", "da", "sv"] },
      { name: "home.country", type: "country" },
      { name: "occurred_at", type: "datetime" },
      { name: "contact.channel", type: "select", options: ["phone", "on_call", "app", "none"], family: "channel" },
      { name: "trip", type: "select", options: ["", "domestic", "outbound", "homebound"], family: "trip" },
      { name: "event.description", wide: true },
    ] },
  ];

  function fieldInput(f) {
    let el;
    const id = "f-" + f.name.replace(/\./g, "-");
    if (f.type === "select" || f.type === "bool") {
      const opts = f.type === "bool" ? TRI : f.options;
      el = h("select", { name: f.name, id },
        opts.map((o) => h("option", { value: o }, o === "" ? t("unknown") : f.type === "bool" ? t(o === "true" ? "yes" : "no") : f.family ? tc(f.family, o) : o)));
    } else {
      const type = { datetime: "datetime-local" }[f.type] || f.input || "text";
      el = h("input", { name: f.name, id, type, autocomplete: f.auto || "off", maxlength: f.type === "country" ? "2" : null,
        class: f.type === "country" || f.upper ? "upper" : null, spellcheck: "false" });
    }
    return h("div", { class: "field" + (f.wide ? " wide" : "") }, h("label", { for: id }, t("f." + f.name)), el);
  }

  function newCasePage() {
    const my = ++gen;
    const slot = h("div", { class: "slot", id: "form-problem" });
    const pos = { lat: null, lon: null, country: "" };
    // Where: the place search (a combobox) and the map.
    const q = h("input", { type: "search", id: "place-q", name: "place", autocomplete: "off", spellcheck: "false",
      role: "combobox", "aria-expanded": "false", "aria-controls": "place-list", "aria-autocomplete": "list",
      "aria-describedby": "place-help" });
    const list = h("ul", { id: "place-list", role: "listbox", class: "listbox", "aria-label": t("place.results"), hidden: true });
    const words = h("p", { id: "position-words", class: "words", "aria-live": "polite" }, t("place.none"));
    const lat = h("input", { type: "hidden", name: "location.lat" });
    const lon = h("input", { type: "hidden", name: "location.lon" });
    const landmark = h("input", { type: "text", id: "f-location-description", name: "location.description", autocomplete: "off" });
    const where = h("fieldset", { id: "where" }, h("legend", {}, t("sec.where")),
      h("div", { class: "field wide combo" },
        h("label", { for: "place-q" }, t("place.search")), q,
        h("span", { id: "place-help", class: "muted small" }, t("place.help")), list),
      h("div", { class: "field wide position" }, h("span", { class: "label" }, t("place.position")), words, lat, lon),
      h("div", { id: "pick-map", class: "map pick", role: "application", "aria-label": t("place.map") }),
      h("div", { class: "field wide" }, h("label", { for: "f-location-description" }, t("f.location.description")), landmark));
    const vinWarn = h("div", { class: "slot", id: "vin-warning", "aria-live": "polite" });
    const sections = FORM.map((s) => {
      const inner = h("div", { class: "grid" }, s.fields.map(fieldInput));
      if (s.more) return h("details", { id: "more" }, h("summary", {}, t(s.section)), inner);
      return h("fieldset", {}, h("legend", {}, t(s.section)), inner, s.section === "sec.who" ? vinWarn : null);
    });
    const form = h("form", { id: "new-case", class: "card", novalidate: true },
      h("div", { class: "bar" }, h("h1", {}, t("new.title")), h("span", { class: "spacer" }), h("span", { class: "muted small" }, t("new.help"))),
      where, sections, slot,
      h("div", { class: "bar" }, h("span", { class: "spacer" }), h("button", { type: "submit", id: "create-case" }, t("new.submit"))));
    form.dataset.key = newKey();
    const els = form.elements;
    const now = new Date();
    const lastMarket = localStorage.getItem("rc.market") || "DE";
    let marketTouched = false;
    function setMarket(m) {
      els["market"].value = m;
      els["language"].value = MARKETS[m] || "en";
      els["home.country"].value = m;
    }
    setMarket(lastMarket);
    els["occurred_at"].value = localInput(now);
    els["contact.channel"].value = "phone";
    els["market"].addEventListener("change", () => { marketTouched = true; setMarket(els["market"].value); });
    // A changed form is a new request: a new Idempotency-Key.
    form.addEventListener("input", () => { form.dataset.key = newKey(); });

    // The position: set from a place or the map, said back in words; the
    // market follows the country when the country is a market.
    let mapCtl = null;
    let describing = 0;
    async function setPosition(la, lo, label) {
      pos.lat = +la.toFixed(5);
      pos.lon = +lo.toFixed(5);
      lat.value = pos.lat;
      lon.value = pos.lon;
      form.dataset.key = newKey();
      const mine = ++describing;
      words.replaceChildren(h("strong", {}, label || "…"), " ", h("span", { class: "muted small" }, pos.lat.toFixed(5) + ", " + pos.lon.toFixed(5)));
      if (mapCtl) mapCtl.mark(pos.lat, pos.lon);
      try {
        const r = await api("GET", "/v1/places/describe?" + new URLSearchParams({ lat: pos.lat, lon: pos.lon, lang }));
        if (mine !== describing) return;
        pos.country = r.data.country || "";
        words.replaceChildren(h("strong", { id: "position-text" }, r.data.text),
          pos.country ? " · " + pos.country : "", " ", h("span", { class: "muted small" }, pos.lat.toFixed(5) + ", " + pos.lon.toFixed(5)));
        if (!marketTouched && MARKETS[pos.country]) setMarket(pos.country);
      } catch (err) {
        if (mine === describing) failure(slot, err);
      }
    }

    // The place search: type, pick with the arrow keys and Enter (or a click).
    let hits = [], active = -1, timer = null, asked = 0;
    function closeList() {
      list.hidden = true;
      q.setAttribute("aria-expanded", "false");
      q.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(i) {
      active = i;
      list.querySelectorAll("li").forEach((li, k) => li.setAttribute("aria-selected", k === i ? "true" : "false"));
      if (i >= 0) q.setAttribute("aria-activedescendant", "place-opt-" + i);
      else q.removeAttribute("aria-activedescendant");
    }
    function pick(i) {
      const p = hits[i];
      if (!p) return;
      q.value = p.label;
      closeList();
      setPosition(p.lat, p.lon, p.label);
    }
    async function search() {
      const text = q.value.trim();
      if (text.length < 2) { closeList(); return; }
      const mine = ++asked;
      try {
        const r = await api("GET", "/v1/places?" + new URLSearchParams({ q: text, limit: "8" }));
        if (mine !== asked) return;
        hits = r.data.places || [];
        list.replaceChildren(...(hits.length ? hits.map((p, i) => h("li", { id: "place-opt-" + i, role: "option", "aria-selected": "false", "data-place": p.name,
          onmousedown: (ev) => { ev.preventDefault(); pick(i); } }, p.label)) : [h("li", { class: "muted", role: "option", "aria-disabled": "true", "aria-selected": "false" }, t("place.nohit"))]));
        list.hidden = false;
        q.setAttribute("aria-expanded", "true");
        highlight(hits.length ? 0 : -1);
      } catch (err) { failure(slot, err); }
    }
    q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 150); });
    q.addEventListener("keydown", (ev) => {
      if (ev.key === "ArrowDown" && !list.hidden) { highlight(Math.min(hits.length - 1, active + 1)); ev.preventDefault(); }
      else if (ev.key === "ArrowUp" && !list.hidden) { highlight(Math.max(0, active - 1)); ev.preventDefault(); }
      else if (ev.key === "Enter") {
        ev.preventDefault(); // Enter picks a place; it never submits the form from here
        if (!list.hidden && active >= 0) pick(active);
        else search();
      } else if (ev.key === "Escape") closeList();
    });
    q.addEventListener("blur", () => setTimeout(closeList, 100));

    // The same car with an open case: a warning as soon as the VIN is known.
    let vinAsked = 0;
    els["vehicle.vin"].addEventListener("input", async () => {
      const vin = els["vehicle.vin"].value.trim().toUpperCase();
      const mine = ++vinAsked;
      if (vin.length !== 17) { vinWarn.replaceChildren(); return; }
      try {
        const r = await api("GET", "/v1/cases?" + new URLSearchParams({ vin, status: "open", limit: "5" }));
        if (mine !== vinAsked) return;
        vinWarn.replaceChildren(openCasesWarning(r.data.cases || [], ""));
      } catch (_) { /* a malformed VIN is named when the case is sent */ }
    });

    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (document.activeElement === q) return; // Enter in the search picks a place
      slot.replaceChildren();
      clearFieldErrors(form);
      const body = { reported_at: rfc3339(new Date()), event: { immobilised: true, cause: "none" } };
      for (const s of FORM) for (const f of s.fields) {
        const raw = String(els[f.name].value).trim();
        if (raw === "") continue;
        let v = raw;
        if (f.type === "bool") v = raw === "true";
        else if (f.type === "datetime") v = rfc3339(new Date(raw));
        else if (f.type === "country" || f.upper) v = raw.toUpperCase();
        setPath(body, f.name, v);
      }
      if (pos.lat !== null) { setPath(body, "location.lat", pos.lat); setPath(body, "location.lon", pos.lon); }
      // The place in words describes the location unless the operator wrote more.
      const said = document.getElementById("position-text");
      if (landmark.value.trim()) setPath(body, "location.description", landmark.value.trim());
      else if (said && pos.lat !== null) setPath(body, "location.description", said.textContent);
      body.intake = { channel: "desk-console", activation: "phone" };
      const btn = document.getElementById("create-case");
      btn.disabled = true;
      try {
        const res = await api("POST", "/v1/cases", { body, headers: { "Idempotency-Key": form.dataset.key } });
        localStorage.setItem("rc.market", body.market);
        // The new case is the operator's.
        try { await api("POST", "/v1/cases/" + encodeURIComponent(res.data.id) + "/owner", { body: { owner: me.id }, headers: { "Idempotency-Key": newKey() } }); } catch (_) { /* shown on the case page */ }
        location.hash = "#/case/" + encodeURIComponent(res.data.id);
      } catch (err) {
        const box = failure(slot, err, form);
        if (box && box.firstField && box.firstField.type !== "hidden") box.firstField.focus();
        else if (box && box.firstField) q.focus();
      } finally {
        btn.disabled = false;
      }
    });
    show(form);
    q.focus();
    if (my !== gen) return;
    mapCtl = pickMap(document.getElementById("pick-map"), (la, lo) => setPosition(la, lo, ""));
    stop = () => { if (mapCtl) mapCtl.stop(); clearTimeout(timer); };
  }

  // openCasesWarning says that a car already has open cases (other than except).
  function openCasesWarning(cases, except) {
    const others = cases.filter((c) => c.id !== except);
    if (!others.length) return "";
    return h("div", { class: "warning", role: "status", id: "open-cases-warning" },
      h("strong", {}, "⚠ " + t("vin.open", { n: others.length })), " ",
      others.map((c, i) => [i ? ", " : "", h("a", { href: "#/case/" + encodeURIComponent(c.id) }, shortID(c.id) + " · " + tc("event", c.event_kind) + " · " + fmtTime(c.created_at))]));
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

  async function casePage(id, focusSel) {
    const my = ++gen;
    const slot = h("div", { class: "slot", id: "case-problem" });
    if (!view.querySelector("#verdict")) show(h("p", { class: "muted" }, t("loading")));
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
    // The stored decision comes in the operator's language (?lang=): shown
    // again from what it stores, never decided again.
    const d = c.decision || {};
    if (my !== gen) return;
    if (stop) { stop(); stop = null; }
    renderCase(c, etag, d, events);
    if (focusSel) {
      const el = view.querySelector(focusSel);
      if (el) el.focus();
    }
  }

  function textOf(item) { return item.text; }

  function renderCase(c, etag, d, events) {
    const f = c.facts || {};
    const ents = d.entitlements || [];
    const refusals = d.refusals || [];
    const chosen = {};
    for (const ch of c.choices || []) chosen[ch.group] = ch;
    const open = c.status === "open";
    const words = h("span", { id: "case-words" });

    const header = h("div", { class: "case-head" },
      h("div", { class: "case-title" },
        h("h1", {}, t("case") + " ", h("span", { class: "mono", title: c.id }, shortID(c.id)),
          " ", h("span", { class: "badge " + (open ? "info" : "muted") }, tc("status", c.status))),
        h("p", { class: "facts-line" },
          [tc("event", get(f, "event.kind") || ""), get(f, "vehicle.registration"), get(f, "vehicle.model"),
            get(f, "contact.name"), get(f, "contact.phone")].filter(Boolean).join(" · ")),
        h("p", { class: "where-line" }, h("span", { class: "muted" }, t("place.position") + ": "), words),
        h("p", { class: "muted small" }, f.market + " · " + t("terms") + ": ", h("code", {}, c.terms_id || (d.terms && d.terms.id) || "—"),
          " · " + t("cases.created") + " " + fmtTime(c.created_at) + " · v" + c.version)),
      h("span", { class: "spacer" }),
      h("a", { class: "button secondary", href: "#/queue" }, "← " + t("nav.queue")));

    // The verdict.
    const hard = refusals.filter((r) => r.code !== "location_unverified");
    const notes = refusals.filter((r) => r.code === "location_unverified");
    const verdict = h("section", { class: "verdict " + (d.covered ? "covered" : "refused"), id: "verdict", "aria-label": t("decision") },
      h("div", { class: "verdict-word" }, d.covered ? "✓ " + t("covered") : "✗ " + t("refused")),
      h("div", { class: "verdict-sub" }, d.place ? [t("place") + ": " + (d.place.country || "?") + (d.place.zone ? " (" + d.place.zone + ")" : ""),
        d.place.abroad ? " · " + t("abroad") : "", d.place.trip ? " · " + tc("trip", d.place.trip) : ""] : "",
        c.decision_no > 1 ? h("span", { class: "badge info", id: "decision-no" }, " " + t("decision.no", { n: c.decision_no })) : null),
      (hard.length || notes.length) ? h("ul", { class: "refusals", id: "refusals" }, refusals.map((r) =>
        h("li", { "data-code": r.code, class: r.code === "location_unverified" ? "note" : "" },
          h("code", {}, r.code), " ", h("span", { class: "clause" }, "§ " + r.clause), " ", textOf(r)))) : null);

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
        mine.map((e) => entCard(e, chosen, open)),
        slot);
    }).filter(Boolean);

    const entSection = h("section", { class: "entitlements", id: "entitlements", "aria-label": t("ents") },
      ents.length ? groups : h("p", { class: "empty" }, d.covered ? t("ents.none") : t("ents.refused")));

    const notCovered = (d.not_covered || []).length
      ? h("section", { class: "card small" }, h("h2", { class: "h3" }, t("notcovered")), h("p", {}, d.not_covered.map((n) => h("span", { class: "chip" }, tc("nc", n)))))
      : null;
    const interp = d.interpretations || [];
    const interpretations = interp.length
      ? h("details", { class: "card small", id: "interpretations" }, h("summary", {}, t("interpretations") + " (" + interp.length + ")"),
        h("ul", {}, interp.map((s) => h("li", {}, s))))
      : null;

    const vinWarn = h("div", { class: "slot", id: "case-vin-warning" });
    const left = h("div", { class: "col-main" }, vinWarn, ownerCard(c, etag), verdict, factsCard(c, etag, ents), entSection, notCovered,
      missingForm(c, etag, f), interpretations);
    const right = h("div", { class: "col-side" },
      dispatchCard(c, ents), relatedCard(c),
      h("section", { class: "card", "aria-labelledby": "map-h" }, h("h2", { class: "h3", id: "map-h" }, t("map")),
        h("div", { id: "map", class: "map" }), h("p", { class: "muted small", id: "map-note" })),
      notesCard(c), timelineCard(c, events), actionsCard(c));
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
    const m = drawMap(c, d, ents);
    stop = m ? m.stop : null;
    // The position in words, in the operator's language.
    const la = get(f, "location.lat") ?? get(c, "intake.position.lat"), lo = get(f, "location.lon") ?? get(c, "intake.position.lon");
    if (typeof la === "number" && typeof lo === "number") {
      const desc = get(f, "location.description") || "";
      const say = (w) => { words.textContent = w + (desc && desc !== w ? " · " + desc : ""); };
      say("…");
      api("GET", "/v1/places/describe?" + new URLSearchParams({ lat: la, lon: lo, lang })).then((r) => say(r.data.text)).catch(() => say(la + ", " + lo));
    } else words.textContent = [get(f, "location.country"), get(f, "location.description"), t("place.unknown")].filter(Boolean).join(" · ");
    // The same car's other open cases.
    const vin = get(f, "vehicle.vin");
    if (vin && open) {
      api("GET", "/v1/cases?" + new URLSearchParams({ vin, status: "open", limit: "5" }))
        .then((r) => vinWarn.replaceChildren(openCasesWarning(r.data.cases || [], c.id))).catch(() => {});
    }
    loadPartners(c, ents, m);
  }

  // ownerCard: who has the case; take it, assign it, give it back.
  function ownerCard(c, etag) {
    const slot = h("div", { class: "slot" });
    const open = c.status === "open";
    const set = async (owner) => {
      slot.replaceChildren();
      try {
        await api("POST", "/v1/cases/" + encodeURIComponent(c.id) + "/owner", { body: { owner }, headers: { "Idempotency-Key": newKey(), "If-Match": etag } });
        await casePage(c.id, "#owner-select");
      } catch (err) { failure(slot, err); }
    };
    const people = Object.values(accounts || {}).filter((a) => !a.disabled && (a.role === "operator" || a.role === "admin"));
    const sel = h("select", { id: "owner-select", "aria-label": t("owner.assign") },
      h("option", { value: "" }, t("owner.nobody")),
      people.map((a) => h("option", { value: a.id }, a.name + (me && a.id === me.id ? " (" + t("owner.me") + ")" : ""))));
    sel.value = c.owner || "";
    const mine = me && c.owner === me.id;
    return h("section", { class: "owner-bar", id: "owner", "aria-label": t("owner") },
      h("span", {}, t("owner") + ": ", h("strong", { id: "owner-name" }, c.owner ? nameOf(c.owner) : t("owner.nobody"))),
      open && !mine ? h("button", { type: "button", id: "take-case", onclick: () => set(me.id) }, t("owner.take")) : null,
      open ? h("span", { class: "assign" }, sel, h("button", { type: "button", class: "secondary", id: "assign-case", onclick: () => set(sel.value) }, t("owner.assign"))) : null,
      slot);
  }

  // factsCard: the facts that change during a call, one click each; the
  // case is decided again and the timeline shows what was gained and lost.
  function factsCard(c, etag, ents) {
    if (c.status !== "open") return null;
    const slot = h("div", { class: "slot" });
    const f = c.facts || {};
    const patch = async (p, btn) => {
      slot.replaceChildren();
      btn.disabled = true;
      try {
        await api("PATCH", "/v1/cases/" + encodeURIComponent(c.id) + "?lang=" + lang, { body: p, headers: { "If-Match": etag } });
        await casePage(c.id, "#verdict-note");
      } catch (err) {
        btn.disabled = false;
        failure(slot, err);
      }
    };
    const onSpot = ents.some((e) => ["roadside_repair", "jump_start", "fuel_delivery", "lock_opening", "tyre_repair_kit"].includes(e.code));
    const buttons = [];
    if (get(f, "repair.roadside_possible") !== false && onSpot) {
      buttons.push(h("button", { type: "button", id: "roadside-failed", onclick: (ev) => patch({ repair: { roadside_possible: false } }, ev.target) }, t("facts.roadside_failed")));
    }
    if (get(f, "repair.roadside_possible") === false) {
      buttons.push(h("button", { type: "button", class: "secondary", id: "roadside-possible", onclick: (ev) => patch({ repair: { roadside_possible: true } }, ev.target) }, t("facts.roadside_possible")));
    }
    if (get(f, "repair.same_day_within_4h") !== true && ents.some((e) => e.code === "tow")) {
      buttons.push(h("button", { type: "button", class: "secondary", id: "repaired-same-day", onclick: (ev) => patch({ repair: { same_day_within_4h: true } }, ev.target) }, t("facts.same_day")));
    }
    if (!buttons.length) return null;
    return h("section", { class: "card small facts-change", id: "facts-change", "aria-labelledby": "facts-h" },
      h("h2", { class: "h3", id: "facts-h" }, t("facts.title")), h("p", { class: "muted small", id: "verdict-note", tabindex: "-1" }, t("facts.help")),
      h("div", { class: "bar" }, buttons), slot);
  }

  function entCard(e, chosen, open) {
    const facts = [];
    const add = (k, v) => { if (v !== undefined && v !== null && v !== "") facts.push(h("dt", {}, t(k)), h("dd", {}, v)); };
    if (e.destination) add("e.destination", tc("dest", e.destination));
    if (e.site) add("e.site", [h("strong", { class: "site-name" }, e.site.name || e.site.id),
      e.site.distance_km !== undefined ? " · " + fmtKm(e.site.distance_km) : ""]);
    if (e.regular_workshop) add("e.regular", [e.regular_workshop.name || e.regular_workshop.id,
      e.regular_workshop.distance_km !== undefined ? " · " + fmtKm(e.regular_workshop.distance_km) : ""]);
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
      btn = h("button", { type: "button", class: mine ? "secondary" : "", "data-choose": e.code, "data-group": e.choose_one,
        "aria-label": (mine ? t("choose.instead") : t("choose")) + ": " + tc("ent", e.code) }, mine ? t("choose.instead") : t("choose"));
    }
    return h("article", { class: "ent" + (isChosen ? " chosen" : ""), "data-code": e.code },
      h("div", { class: "ent-head" },
        h("h3", { class: "ent-code" }, tc("ent", e.code)),
        h("span", { class: "clause" }, "§ " + e.clause),
        isChosen ? h("span", { class: "badge ok" }, "✓ " + t("chosen")) : null,
        h("span", { class: "spacer" }), btn),
      h("p", { class: "ent-text" }, textOf(e)),
      facts.length ? h("dl", { class: "ent-facts" }, facts) : null);
  }

  function missingForm(c, etag, f) {
    const miss = c.missing_information || [];
    if (!miss.length) return h("section", { class: "card small", id: "missing", "aria-labelledby": "missing-h" }, h("h2", { class: "h3", id: "missing-h" }, t("missing.title")), h("p", { class: "ok-text" }, "✓ " + t("missing.none")));
    const slot = h("div", { class: "slot" });
    const rows = [];
    for (const m of miss) {
      const paths = MISSING[m] || [];
      rows.push(h("div", { class: "check", "data-missing": m },
        h("span", { class: "box", "aria-hidden": "true" }, "☐"), h("strong", {}, tc("missing", m)),
        h("div", { class: "grid" }, paths.map((p) => h("div", { class: "field" }, paths.length > 1 ? h("label", { for: "m-" + p }, t("f." + p)) : null,
          h("input", { name: p, id: "m-" + p, "aria-label": paths.length > 1 ? null : t("f." + p), type: p.endsWith(".lat") || p.endsWith(".lon") ? "number" : p === "contact.email" ? "email" : "text", step: "any", autocomplete: "off",
            class: p.endsWith("country") ? "upper" : null, maxlength: p.endsWith("country") ? "2" : null, value: get(f, p) === undefined ? "" : String(get(f, p)) }))))));
    }
    const form = h("form", { class: "card", id: "missing-form", "aria-labelledby": "missing-h" },
      h("h2", { class: "h3", id: "missing-h" }, t("missing.title"), " ", h("span", { class: "badge warn" }, String(miss.length))),
      h("p", { class: "muted small" }, t("missing.help")),
      rows, slot,
      c.status === "open" ? h("button", { type: "submit", id: "save-missing" }, t("missing.save")) : null);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      slot.replaceChildren();
      const patch = {};
      for (const el of form.querySelectorAll("input[name]")) {
        const raw = el.value.trim();
        if (raw === "" || String(get(f, el.name) ?? "") === raw) continue;
        let v = raw;
        if (el.type === "number") v = Number(raw);
        else if (el.name.endsWith("country") || el.name === "vehicle.vin") v = raw.toUpperCase();
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

  // ---- dispatch ----------------------------------------------------------------
  // The nearest tow partners of the network, with their distance, picked
  // from a list; the jobs with their state, cancelled or reassigned.
  function dispatchCard(c, ents) {
    const open = c.status === "open";
    const jobs = c.jobs || [];
    const slot = h("div", { class: "slot", id: "dispatch-problem" });
    const kind = h("select", { id: "dispatch-kind", name: "kind" }, ["tow", "roadside", "transport"].map((k) => h("option", { value: k }, tc("job", k))));
    kind.value = ents.some((e) => e.code === "tow") || !ents.length ? "tow" : "roadside";
    const eta = h("input", { id: "dispatch-eta", name: "eta", type: "number", min: "0", max: "600", step: "5", inputmode: "numeric" });
    const list = h("ol", { id: "partners", class: "partners", "aria-live": "polite" }, h("li", { class: "muted" }, t("loading")));
    const jobRows = jobs.slice().reverse().map((j) => h("li", { "data-job": j.id, class: "job " + (j.status === "FAILED" ? "failed" : "") },
      h("div", {}, h("strong", {}, tc("job", j.kind)), " · ", partnerName(j.partner)),
      h("div", {}, h("span", { class: "badge " + jobBadge(j.status) }, tc("jobstatus", j.status) + (j.failure ? ": " + tc("failure", j.failure) : "")),
        j.eta ? " " + t("eta") + " " + fmtClock(j.eta) : ""),
      open && j.status !== "FAILED" && j.status !== "COMPLETED" ? h("div", { class: "bar" },
        h("button", { type: "button", class: "secondary", "data-cancel": j.id, onclick: (ev) => cancelJob(c, j, ev.target, false) }, t("job.cancel")),
        h("button", { type: "button", class: "secondary", "data-reassign": j.id, onclick: (ev) => cancelJob(c, j, ev.target, true) }, t("job.reassign"))) : null));
    const card = h("section", { class: "card dispatch", id: "dispatch", "aria-labelledby": "dispatch-h" },
      h("h2", { class: "h3", id: "dispatch-h" }, t("dispatch")),
      jobRows.length ? h("ul", { class: "jobs", id: "jobs", "aria-label": t("jobs") }, jobRows) : h("p", { class: "muted small", id: "jobs" }, t("jobs.none")),
      open ? [h("div", { class: "grid two" },
        h("div", { class: "field" }, h("label", { for: "dispatch-kind" }, t("job.kind")), kind),
        h("div", { class: "field" }, h("label", { for: "dispatch-eta" }, t("job.eta")), eta)),
      h("h3", { class: "h4", id: "partners-h" }, t("partners.nearest")), list] : null,
      slot);
    kind.addEventListener("change", () => loadPartners(c, ents, null));
    return card;
  }

  let partnerNames = {}; // id → name of partners listed on this page
  function partnerName(id) { return partnerNames[id] || id; }

  async function loadPartners(c, ents, m) {
    const list = document.getElementById("partners");
    if (!list) return;
    const kind = document.getElementById("dispatch-kind").value;
    let res;
    try {
      res = await api("GET", "/v1/cases/" + encodeURIComponent(c.id) + "/partners?" + new URLSearchParams({ kind, limit: "6" }));
    } catch (err) {
      list.replaceChildren(h("li", { class: "muted" }, err instanceof ApiError && err.problem.status === 409 ? t("partners.nopos") : String(err.message)));
      return;
    }
    const ps = res.data.partners || [];
    const failed = new Set((c.jobs || []).filter((j) => j.status === "FAILED").map((j) => j.partner));
    for (const p of ps) partnerNames[p.id] = p.name;
    if (!ps.length) { list.replaceChildren(h("li", { class: "muted" }, t("partners.none"))); return; }
    list.replaceChildren(...ps.map((p, i) => h("li", { class: "partner", "data-partner": p.id },
      h("div", { class: "partner-main" },
        h("strong", {}, p.name), p.sample ? h("span", { class: "badge muted" }, t("sample")) : null,
        failed.has(p.id) ? h("span", { class: "badge warn" }, t("partners.cancelled")) : null,
        h("div", { class: "muted small" }, fmtKm(p.distance_km) + " · " + (p.tow ? p.tow.trucks.map((x) => tc("truck", x)).join(", ") : ""),
          p.phone ? [" · ", h("a", { href: "tel:" + p.phone.replace(/\s/g, "") }, p.phone)] : "")),
      p.partner ? h("button", { type: "button", class: i === 0 ? "" : "secondary", "data-dispatch": p.partner,
        "aria-label": t("partners.dispatch") + ": " + p.name + ", " + fmtKm(p.distance_km),
        onclick: (ev) => dispatch(c, ents, p, ev.target) }, t("partners.dispatch")) : h("span", { class: "muted small" }, t("partners.notpartner")))));
    if (m && m.partners) m.partners(ps);
  }

  async function dispatch(c, ents, p, btn) {
    const slot = document.getElementById("dispatch-problem");
    slot.replaceChildren();
    const kind = document.getElementById("dispatch-kind").value;
    const body = { kind, partner: p.partner };
    const mins = Number(document.getElementById("dispatch-eta").value);
    if (mins > 0) body.eta = new Date(Date.now() + mins * 60000).toISOString().replace(/\.\d+Z$/, "Z");
    const tow = ents.find((e) => e.code === "tow");
    if (kind === "tow" && tow && tow.site) body.destination = { site_id: tow.site.id, name: tow.site.name };
    btn.disabled = true;
    try {
      await api("POST", "/v1/cases/" + encodeURIComponent(c.id) + "/jobs", { body, headers: { "Idempotency-Key": newKey() } });
      await casePage(c.id, "#jobs li:first-child button, #dispatch-h");
    } catch (err) {
      btn.disabled = false;
      failure(slot, err);
    }
  }

  // cancelJob fails a job as cancelled; to reassign, the partners list is
  // next.
  async function cancelJob(c, j, btn, reassign) {
    const slot = document.getElementById("dispatch-problem");
    slot.replaceChildren();
    btn.disabled = true;
    try {
      await api("PATCH", "/v1/jobs/" + encodeURIComponent(j.id), { body: { status: "FAILED", failure: "cancelled", note: reassign ? "reassigned" : "" } });
      await casePage(c.id, reassign ? "#dispatch-kind" : "#dispatch-h");
      if (reassign) {
        const note = document.getElementById("dispatch-problem");
        if (note) note.replaceChildren(h("p", { class: "note", role: "status" }, t("job.pickanother")));
      }
    } catch (err) {
      btn.disabled = false;
      failure(slot, err);
    }
  }

  // ---- receipts and claims of the case ---------------------------------------
  // relatedCard lists the case's receipts (their check and review) and the
  // insurance claims opened from it, loaded after the case is drawn.
  function relatedCard(c) {
    const body = h("div", {}, h("p", { class: "muted small" }, t("loading")));
    const card = h("section", { class: "card", id: "case-related", "aria-labelledby": "related-h" },
      h("h2", { class: "h3", id: "related-h" }, t("related")), body);
    const label = (dict, key, fallback) => {
      const d = window[dict] || {};
      return (d[lang] && d[lang][key]) || (d.en && d.en[key]) || fallback;
    };
    const id = encodeURIComponent(c.id);
    Promise.all([
      api("GET", "/v1/cases/" + id + "/receipts?lang=" + encodeURIComponent(lang)).then((r) => r.data.receipts || []).catch(() => null),
      api("GET", "/v1/cases/" + id + "/claims").then((r) => r.data.claims || []).catch(() => null),
    ]).then(([receipts, claims]) => {
      const parts = [];
      if (receipts && receipts.length) {
        parts.push(h("h3", { class: "h4" }, t("related.receipts")), h("ul", { class: "plain", id: "case-receipts" }, receipts.map((r) =>
          h("li", { "data-receipt": r.id },
            h("a", { href: r.file.href, target: "_blank", rel: "noopener" }, label("RC_RECEIPTS_I18N", "rc.cat." + r.category, r.category)),
            " · " + fmtMoney(r.claimed) + " → ", h("strong", {}, fmtMoney(r.amount)), " ",
            h("span", { class: "badge " + ({ approved: "ok", cut: "warn", refused: "bad" }[r.status] || "") }, label("RC_RECEIPTS_I18N", "rc.status." + r.status, r.status)),
            r.needs_review ? [" ", h("a", { class: "badge warn", href: "#/receipts" }, t("related.review"))] : null,
            r.paid ? [" ", h("span", { class: "badge ok" }, t("related.paid"))] : null))));
      }
      if (claims && claims.length) {
        parts.push(h("h3", { class: "h4" }, t("related.claims")), h("ul", { class: "plain", id: "case-claims" }, claims.map((cl) =>
          h("li", { "data-claim": cl.id },
            h("a", { href: "#/claim/" + encodeURIComponent(cl.id) }, shortID(cl.id)),
            " · " + label("RC_CLAIMS_I18N", "peril." + cl.peril, cl.peril || "") + " · ",
            h("span", { class: "badge" }, label("RC_CLAIMS_I18N", "status." + cl.status, cl.status))))));
      }
      if (!parts.length) parts.push(h("p", { class: "muted small" }, receipts === null && claims === null ? t("related.unavailable") : t("related.none")));
      body.replaceChildren(...parts);
    });
    return card;
  }

  // ---- notes, timeline, actions ---------------------------------------------
  function notesCard(c) {
    const slot = h("div", { class: "slot" });
    const text = h("textarea", { id: "note-text", name: "text", rows: "2", maxlength: "4000" });
    const form = h("form", { id: "note-form", class: "card small", "aria-labelledby": "note-h" },
      h("h2", { class: "h3", id: "note-h" }, t("notes")),
      h("div", { class: "field" }, h("label", { for: "note-text" }, t("notes.add")), text),
      slot, h("button", { type: "submit", id: "add-note", class: "secondary" }, t("notes.save")));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      slot.replaceChildren();
      try {
        await api("POST", "/v1/cases/" + encodeURIComponent(c.id) + "/notes", { body: { text: text.value }, headers: { "Idempotency-Key": newKey() } });
        await casePage(c.id, "#note-text");
      } catch (err) { failure(slot, err, form); }
    });
    return form;
  }

  function timelineCard(c, events) {
    if (events === null) return h("section", { class: "card" }, h("h2", { class: "h3" }, t("timeline")), h("p", { class: "muted" }, t("timeline.unavailable")));
    return h("section", { class: "card", id: "timeline", "aria-labelledby": "timeline-h" }, h("h2", { class: "h3", id: "timeline-h" }, t("timeline")),
      h("ol", { class: "timeline" }, events.slice().reverse().map((ev) => h("li", { "data-kind": ev.kind },
        h("span", { class: "when" }, fmtTime(ev.at) + " · " + actorName(ev.actor)),
        h("strong", {}, tc("ev", ev.kind)),
        h("div", { class: "what" }, eventSummary(c, ev))))));
  }
  function actorName(a) {
    if (!a) return "";
    if (accounts && accounts[a.token_id]) return nameOf(a.token_id);
    return tc("roles", a.role || "");
  }
  function entList(codes, sign, cls) {
    return (codes || []).map((code) => h("span", { class: "chip " + cls }, sign + " " + tc("ent", code)));
  }
  function eventSummary(c, ev) {
    const d = ev.data || {};
    switch (ev.kind) {
      case "decided": {
        const show = h("div", { class: "slot" });
        const btn = h("button", { type: "button", class: "linkish", "data-decision": d.decision_no, "aria-expanded": "false",
          onclick: async () => {
            if (btn.getAttribute("aria-expanded") === "true") { show.replaceChildren(); btn.setAttribute("aria-expanded", "false"); return; }
            try {
              const r = await api("GET", "/v1/cases/" + encodeURIComponent(c.id) + "/decisions/" + d.decision_no + "?lang=" + lang);
              const dd = r.data;
              show.replaceChildren(h("div", { class: "decision-version" }, h("strong", {}, dd.covered ? t("covered") : t("refused")), ": ",
                (dd.entitlements || []).map((e) => tc("ent", e.code) + " (§ " + e.clause + ")").join(", ") || "—"));
              btn.setAttribute("aria-expanded", "true");
            } catch (err) { failure(show, err); }
          } }, t("decision.no", { n: d.decision_no }));
        return [btn, " ", d.covered ? t("covered") : t("refused"),
          (d.gained && d.gained.length) || (d.lost && d.lost.length) ? h("div", { class: "diff" }, entList(d.gained, "+", "gained"), entList(d.lost, "−", "lost")) : "",
          show];
      }
      case "choice_made": return tc("ent", d.code) + (d.clause ? " (§ " + d.clause + ")" : "");
      case "facts_patched": return Object.keys(d.patch || {}).map((k) => k + ": " + JSON.stringify(d.patch[k])).join(", ");
      case "closed": case "reopened": return d.reason || "";
      case "tracking_link_created": return t("link.expires") + " " + fmtTime(d.expires_at);
      case "job_created": return [tc("job", d.kind), partnerName(d.partner), d.status && tc("jobstatus", d.status), d.eta && t("eta") + " " + fmtClock(d.eta)].filter(Boolean).join(" · ");
      case "job_updated": return [d.from && d.to ? tc("jobstatus", d.from) + " → " + tc("jobstatus", d.to) : "", d.failure && tc("failure", d.failure), d.note].filter(Boolean).join(" · ");
      case "note_added": return h("q", { class: "note-text" }, d.text);
      case "owner_changed": return (d.from ? nameOf(d.from) : t("owner.nobody")) + " → " + (d.to ? nameOf(d.to) : t("owner.nobody"));
      case "created": return (d.filled_from_intake ? d.filled_from_intake.join(", ") : "");
      default: {
        const s = JSON.stringify(d);
        return s.length > 120 ? s.slice(0, 117) + "…" : s;
      }
    }
  }

  function actionsCard(c) {
    const open = c.status === "open";
    const slot = h("div", { class: "slot", id: "link-slot" });
    const linkBtn = h("button", { type: "button", id: "make-link", class: "secondary" }, t("link.create"));
    linkBtn.addEventListener("click", async () => {
      slot.replaceChildren();
      try {
        const r = await api("POST", "/v1/cases/" + encodeURIComponent(c.id) + "/tracking-links", { body: { expires_in_hours: 48 }, headers: { "Idempotency-Key": newKey() } });
        const url = r.data.url;
        const input = h("input", { type: "text", readonly: true, value: url, id: "tracking-url", class: "mono" });
        slot.replaceChildren(h("div", { class: "field wide" }, h("label", { for: "tracking-url" }, t("link.url") + " · " + t("link.expires") + " " + fmtTime(r.data.expires_at)), input),
          h("button", { type: "button", class: "secondary", onclick: () => { input.select(); navigator.clipboard && navigator.clipboard.writeText(url).catch(() => {}); } }, t("copy")));
        input.focus();
        input.select();
      } catch (err) { failure(slot, err); }
    });
    const closeSlot = h("div", { class: "slot" });
    const reason = h("input", { type: "text", name: "reason", id: "close-reason", autocomplete: "off" });
    const closeForm = h("form", { class: "inline", id: "status-form" }, h("div", { class: "field" }, h("label", { for: "close-reason" }, t("close.reason")), reason),
      h("button", { type: "submit", class: "secondary" }, open ? t("close") : t("reopen")), closeSlot);
    closeForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        await api("POST", "/v1/cases/" + encodeURIComponent(c.id) + (open ? "/close" : "/reopen"), { body: { reason: reason.value }, headers: { "Idempotency-Key": newKey() } });
        await casePage(c.id);
      } catch (err) { failure(closeSlot, err, closeForm); }
    });
    return h("section", { class: "card", "aria-labelledby": "actions-h" }, h("h2", { class: "h3", id: "actions-h" }, t("actions")),
      open ? h("div", { class: "bar" }, linkBtn) : null, slot, closeForm);
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
    return {
      stop() { if (borders) borders.stop(); map.remove(); },
      // partners shows the tow partners' bases offered for the case.
      partners(ps) {
        for (const p of ps.slice(0, 3)) {
          const m = L.circleMarker([p.position.lat, p.position.lon], { radius: 6, color: "#fff", weight: 2, fillColor: "#7c3aed", fillOpacity: 1 }).addTo(map);
          m.bindTooltip(p.name, { direction: "right", offset: [6, 0], className: "map-label" });
        }
      },
    };
  }

  // pickMap is the new case's map: a click sets the car's position.
  function pickMap(el, onPick) {
    if (!window.L || !el) return null;
    const map = L.map(el, { zoomControl: true, attributionControl: true, worldCopyJump: true, keyboard: true });
    if (cfg.tile_url) L.tileLayer(cfg.tile_url, { attribution: cfg.tile_attribution || "", maxZoom: 19 }).addTo(map);
    else el.classList.add("no-tiles");
    const borders = cfg.tile_url ? null : countryOutlines(map, () => {});
    map.setView([50.5, 10], 4);
    if (borders) borders.update();
    map.on("moveend", () => { if (borders) borders.update(); });
    let marker = null;
    map.on("click", (ev) => onPick(ev.latlng.lat, ((ev.latlng.lng + 540) % 360) - 180));
    return {
      mark(lat, lon) {
        if (marker) marker.setLatLng([lat, lon]);
        else marker = L.circleMarker([lat, lon], { radius: 9, color: "#fff", weight: 2, fillColor: "#dc2626", fillOpacity: 1 }).addTo(map);
        map.setView([lat, lon], Math.max(map.getZoom(), 9));
      },
      stop() { if (borders) borders.stop(); map.remove(); },
    };
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
