// roadcover desk console: the review queue of receipts. Each receipt a
// person must look at (a possible duplicate, or a line cut or refused that
// requires something) is shown with its image beside the check, and is
// approved, cut or refused in one step. Plain JavaScript, no build step; it
// talks to the JSON API with the operator's session (its cookie and request
// token, window.RC_SESSION) and needs nothing else of app.js but the hook
// that hands it the page for #/receipts.
"use strict";
(function () {
  const cfg = JSON.parse(document.body.dataset.config || "{}");
  const L = window.RC_RECEIPTS_I18N;
  const REASONS = ["not_cheapest_way", "not_equivalent_car", "not_during_repair", "duplicate_receipt",
    "unreadable_receipt", "not_for_this_case", "other"];

  function lang() {
    const sel = document.getElementById("lang-select");
    const l = (sel && sel.value) || localStorage.getItem("rc.lang") || "en";
    return L[l] ? l : "en";
  }
  function t(key, vars) {
    let s = L[lang()][key];
    if (s === undefined) s = L.en[key];
    if (s === undefined) return key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split("{" + k + "}").join(String(v));
    return s;
  }
  // tc labels a code of a family, or shows the code plainly.
  function tc(family, code) {
    const s = L[lang()][family + "." + code] || L.en[family + "." + code];
    return s || String(code).replace(/_/g, " ");
  }
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
  function locale() { return { en: "en-GB", de: "de-DE", pt: "pt-PT", da: "da-DK", sv: "sv-SE" }[lang()]; }
  function money(m) {
    if (!m) return "";
    const n = Number(m.amount);
    return (isNaN(n) ? m.amount : n.toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 })) + " " + m.currency;
  }
  function size(n) {
    return n < 1024 ? n + " B" : n < 1 << 20 ? Math.round(n / 1024) + " KB" : (n / (1 << 20)).toFixed(1) + " MB";
  }
  // required says what a line requires: a payee, a rate, a VAT amount, a
  // choice, a calendar ("rate:CHF:2026-07-04", "choice:collection").
  function required(q) {
    const [what, a, b] = q.split(":");
    switch (what) {
      case "payee": return t("rc.req.payee");
      case "rate": return t("rc.req.rate", { currency: a, day: b ? day(b) : "" });
      case "vat_amount": return t("rc.req.vat_amount");
      case "choice": return t("rc.req.choice");
      case "calendar": return t("rc.req.calendar", { country: a });
    }
    return q;
  }
  function day(s) {
    const d = new Date(s + "T12:00:00Z");
    return isNaN(d) ? s : d.toLocaleDateString(locale(), { day: "numeric", month: "short", year: "numeric" });
  }

  // ---- API ----------------------------------------------------------------
  // Requests go with the session's cookie; a change carries the session's
  // request token (X-CSRF-Token), as the console's own requests do.
  function headers(extra, method) {
    const hd = Object.assign({ Accept: "application/json, application/problem+json" }, extra || {});
    const csrf = window.RC_SESSION ? window.RC_SESSION.csrf() : "";
    if (method && method !== "GET" && csrf) hd["X-CSRF-Token"] = csrf;
    return hd;
  }
  async function api(method, path, body) {
    const opts = { method, headers: headers(null, method), cache: "no-store", credentials: "same-origin" };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.headers["Idempotency-Key"] = newKey();
      opts.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch((cfg.api_base || "") + path, opts);
    } catch (err) {
      throw { title: t("rc.network"), detail: String(err), status: 0 };
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
    if (!res.ok) throw Object.assign({ status: res.status, title: res.statusText, detail: text }, data || {});
    return data;
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }
  // fileURL fetches a receipt's file with the token (an <img> cannot send
  // one) and gives it as a blob: URL, revoked when the page is left.
  let urls = [];
  async function fileURL(r) {
    const res = await fetch((cfg.api_base || "") + r.file.href, { headers: headers(), cache: "no-store", credentials: "same-origin" });
    if (!res.ok) throw { status: res.status, title: res.statusText };
    const url = URL.createObjectURL(await res.blob());
    urls.push(url);
    return url;
  }
  function forgetFiles() {
    for (const u of urls) URL.revokeObjectURL(u);
    urls = [];
  }

  function problem(p) {
    const errs = Array.isArray(p.errors) ? p.errors : [];
    return h("div", { class: "problem", role: "alert", "data-status": String(p.status || "") },
      h("div", { class: "problem-head" }, h("strong", {}, (p.status ? p.status + " · " : "") + (p.title || t("rc.problem")))),
      p.detail ? h("p", { class: "problem-detail" }, p.detail) : null,
      errs.length ? h("ul", { class: "problem-errors" }, errs.map((e) => h("li", { "data-field": e.field }, h("code", {}, e.field), " ", e.detail))) : null);
  }

  // ---- the page -------------------------------------------------------------
  let view = null;
  async function page(v) {
    view = v;
    forgetFiles();
    nav();
    const list = h("div", { id: "rc-queue", class: "rc-queue" }, h("p", { class: "muted" }, t("rc.loading")));
    const count = h("span", { id: "rc-count", class: "badge" }, "…");
    v.replaceChildren(
      h("div", { class: "bar" }, h("h1", {}, t("rc.title")), count,
        h("span", { class: "spacer" }),
        h("button", { type: "button", class: "secondary", id: "rc-refresh", onclick: () => page(v) }, t("rc.refresh"))),
      h("p", { class: "muted small" }, t("rc.help")),
      list);
    let data;
    try {
      data = await api("GET", "/v1/receipts?status=review&lang=" + lang());
    } catch (p) {
      if (p.status === 401) { location.hash = "#/signin"; return; }
      list.replaceChildren(problem(p));
      return;
    }
    const items = data.receipts || [];
    count.textContent = String(items.length);
    if (!items.length) {
      list.replaceChildren(h("p", { class: "empty", id: "rc-empty" }, t("rc.empty")));
      return;
    }
    list.replaceChildren(...items.map((r) => card(r, list, count)));
  }

  function card(r, list, count) {
    const line = r.line || {};
    const media = h("div", { class: "rc-media" }, h("p", { class: "muted" }, t("rc.loading")));
    fileURL(r).then((url) => {
      if (r.file.media_type === "application/pdf") {
        media.replaceChildren(h("div", { class: "rc-pdf" }, h("p", {}, "PDF · " + size(r.file.size)),
          h("a", { class: "button secondary", href: url, download: "receipt-" + r.id + ".pdf" }, t("rc.pdf"))));
      } else {
        media.replaceChildren(h("img", { src: url, alt: t("rc.image", { merchant: r.merchant }), class: "rc-img" }));
      }
    }, (p) => media.replaceChildren(problem(p)));

    const why = [];
    for (const d of r.duplicates || []) {
      why.push(h("li", { class: "rc-dup" }, h("strong", {}, t("rc.duplicate")), " ",
        (d.why || []).map((w) => tc("rc.why", w)).join(", "),
        d.distance !== undefined ? " (" + t("rc.distance", { n: d.distance }) + ")" : "",
        " · ", h("code", {}, d.receipt.slice(-8))));
    }
    for (const q of r.requires || []) {
      why.push(h("li", { class: "rc-req", "data-requires": q }, h("strong", {}, t("rc.requires")), " ", required(q)));
    }
    const steps = (line.steps || []).filter((s) => s.text !== line.text).map((s) =>
      h("li", {}, h("code", { class: "rc-clause" }, s.clause), " ", s.text));
    const sug = r.suggestion;
    const sugBox = sug ? h("div", { class: "rc-sug" }, h("strong", {}, t("rc.suggestion")), " ",
      [sug.amount ? h("span", { class: (sug.differs || []).includes("amount") ? "rc-differs" : "" }, money(sug.amount)) : null,
        sug.date ? h("span", { class: (sug.differs || []).includes("date") ? "rc-differs" : "" }, day(sug.date)) : null,
        sug.merchant ? h("span", { class: (sug.differs || []).includes("merchant") ? "rc-differs" : "" }, sug.merchant) : null]
        .filter(Boolean).flatMap((x, i) => (i ? [" · ", x] : [x]))) : null;

    const slot = h("div", { class: "slot" });
    const limitCur = (line.amount && line.amount.currency) || (r.amount && r.amount.currency) || "";
    const claimed = line.claimed_in_limit_currency || r.claimed;
    // A cut's amount starts at what the check pays, or else at the claim in
    // the limit's currency; empty when no rate gave that.
    const pays = r.amount && Number(r.amount.amount) > 0;
    const start = pays ? r.amount : (claimed && claimed.currency === limitCur ? claimed : null);
    const amount = h("input", { name: "amount", inputmode: "decimal", value: start ? start.amount : "", "aria-label": t("rc.amount") });
    const reason = h("select", { name: "reason", "aria-label": t("rc.reason") },
      h("option", { value: "" }, t("rc.reason.pick")), REASONS.map((c) => h("option", { value: c }, tc("rc.reason", c))));
    const note = h("input", { name: "note", maxlength: "1000", placeholder: t("rc.note"), "aria-label": t("rc.note") });
    const el = h("article", { class: "card rc-card", id: "rc-" + r.id, "data-status": r.status },
      h("header", { class: "rc-head" },
        h("h2", {}, tc("rc.cat", r.category), " · ", r.merchant),
        h("span", { class: "badge rc-" + r.status }, tc("rc.status", r.status)),
        h("a", { href: "#/case/" + encodeURIComponent(r.case_id), class: "small" }, t("rc.case"))),
      h("div", { class: "rc-body" },
        media,
        h("div", { class: "rc-check" },
          h("dl", { class: "rc-facts" },
            h("dt", {}, t("rc.date")), h("dd", {}, day(r.date)),
            h("dt", {}, t("rc.claimed")), h("dd", {}, money(r.claimed)),
            claimed && r.claimed && claimed.currency !== r.claimed.currency ? [h("dt", {}, t("rc.converted")), h("dd", {}, money(claimed))] : null,
            h("dt", {}, t("rc.paid")), h("dd", { class: "rc-amount" }, money(r.amount)),
            h("dt", {}, t("rc.clause")), h("dd", {}, h("code", {}, line.clause || ""))),
          h("p", { class: "rc-text" }, line.text || ""),
          steps.length ? h("ol", { class: "rc-steps" }, steps) : null,
          why.length ? h("ul", { class: "rc-why" }, why) : null,
          sugBox,
          h("form", { class: "rc-act", onsubmit: (ev) => ev.preventDefault() },
            h("div", { class: "rc-inputs" },
              h("label", { class: "field" }, h("span", {}, t("rc.amount") + " (" + limitCur + ")"), amount),
              h("label", { class: "field" }, h("span", {}, t("rc.reason")), reason),
              h("label", { class: "field wide" }, h("span", {}, t("rc.note")), note)),
            h("div", { class: "rc-buttons" },
              h("button", { type: "button", class: "rc-approve", onclick: () => act("approve"), disabled: !pays, title: pays ? null : t("rc.approve.none") }, t("rc.approve")),
              h("button", { type: "button", class: "rc-cut", onclick: () => act("cut") }, t("rc.cut")),
              h("button", { type: "button", class: "rc-refuse", onclick: () => act("refuse") }, t("rc.refuse")))),
          slot)));

    async function act(action) {
      const body = { action };
      if (action !== "approve") {
        if (reason.value) body.reason = reason.value;
        if (note.value.trim()) body.note = note.value.trim();
      }
      if (action === "cut") {
        body.amount = amount.value.trim().replace(",", ".");
        body.currency = limitCur;
      }
      el.querySelectorAll("button").forEach((b) => { b.disabled = true; });
      try {
        const done = await api("POST", "/v1/receipts/" + encodeURIComponent(r.id) + "/review", body);
        el.replaceWith(h("p", { class: "card small rc-done", id: "rc-done-" + r.id, role: "status" },
          t("rc.done." + action, { merchant: r.merchant, amount: money(done.amount) })));
        count.textContent = String(list.querySelectorAll(".rc-card").length);
        if (!list.querySelector(".rc-card")) list.append(h("p", { class: "empty", id: "rc-empty" }, t("rc.empty")));
      } catch (p) {
        slot.replaceChildren(problem(p));
        // The fields the problem names, marked at their inputs.
        el.querySelectorAll(".invalid").forEach((x) => { x.classList.remove("invalid"); x.removeAttribute("aria-invalid"); });
        for (const e of p.errors || []) {
          const x = el.querySelector('[name="' + CSS.escape(e.field) + '"]');
          if (x) { x.classList.add("invalid"); x.setAttribute("aria-invalid", "true"); }
        }
        el.querySelectorAll("button").forEach((b) => { b.disabled = b.classList.contains("rc-approve") && !pays; });
      }
    }
    return el;
  }

  // The entry in the menu, labelled in the console's language.
  function nav() {
    const navEl = document.getElementById("nav");
    if (!navEl) return;
    let a = document.getElementById("nav-receipts");
    if (!a) {
      a = h("a", { href: "#/receipts", id: "nav-receipts" });
      navEl.append(a);
    }
    a.textContent = t("rc.nav");
    a.classList.toggle("active", (location.hash || "").startsWith("#/receipts"));
  }
  window.addEventListener("hashchange", () => { nav(); if (!(location.hash || "").startsWith("#/receipts")) forgetFiles(); });
  const sel = document.getElementById("lang-select");
  if (sel) sel.addEventListener("change", nav);
  document.addEventListener("DOMContentLoaded", nav);
  nav();

  window.RC_RECEIPTS = { page };
})();
