// roadcover desk console: money out. The open payables (what checked
// receipts and released claim payments owe), by currency, and the payment
// batches: made by one person, approved and released by others, the bank
// file downloaded, the bank's status report read back. It registers itself
// in window.RC_PAGES and draws with the console's helpers (app.js); its
// labels are in payments-i18n.js.
"use strict";
(function () {
  const L = window.RC_PAYMENTS_I18N;
  let ui = null;

  function p(key, vars) {
    const lang = ui.lang();
    let s = (L[lang] && L[lang][key]) || L.en[key];
    if (s === undefined) return key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split("{" + k + "}").join(String(v));
    return s;
  }
  function money(amount, currency) {
    const n = Number(amount);
    if (isNaN(n)) return amount + " " + currency;
    return n.toLocaleString(ui.locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " " + currency;
  }
  const who = () => (window.RC_SESSION ? window.RC_SESSION.role() : "");
  const mayPay = () => ["admin", "payments"].includes(who());

  async function page() {
    const h = ui.h;
    const my = ui.page();
    const slot = h("div", { class: "slot", id: "payments-problem" });
    ui.show(h("h1", {}, p("title")), h("p", { class: "muted" }, p("loading")));
    let payables, batches, inBatch;
    try {
      [payables, batches, inBatch] = await Promise.all([
        ui.api("GET", "/v1/payables?status=open").then((r) => r.data.payables || []),
        ui.api("GET", "/v1/payment-batches").then((r) => r.data.batches || []),
        ui.api("GET", "/v1/payables?status=in_batch").then((r) => r.data.payables || []),
        ui.loadAccounts(),
      ]);
    } catch (err) {
      if (!ui.current(my)) return;
      ui.show(h("h1", {}, p("title")), slot);
      return ui.failure(slot, err);
    }
    if (!ui.current(my)) return;

    // What is owed, by currency, with one button to batch it.
    const byCur = {};
    for (const x of payables) (byCur[x.currency] = byCur[x.currency] || []).push(x);
    const owed = Object.keys(byCur).sort().map((cur) => {
      const list = byCur[cur];
      const total = list.reduce((s, x) => s + Math.round(Number(x.amount) * 100), 0) / 100;
      return h("section", { class: "card pay-owed", "data-currency": cur },
        h("div", { class: "bar" },
          h("h3", {}, p(list.length === 1 ? "owed.one" : "owed", { n: list.length, currency: cur })),
          h("span", { class: "spacer" }),
          h("strong", {}, money(total, cur)),
          mayPay() ? h("button", { type: "button", class: "pay-make", onclick: () => act("POST", "/v1/payment-batches", { currency: cur }) }, p("make")) : null),
        table(list));
    });

    // A table of payables: who is paid, into which account, how much, why.
    function table(list) {
      return h("div", { class: "table-scroll" }, h("table", { class: "list" },
        h("thead", {}, h("tr", {}, ["payable", "for", "payee", "amount", "clause"].map((k) => h("th", {}, p("col." + k))))),
        h("tbody", {}, list.map((x) => h("tr", { "data-payable": x.id },
          h("td", { class: "mono", "data-label": p("col.payable") }, x.id),
          h("td", { "data-label": p("col.for") }, p("src." + x.source.kind) + " " + ui.shortID(x.source.id)),
          h("td", { class: "pay-payee", "data-label": p("col.payee") }, h("div", {}, h("div", {}, x.payee_name || x.payee),
            x.payee_account ? h("div", { class: "muted small mono pay-account" }, x.payee_account) : null)),
          h("td", { class: "num", "data-label": p("col.amount") }, money(x.amount, x.currency)),
          h("td", { "data-label": p("col.clause") }, h("span", { class: "v" }, x.terms + " § " + x.clause)))))));
    }

    // The batches, newest first, each with what may be done with it now.
    const cards = batches.slice().reverse().map((b) => {
      const approved = (b.approvers || []).length;
      const steps = [];
      const mine = b.maker === ui.me() || (b.approvers || []).includes(ui.me());
      if (b.status === "draft" && mayPay() && mine) {
        steps.push(h("span", { class: "muted small pay-waiting" }, p("waiting")));
      }
      if (b.status === "draft" && mayPay() && !mine) {
        if (approved + 1 < b.approvals_required) steps.push(h("button", { type: "button", class: "pay-approve", onclick: () => act("POST", "/v1/payment-batches/" + b.id + "/approve") }, p("approve")));
        else steps.push(h("button", { type: "button", class: "pay-release", onclick: () => act("POST", "/v1/payment-batches/" + b.id + "/release", {}) }, p("release")));
      }
      if (b.status === "draft" && mayPay()) {
        steps.push(h("button", { type: "button", class: "secondary pay-cancel", onclick: () => act("POST", "/v1/payment-batches/" + b.id + "/cancel") }, p("cancel")));
      }
      if (b.status === "released") {
        steps.push(h("a", { class: "button secondary pay-file", href: "/v1/payment-batches/" + b.id + "/pain.001", download: b.id + ".xml" }, p("file")));
        if (mayPay()) {
          const input = h("input", { type: "file", accept: ".xml,application/xml,text/xml", id: "report-" + b.id, class: "pay-report visually-hidden" });
          input.addEventListener("change", () => report(b.id, input.files[0]));
          steps.push(h("label", { class: "button secondary", for: "report-" + b.id }, p("report")), input);
        }
      }
      const outcomes = b.outcomes || [];
      // A draft shows whom it pays and where, for the person who releases it.
      const held = b.status === "draft" ? inBatch.filter((x) => x.batch === b.id) : [];
      return h("section", { class: "card pay-batch", id: "batch-" + b.id, "data-status": b.status },
        h("div", { class: "bar" },
          h("h3", {}, b.id + " · " + money(b.total, b.currency)),
          h("span", { class: "badge " + ({ draft: "warn", released: "ok", cancelled: "" }[b.status] || "") }, p("status." + b.status)),
          h("span", { class: "spacer" }), ...steps),
        h("p", { class: "muted small" }, p("summary", { n: b.count, maker: ui.nameOf(b.maker), approved, required: b.approvals_required }) +
          (b.execution_date ? " · " + p("execution", { day: b.execution_date }) : "")),
        held.length ? table(held) : null,
        outcomes.length ? h("ul", { class: "pay-outcomes" }, outcomes.map((o) => h("li", {}, o.payable + ": " + p("outcome." + o.result) + (o.code ? " (" + o.code + ")" : "")))) : null);
    });

    ui.show(h("div", { class: "bar" }, h("h1", {}, p("title")), h("span", { class: "spacer" }),
      h("button", { type: "button", class: "secondary", onclick: () => page() }, ui.t("refresh"))), slot,
    h("h2", {}, p("owed.title")), owed.length ? h("div", {}, owed) : h("p", { class: "empty", id: "pay-none-owed" }, p("owed.none")),
    h("h2", {}, p("batches.title")), cards.length ? h("div", {}, cards) : h("p", { class: "empty" }, p("batches.none")));

    async function act(method, path, body) {
      try {
        await ui.api(method, path, body === undefined ? undefined : { body });
        page();
      } catch (err) {
        ui.failure(slot, err);
        slot.scrollIntoView({ block: "nearest" });
      }
    }
    async function report(id, file) {
      if (!file) return;
      const csrf = window.RC_SESSION ? window.RC_SESSION.csrf() : "";
      const res = await fetch("/v1/payment-batches/" + id + "/status-report", { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/xml", Accept: "application/json, application/problem+json", "X-CSRF-Token": csrf,
          "Idempotency-Key": ui.newKey() }, body: await file.text() });
      if (res.ok) return page();
      let prob = { status: res.status, title: res.statusText };
      try { prob = Object.assign(prob, await res.json()); } catch (_) { /* not JSON */ }
      ui.failure(slot, new ui.ApiError(prob));
    }
  }

  // The "Payments" link in the console's bar, for those who pay.
  function chrome(u, signed, hash) {
    ui = u;
    let a = document.getElementById("nav-payments");
    if (!a) {
      a = document.createElement("a");
      a.id = "nav-payments";
      a.href = "#/payments";
      document.getElementById("nav").append(a);
    }
    a.hidden = !signed || !mayPay();
    a.textContent = p("nav");
    a.classList.toggle("active", hash.startsWith("#/payments"));
  }

  window.RC_PAGES = (window.RC_PAGES || []).concat([
    { prefix: "#/payments", chrome, render: (hash, u) => { ui = u; return page(); } },
  ]);
})();
