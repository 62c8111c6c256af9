// roadcover desk console: insurance claims. A claim's page shows its
// settlement's arithmetic line by line with the clauses, the reserves and
// payments, its documents and its timeline; a search finds claims by policy
// or car. It registers itself in window.RC_PAGES and draws with the
// console's helpers (app.js); its labels are in claims-i18n.js.
"use strict";
(function () {
  const L = window.RC_CLAIMS_I18N;
  let ui = null;

  // c translates a label of this page (English when a language lacks it).
  function c(key, vars) {
    const lang = ui.lang();
    let s = (L[lang] && L[lang][key]) || L.en[key];
    if (s === undefined) return key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split("{" + k + "}").join(String(v));
    return s;
  }
  // cc translates a code of a family (cover, kind …) or shows it plainly.
  function cc(family, code) {
    const lang = ui.lang();
    const k = family + "." + code;
    return (L[lang] && L[lang][k]) || L.en[k] || String(code).replace(/_/g, " ");
  }
  function sek(amount) {
    if (amount === undefined || amount === null || amount === "") return "";
    const n = Number(amount);
    if (isNaN(n)) return String(amount);
    return n.toLocaleString(ui.locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " kr";
  }
  function day(s) {
    if (!s) return "—";
    const d = new Date(s + "T12:00:00Z");
    return isNaN(d) ? s : d.toLocaleDateString(ui.locale(), { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  }
  function clause(cl) {
    const h = ui.h;
    return cl ? h("span", { class: "clause", title: c("clause") }, cl) : null;
  }
  function badge(text, kind) { return ui.h("span", { class: "badge " + (kind || "") }, text); }
  const statusKind = { open: "info", closed: "", settled: "ok", pending: "warn", eligible: "info", withdrawn: "bad",
    released: "ok", awaiting_approval: "warn", cancelled: "" };

  // ---- the claim page ------------------------------------------------------------
  async function claimPage(id) {
    const h = ui.h;
    const my = ui.page();
    const slot = h("div", { class: "slot", id: "claim-problem" });
    ui.show(h("p", { class: "muted" }, c("loading")));
    let res, events;
    try {
      [res, events] = await Promise.all([
        ui.api("GET", "/v1/claims/" + encodeURIComponent(id) + "?lang=" + ui.lang()),
        ui.api("GET", "/v1/claims/" + encodeURIComponent(id) + "/events?lang=" + ui.lang()).then((r) => r.data.events || []).catch(() => null),
      ]);
    } catch (err) {
      if (!ui.current(my)) return;
      ui.show(h("h1", {}, c("claim") + " " + id), slot);
      return ui.failure(slot, err);
    }
    if (!ui.current(my)) return;
    render(res.data, events, slot);
  }

  function render(cl, events, slot) {
    const h = ui.h;
    const s = cl.settlement || {};
    const t = cl.totals || {};
    const head = h("div", { class: "bar cl-head" },
      h("h1", {}, c("claim") + " ", h("span", { class: "mono", id: "claim-number" }, cl.id)),
      badge(cc("status", cl.status), statusKind[cl.status]),
      h("span", { class: "spacer" }),
      h("a", { class: "button secondary", href: "#/claims?policy=" + encodeURIComponent(cl.policy_id) }, c("claims.ofpolicy")),
      h("button", { type: "button", class: "secondary", onclick: () => claimPage(cl.id) }, c("refresh")));
    const facts = [
      ["policy", h("span", {}, h("span", { class: "mono" }, cl.policy_id), " · ", c("version.n", { n: cl.policy_version }))],
      ["holder", (cl.policyholder || {}).name],
      ["car", [cl.registration, h("span", { class: "mono muted" }, " " + cl.vin)]],
      ["occurred", day((cl.loss || {}).occurred_at)],
      ["reported", day((cl.loss || {}).reported_at)],
      ["peril", cc("peril", ((cl.loss || {}).incident || {}).peril)],
      ["country", ((cl.loss || {}).incident || {}).country],
      ["channel", cc("channel", cl.channel)],
      ["deskcase", cl.desk_case_id ? h("a", { href: "#/case/" + encodeURIComponent(cl.desk_case_id), class: "mono" }, ui.shortID(cl.desk_case_id)) : "—"],
      ["version", String(cl.version)],
    ];
    const summary = h("dl", { class: "cl-facts card" }, facts.map(([k, v]) => h("div", {}, h("dt", {}, c("f." + k)), h("dd", {}, v || "—"))));
    const totals = h("div", { class: "cl-totals", id: "claim-totals" },
      [["payable", t.payable], ["paid", t.paid], ["awaiting", t.awaiting_approval], ["reserve", t.reserve]].map(([k, v]) =>
        h("div", { class: "cl-total", "data-total": k }, h("span", {}, c("total." + k)), h("strong", { class: "money" }, sek(v)))),
      Number(t.overpaid) > 0 ? h("div", { class: "cl-total bad", "data-total": "overpaid" }, h("span", {}, c("total.overpaid")), h("strong", { class: "money" }, sek(t.overpaid))) : null);
    const warnings = [];
    for (const f of cl.flags || []) {
      if (f.cleared) continue;
      warnings.push(h("li", { class: "note" }, badge(c("flag"), "warn"), " ", f.outcome.text, " ", clause(f.outcome.clause),
        (f.claims || []).length ? [" ", (f.claims || []).map((o) => h("a", { href: "#/claim/" + encodeURIComponent(o), class: "mono" }, o))] : null));
    }
    for (const o of cl.outcomes || []) warnings.push(h("li", { class: "note" }, o.text, " ", clause(o.clause)));
    for (const r of s.requirements || []) warnings.push(h("li", { class: "note" }, cc("req", r)));

    // The settlement's arithmetic, line by line.
    const lines = (s.lines || []).map((ln, i) => settledLine(ln, (cl.lines || [])[i]));
    const refusals = (s.refusals || []).map((r) =>
      h("li", { "data-refusal": r.code }, h("strong", {}, cc("cover", r.cover)), ": ", r.text, " ", clause(r.clause)));
    const pbb = s.price_base_amount || {};
    const settlement = h("section", { class: "card", id: "settlement" },
      h("h2", {}, c("settlement"), h("span", { class: "muted small" }, (s.terms || {}).id + " · " + c("pbb", { year: pbb.year, amount: sek(pbb.amount) }))),
      lines.length ? lines : h("p", { class: "empty" }, c("nolines")),
      refusals.length ? [h("h3", {}, c("refusals")), h("ul", { class: "refusals", id: "refusals" }, refusals)] : null,
      h("div", { class: "cl-sum" },
        h("span", {}, c("deductible.total")), h("span", { class: "money" }, sek(s.deductible_total)),
        h("strong", {}, c("payable.total")), h("strong", { class: "money", id: "payable-total" }, sek(s.payable_total))),
      (s.interpretations || []).length ? h("details", { class: "cl-readings" }, h("summary", {}, c("readings", { n: s.interpretations.length })),
        h("ul", {}, s.interpretations.map((x, i) => h("li", {}, x, " ", h("code", { class: "muted" }, (s.readings || [])[i] || ""))))) : null);

    const money = h("section", { class: "card", id: "payments" }, h("h2", {}, c("reserves.payments")),
      h("div", { class: "cl-scroll" }, h("table", { class: "list compact", id: "reserves" },
        h("thead", {}, h("tr", {}, ["line", "ceiling", "paid", "awaiting", "reserve"].map((k) => h("th", {}, c("col." + k))))),
        h("tbody", {}, (cl.lines || []).map((ln) => h("tr", { "data-line": ln.key },
          h("td", { "data-label": c("col.line") }, cc("cover", ln.cover), " ", clause(ln.clause)),
          h("td", { class: "money", "data-label": c("col.ceiling") }, sek(ln.ceiling)),
          h("td", { class: "money", "data-label": c("col.paid") }, sek(ln.paid)),
          h("td", { class: "money", "data-label": c("col.awaiting") }, sek(ln.awaiting_approval)),
          h("td", { class: "money", "data-label": c("col.reserve") }, sek(ln.reserve), ln.manual_reserve ? [" ", badge(c("manual"), "info")] : null)))))),
      (cl.payments || []).length
        ? h("div", { class: "cl-scroll" }, h("table", { class: "list compact", id: "payment-list" },
          h("thead", {}, h("tr", {}, ["payment", "line", "payee", "amount", "status", "ordered"].map((k) => h("th", {}, c("col." + k))))),
          h("tbody", {}, cl.payments.map((p) => h("tr", { "data-payment": p.id },
            h("td", { "data-label": c("col.payment") }, h("span", { class: "mono" }, p.id.split("-").pop()), " ", cc("kind", p.kind), " ", clause(p.clause)),
            h("td", { "data-label": c("col.line") }, cc("cover", lineCover(cl, p.line))),
            h("td", { "data-label": c("col.payee") }, p.payee ? p.payee.name : ""),
            h("td", { class: "money", "data-label": c("col.amount") }, sek(p.amount)),
            h("td", { "data-label": c("col.status") }, badge(cc("pstatus", p.status), statusKind[p.status]), p.approved_by ? h("div", { class: "small muted" }, c("approved")) : null),
            h("td", { class: "small", "data-label": c("col.ordered") }, ui.fmtTime(p.ordered_at)))))))
        : h("p", { class: "muted" }, c("nopayments")));

    const docs = documents(cl, s);
    const timeline = h("section", { class: "card", id: "timeline" }, h("h2", {}, c("timeline")),
      events ? h("ol", { class: "timeline cl-timeline" }, events.map((e) => h("li", { "data-kind": e.kind },
        h("span", { class: "when" }, ui.fmtTime(e.at) + " · " + who(e.actor)),
        h("strong", {}, cc("event", e.kind)), " ", h("span", { class: "what" }, eventText(e))))) : h("p", { class: "muted" }, c("notimeline")));

    ui.show([head, slot, summary, totals,
      warnings.length ? h("ul", { class: "refusals card", id: "claim-warnings" }, warnings) : null,
      h("div", { class: "cl-grid" }, h("div", {}, settlement, money), h("div", {}, docs, timeline))].filter(Boolean));
  }

  // who names the one who acted: a handler by name (or the end of their
  // id when the account is not known here) with the role, so that two
  // handlers' acts (an order and its approval) are told apart.
  function who(a) {
    a = a || {};
    const role = cc("role", a.role);
    if (!a.id || a.role === "system" || a.role === "policyholder") return role;
    return ui.nameOf(a.id) + " (" + role + ")";
  }

  function lineCover(cl, key) {
    for (const ln of cl.lines || []) if (ln.key === key) return ln.cover;
    return key;
  }

  // settledLine is one line's arithmetic: the valuation, the assessed
  // amount, each part of the deductible, what is left, each reduction and
  // the payable, each with its clause; then what the claim pays of it.
  function settledLine(ln, claimLine) {
    const h = ui.h;
    const row = (kind, label, cl, amount, extra) =>
      h("tr", { class: "cl-" + kind }, h("td", { class: "cl-op" }, { minus: "−", eq: "=", plus: "+", step: "" }[kind] || ""),
        h("td", {}, label, extra ? [" ", extra] : null, " ", clause(cl)), h("td", { class: "money" }, sek(amount)));
    const rows = [];
    for (const v of ln.valuation || []) rows.push(row("step", v.text, v.clause, v.amount));
    rows.push(row("eq", h("strong", {}, c("assessed")), null, ln.assessed));
    const parts = ln.deductible_parts || [];
    if (parts.length === 1 && parts[0].amount === ln.deductible) {
      rows.push(row("minus", parts[0].text, parts[0].clause, ln.deductible));
    } else {
      for (const p of parts) rows.push(row("part", p.text, p.clause, p.amount));
      rows.push(row("minus", h("strong", {}, c("deductible")), null, ln.deductible));
    }
    rows.push(row("eq", h("strong", {}, c("net")), null, ln.net));
    for (const r of ln.reductions || []) rows.push(row("minus", r.text, r.clause, r.amount, r.percent ? h("span", { class: "muted" }, r.percent + " %") : null));
    rows.push(row("eq", h("strong", {}, c("payable")), null, ln.payable));
    const extra = [];
    if (claimLine && Number(claimLine.double_insurance) > 0) {
      extra.push(row("minus", c("double"), "4.11", claimLine.double_insurance));
      extra.push(row("eq", h("strong", {}, c("ceiling")), null, claimLine.ceiling));
    }
    return h("article", { class: "cl-line", "data-cover": ln.cover, "data-status": ln.status },
      h("div", { class: "cl-line-head" },
        h("strong", { class: "cl-cover" }, cc("cover", ln.cover)), clause(ln.clause), badge(cc("lstatus", ln.status), statusKind[ln.status]),
        ln.new_car ? badge(c("newcar"), "info") : null,
        h("span", { class: "spacer" }), h("strong", { class: "money cl-line-payable" }, sek(ln.payable))),
      ln.text ? h("p", { class: "muted small cl-line-text" }, ln.text) : null,
      h("table", { class: "cl-arith" }, h("tbody", {}, rows, extra)));
  }

  // documents are what the claim rests on: the loss as reported, the
  // insurance letter it is settled under, the settlement, its decisions,
  // complaints, valuations, recoveries and the time bar.
  function documents(cl, s) {
    const h = ui.h;
    const items = [];
    items.push(h("li", {}, h("strong", {}, c("doc.letter")), " ", h("span", { class: "mono" }, cl.policy_id + "-" + cl.policy_version),
      " ", clause("1.3")));
    items.push(h("li", {}, h("strong", {}, c("doc.settlement")), " ", (s.terms || {}).id || "", " · ", c("from", { day: day((s.terms || {}).in_force_from) }),
      h("details", {}, h("summary", {}, c("show")), h("pre", { class: "cl-json" }, JSON.stringify(s, null, 1)))));
    items.push(h("li", {}, h("strong", {}, c("doc.loss")), h("details", {}, h("summary", {}, c("show")), h("pre", { class: "cl-json" }, JSON.stringify(cl.loss, null, 1)))));
    for (const d of cl.decisions || []) items.push(h("li", { "data-doc": "decision" }, h("strong", {}, c("doc.decision")), " ", day(d.day), " · ", sek(d.payable_total), d.note ? " · " + d.note : ""));
    for (const k of cl.complaints || []) items.push(h("li", { "data-doc": "complaint" }, h("strong", {}, c("doc.complaint")), " ", cc("forum", k.forum), " · ",
      c("received", { day: day(k.received_on) }), k.deadline ? " · " + c("deadline", { day: day(k.deadline) }) : "", " ",
      badge(k.in_time ? c("intime") : c("late"), k.in_time ? "ok" : "bad"), " ", clause(k.outcome && k.outcome.clause)));
    for (const v of cl.valuations || []) items.push(h("li", { "data-doc": "valuation" }, h("strong", {}, c("doc.valuation")), " ", v.fact, " · ",
      sek(v.our_value), v.recorded ? " → " + sek(v.valuer_value) : "", " ", clause("4.10")));
    for (const r of cl.recoveries || []) items.push(h("li", { "data-doc": "recovery" }, h("strong", {}, c("doc.recovery")), " ", cc("recovery", r.kind), " · ",
      sek(r.amount), " (" + sek(r.received) + ")", " ", clause("5.3")));
    for (const o of cl.other_insurance || []) items.push(h("li", { "data-doc": "other" }, h("strong", {}, c("doc.other")), " ", o.insurer, " · ", sek(o.paid), " ", clause("4.11")));
    const lim = cl.limitation;
    if (lim) items.push(h("li", { "data-doc": "limitation" }, h("strong", {}, c("doc.limitation")), " ", c("lastday", { day: day(lim.last_day) }), " ", clause(lim.clause),
      h("div", { class: "small muted" }, lim.text)));
    return h("section", { class: "card", id: "documents" }, h("h2", {}, c("documents")), h("ul", { class: "cl-docs" }, items));
  }

  function eventText(e) {
    const d = e.data || {};
    switch (e.kind) {
      case "reported": return cc("channel", d.channel) + (d.settled ? " · " + sek(d.settled.payable_total) : "");
      case "facts_changed": return (d.reason || "") + (d.settled ? " · " + sek(d.settled.payable_total) : "");
      case "reserve_set": return cc("cover", d.line) + " · " + (d.automatic ? c("automatic") : sek(d.amount)) + (d.reason ? " · " + d.reason : "");
      case "payment_ordered": return d.order ? cc("cover", d.order.line) + " · " + sek(d.order.amount) + " · " + cc("pstatus", d.order.status) : "";
      case "payment_approved": case "payment_cancelled": return (d.payment_id || "").split("-").pop() + (d.reason ? " · " + d.reason : "");
      case "decided": return d.decision ? sek(d.decision.payable_total) + (d.decision.note ? " · " + d.decision.note : "") : "";
      case "complaint_received": return d.complaint ? cc("forum", d.complaint.forum) + " · " + (d.complaint.in_time ? c("intime") : c("late")) : "";
      case "flag_raised": return d.flag && d.flag.outcome ? d.flag.outcome.text : "";
      case "flag_cleared": return d.reason || "";
      case "closed": case "reopened": case "reopen_refused": return d.reason || "";
      case "recovery_claimed": return d.recovery ? cc("recovery", d.recovery.kind) + " · " + sek(d.recovery.amount) : "";
      case "recovery_received": return sek(d.amount);
      case "other_insurance_recorded": return d.other_insurance ? d.other_insurance.insurer + " · " + sek(d.other_insurance.paid) : "";
      default: return "";
    }
  }

  // ---- finding claims ------------------------------------------------------------
  async function claimsPage(hash) {
    const h = ui.h;
    const my = ui.page();
    const q = new URLSearchParams(hash.split("?")[1] || "");
    const slot = h("div", { class: "slot" });
    const input = h("input", { name: "q", id: "claims-q", value: q.get("policy") || q.get("vin") || "", placeholder: c("search.placeholder"), autocomplete: "off" });
    const form = h("form", { class: "card bar", id: "claims-search" }, h("label", { class: "field cl-search" }, h("span", {}, c("search")), input),
      h("button", { type: "submit", id: "claims-find" }, c("find")));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const v = input.value.trim();
      location.hash = "#/claims?" + (/^[A-HJ-NPR-Z0-9]{17}$/i.test(v) ? "vin=" : "policy=") + encodeURIComponent(v);
    });
    ui.show(h("h1", {}, c("claims")), form, slot);
    if (!q.get("policy") && !q.get("vin")) return;
    let res;
    try {
      res = await ui.api("GET", "/v1/claims?" + q.toString());
    } catch (err) {
      if (ui.current(my)) ui.failure(slot, err);
      return;
    }
    if (!ui.current(my)) return;
    const rows = (res.data.claims || []).map((x) => h("tr", {},
      h("td", { "data-label": c("col.claim") }, h("a", { class: "row-link", href: "#/claim/" + encodeURIComponent(x.id) }, x.id)),
      h("td", { "data-label": c("col.occurred") }, day(x.occurred_at)), h("td", { "data-label": c("col.peril") }, cc("peril", x.peril)),
      h("td", { "data-label": c("col.car") }, x.registration),
      h("td", { class: "money", "data-label": c("col.payable") }, sek(x.payable_total)), h("td", { class: "money", "data-label": c("col.paid") }, sek(x.paid_total)),
      h("td", { "data-label": c("col.status") }, badge(cc("status", x.status), statusKind[x.status]))));
    slot.replaceChildren(rows.length
      ? h("div", { class: "cl-scroll" }, h("table", { class: "list", id: "claims-table" },
        h("thead", {}, h("tr", {}, ["claim", "occurred", "peril", "car", "payable", "paid", "status"].map((k) => h("th", {}, c("col." + k))))),
        h("tbody", {}, rows)))
      : h("p", { class: "empty" }, c("noclaims")));
  }

  // The "Claims" link in the console's bar, labelled in the language shown.
  function chrome(u, signed, hash) {
    ui = u;
    let a = document.getElementById("nav-claims");
    if (!a) {
      a = document.createElement("a");
      a.id = "nav-claims";
      a.href = "#/claims";
      document.getElementById("nav").append(a);
    }
    a.textContent = c("claims");
    a.classList.toggle("active", hash.startsWith("#/claim"));
  }

  window.RC_PAGES = (window.RC_PAGES || []).concat([
    { prefix: "#/claims", chrome, render: (hash, u) => { ui = u; return claimsPage(hash); } },
    { prefix: "#/claim/", render: (hash, u) => { ui = u; return claimPage(decodeURIComponent(hash.slice(8))); } },
  ]);
})();
