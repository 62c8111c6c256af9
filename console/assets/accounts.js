// roadcover desk console: the desk's accounts, for administrators. The
// list (name, email, role, payment limit, access, last sign-in), a new
// account with a one-time password shown once, and per account its name,
// role and payment limit changed (If-Match on its version), disabling and
// enabling, a password reset to a new one-time password, and the record
// of its changes. It registers itself in window.RC_PAGES and draws with
// the console's helpers (app.js); its labels are in accounts-i18n.js.
"use strict";
(function () {
  const L = window.RC_ACCOUNTS_I18N;
  const ROLES = ["admin", "operator", "claims_handler", "payments"];
  let ui = null;
  // shown is a one-time password to show on the next drawing of its
  // account's page, and only then.
  let shown = null;

  function a(key, vars) {
    const lang = ui.lang();
    let s = (L[lang] && L[lang][key]) || L.en[key];
    if (s === undefined) return key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split("{" + k + "}").join(String(v));
    return s;
  }
  const isAdmin = () => (window.RC_SESSION ? window.RC_SESSION.role() : "") === "admin";
  function sek(amount) {
    if (!amount) return "";
    const n = Number(amount);
    if (isNaN(n)) return amount + " SEK";
    return n.toLocaleString(ui.locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " SEK";
  }
  function limitOf(acc) { return acc.role === "claims_handler" ? (Number(acc.payment_limit) ? sek(acc.payment_limit) : a("none")) : "—"; }
  function locked(acc) { return acc.locked_until && new Date(acc.locked_until) > new Date(); }
  function accessBadges(acc) {
    const h = ui.h;
    return [
      h("span", { class: "badge " + (acc.disabled ? "bad" : "ok"), "data-access": acc.disabled ? "disabled" : "enabled" }, a(acc.disabled ? "disabled" : "enabled")),
      locked(acc) ? h("span", { class: "badge warn" }, a("locked", { t: ui.fmtTime(acc.locked_until) })) : null,
      acc.password_change_due ? h("span", { class: "badge info" }, a("due")) : null,
    ];
  }
  function field(label, input, hint) {
    const h = ui.h;
    return h("div", { class: "field" }, h("label", { for: input.id }, label), input, hint ? h("span", { class: "small muted", id: input.id + "-hint" }, hint) : null);
  }
  function roleSelect(id, value) {
    const h = ui.h;
    return h("select", { id, name: "role" }, ROLES.map((r) => {
      const o = h("option", { value: r }, ui.tc("roles", r));
      if (r === value) o.selected = true;
      return o;
    }));
  }
  // limitField is the payment limit's field, shown while the role chosen
  // is a claims handler's.
  function limitField(id, value, role) {
    const input = ui.h("input", { id, name: "payment_limit", type: "text", inputmode: "decimal", autocomplete: "off", value: value || "", "aria-describedby": id + "-hint" });
    const f = field(a("f.limit"), input, a("f.limit.hint"));
    const follow = () => { f.hidden = role.value !== "claims_handler"; };
    role.addEventListener("change", follow);
    follow();
    return { f, input };
  }

  // ---- the list --------------------------------------------------------------
  async function listPage() {
    const h = ui.h;
    const my = ui.page();
    const slot = h("div", { class: "slot", id: "accounts-problem" });
    ui.show(h("h1", {}, a("title")), h("p", { class: "muted" }, a("loading")));
    let list;
    try {
      list = (await ui.api("GET", "/v1/accounts")).data.accounts || [];
    } catch (err) {
      if (!ui.current(my)) return;
      ui.show(h("h1", {}, a("title")), slot);
      return ui.failure(slot, err);
    }
    if (!ui.current(my)) return;
    const rows = list.map((x) => h("tr", { "data-account": x.id, "data-email": x.email, class: x.disabled ? "acc-disabled" : null },
      h("td", { "data-label": a("col.name") }, h("span", { class: "v" }, h("a", { href: "#/accounts/" + encodeURIComponent(x.id), class: "acc-link" }, x.name),
        x.id === ui.me() ? h("span", { class: "muted small" }, " (" + a("you") + ")") : null)),
      h("td", { "data-label": a("col.email") }, h("span", { class: "v acc-email" }, x.email)),
      h("td", { "data-label": a("col.role"), class: "acc-role" }, h("span", { class: "v" }, ui.tc("roles", x.role))),
      h("td", { "data-label": a("col.limit"), class: "num acc-limit" }, h("span", { class: "v" }, limitOf(x))),
      h("td", { "data-label": a("col.enabled") }, h("span", { class: "v" }, accessBadges(x))),
      h("td", { "data-label": a("col.last"), class: "acc-last" }, h("span", { class: "v" }, x.last_sign_in_at ? ui.fmtTime(x.last_sign_in_at) : a("never")))));
    ui.show(
      h("div", { class: "bar" }, h("h1", {}, a("title")), h("span", { class: "muted" }, a(list.length === 1 ? "count.one" : "count", { n: list.length })),
        h("span", { class: "spacer" }), h("button", { type: "button", class: "secondary", onclick: () => listPage() }, ui.t("refresh"))),
      slot,
      h("table", { class: "list acc-list", id: "accounts" },
        h("thead", {}, h("tr", {}, ["name", "email", "role", "limit", "enabled", "last"].map((k) => h("th", { scope: "col" }, a("col." + k))))),
        h("tbody", {}, rows)),
      createForm());
  }

  function createForm() {
    const h = ui.h;
    const slot = h("div", { class: "slot", id: "create-problem" });
    const email = h("input", { id: "acc-email", name: "email", type: "email", autocomplete: "off", spellcheck: "false" });
    const name = h("input", { id: "acc-name", name: "name", type: "text", autocomplete: "off", maxlength: "200" });
    const role = roleSelect("acc-role", "operator");
    const limit = limitField("acc-limit", "", role);
    const form = h("form", { class: "card acc-create", id: "create-form", "aria-labelledby": "create-h", novalidate: true },
      h("h2", { id: "create-h" }, a("create.title")),
      h("p", { class: "muted small" }, a("create.note")),
      h("div", { class: "grid" }, field(a("f.email"), email), field(a("f.name"), name), field(a("f.role"), role), limit.f),
      slot, h("button", { type: "submit", id: "create-submit" }, a("create.submit")));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      slot.replaceChildren();
      const body = { email: email.value.trim(), name: name.value, role: role.value };
      if (role.value === "claims_handler" && limit.input.value.trim()) body.payment_limit = limit.input.value.trim();
      try {
        const r = await ui.api("POST", "/v1/accounts", { body, headers: { "Idempotency-Key": ui.newKey() } });
        shown = { id: r.data.id, password: r.data.one_time_password || "" };
        if (ui.forgetAccounts) ui.forgetAccounts();
        location.hash = "#/accounts/" + encodeURIComponent(r.data.id);
      } catch (err) {
        const box = ui.failure(slot, err, form);
        if (box && box.firstField) box.firstField.focus();
      }
    });
    return form;
  }

  // ---- one account -----------------------------------------------------------
  async function accountPage(id, notice) {
    const h = ui.h;
    const my = ui.page();
    const slot = h("div", { class: "slot", id: "account-problem" });
    const back = h("p", {}, h("a", { href: "#/accounts", id: "acc-back" }, "← " + a("back")));
    let r;
    try {
      r = await ui.api("GET", "/v1/accounts/" + encodeURIComponent(id));
    } catch (err) {
      if (!ui.current(my)) return;
      ui.show(back, h("h1", {}, a("title")), slot);
      return ui.failure(slot, err);
    }
    if (!ui.current(my)) return;
    const acc = r.data;
    const self = acc.id === ui.me();
    let otp = null;
    if (shown && shown.id === acc.id && shown.password) otp = otpBox(acc, shown.password);
    shown = null;
    const facts = h("dl", { class: "acc-facts" },
      [["f.email", h("span", { class: "acc-email" }, acc.email)], ["f.role", ui.tc("roles", acc.role)], ["col.limit", limitOf(acc)],
        ["fact.created", ui.fmtTime(acc.created_at)], ["fact.last", acc.last_sign_in_at ? ui.fmtTime(acc.last_sign_in_at) : a("never")],
        ["fact.version", String(acc.version)]]
        .map(([k, v]) => h("div", { "data-fact": k }, h("dt", {}, a(k)), h("dd", {}, v))));
    ui.show([back,
      h("div", { class: "acc-head", id: "account", "data-account": acc.id, "data-version": String(acc.version), "data-access": acc.disabled ? "disabled" : "enabled" },
        h("h1", { id: "acc-title" }, acc.name), accessBadges(acc)),
      otp, notice || null, slot, facts,
      h("div", { class: "acc-grid" },
        h("div", {}, changeForm(acc, slot), accessCard(acc, self, slot)),
        h("div", {}, historyCard(acc.events || [])))].filter(Boolean));
    if (otp) otp.querySelector("input").focus();
  }

  function otpBox(acc, password) {
    const h = ui.h;
    const input = h("input", { type: "text", readonly: true, id: "acc-otp", class: "mono", value: password, "aria-describedby": "acc-otp-note", autocomplete: "off", spellcheck: "false" });
    return h("section", { class: "acc-otp", role: "status", "aria-labelledby": "acc-otp-h" },
      h("h2", { id: "acc-otp-h" }, a("otp.title", { name: acc.name })),
      h("div", { class: "acc-otp-row" }, h("label", { for: "acc-otp", class: "visually-hidden" }, a("otp.title", { name: acc.name })), input,
        h("button", { type: "button", class: "secondary", onclick: () => { input.select(); if (navigator.clipboard) navigator.clipboard.writeText(password).catch(() => {}); } }, a("copy"))),
      h("p", { class: "small", id: "acc-otp-note" }, a("otp.note", { name: acc.name })));
  }

  // send changes the account with If-Match on the version shown, then
  // draws it again with what to say (a node) above it.
  async function send(acc, method, path, body, slot, form, after) {
    slot.replaceChildren();
    try {
      const headers = { "If-Match": '"' + acc.version + '"' };
      if (method === "POST") headers["Idempotency-Key"] = ui.newKey();
      const r = await ui.api(method, path, { body, headers });
      if (ui.forgetAccounts) ui.forgetAccounts();
      if (after) after(r.data);
      return accountPage(acc.id, ui.h("p", { class: "acc-saved", role: "status" }, r.data.version === acc.version ? a("unchanged") : a("saved")));
    } catch (err) {
      const box = ui.failure(slot, err, form);
      if (box && box.firstField) box.firstField.focus();
      else if (box) box.scrollIntoView({ block: "nearest" });
    }
  }

  function changeForm(acc, _top) {
    const h = ui.h;
    const slot = h("div", { class: "slot", id: "change-problem" });
    const name = h("input", { id: "chg-name", name: "name", type: "text", autocomplete: "off", maxlength: "200", value: acc.name });
    const role = roleSelect("chg-role", acc.role);
    const limit = limitField("chg-limit", Number(acc.payment_limit) ? acc.payment_limit : "", role);
    const form = h("form", { class: "card", id: "change-form", "aria-labelledby": "change-h", novalidate: true },
      h("h2", { class: "h3", id: "change-h" }, a("change.title")),
      h("div", { class: "grid" }, field(a("f.name"), name), field(a("f.role"), role), limit.f),
      slot, h("button", { type: "submit", id: "change-submit" }, a("change.submit")));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const body = {};
      if (name.value.trim() !== acc.name) body.name = name.value;
      if (role.value !== acc.role) body.role = role.value;
      if (role.value === "claims_handler") {
        const v = limit.input.value.trim();
        if (v !== (Number(acc.payment_limit) ? acc.payment_limit : "")) body.payment_limit = v === "" ? null : v;
      }
      send(acc, "PATCH", "/v1/accounts/" + encodeURIComponent(acc.id), body, slot, form);
    });
    return form;
  }

  // confirmed makes a button that ends someone's access act on a second
  // press only: the first says what will happen, for five seconds.
  function confirmed(btn, question, act) {
    const label = btn.textContent;
    let until = 0, timer = 0;
    btn.addEventListener("click", () => {
      if (Date.now() < until) {
        clearTimeout(timer);
        until = 0;
        btn.textContent = label;
        delete btn.dataset.confirm;
        act();
        return;
      }
      until = Date.now() + 5000;
      btn.textContent = question;
      btn.dataset.confirm = "1";
      timer = setTimeout(() => { until = 0; btn.textContent = label; delete btn.dataset.confirm; }, 5000);
    });
    return btn;
  }

  function accessCard(acc, self, _top) {
    const h = ui.h;
    const slot = h("div", { class: "slot", id: "access-problem" });
    const path = "/v1/accounts/" + encodeURIComponent(acc.id);
    const name = acc.name || acc.email;
    const toggle = acc.disabled
      ? h("button", { type: "button", id: "acc-enable", onclick: () => send(acc, "PATCH", path, { disabled: false }, slot) }, a("enable"))
      : confirmed(h("button", { type: "button", id: "acc-disable", class: "danger" }, a("disable")),
        a("disable.confirm", { name }), () => send(acc, "PATCH", path, { disabled: true }, slot));
    const reset = confirmed(h("button", { type: "button", id: "acc-reset", class: "secondary" }, a("reset")),
      a("reset.confirm", { name }), () => send(acc, "POST", path + "/password-reset", {}, slot, null, (d) => { shown = { id: acc.id, password: d.one_time_password || "" }; }));
    return h("section", { class: "card", id: "access", "aria-labelledby": "access-h" },
      h("h2", { class: "h3", id: "access-h" }, a("access.title")),
      self ? h("p", { class: "note small", id: "acc-self" }, a("self.note")) : [
        h("div", { class: "acc-action" }, h("p", { class: "small muted" }, a(acc.disabled ? "enable.note" : "disable.note")), toggle),
        h("div", { class: "acc-action" }, h("p", { class: "small muted" }, a("reset.note")), reset)],
      slot);
  }

  function actorName(ev) {
    if (ev.actor_name) return ev.actor_name;
    const id = ev.actor && ev.actor.token_id;
    if (id === "cli" || id === "system") return a("actor." + id);
    return ui.tc("roles", (ev.actor && ev.actor.role) || "");
  }
  function fieldValue(f, v) {
    if (f === "role") return ui.tc("roles", v);
    if (f === "payment_limit") return Number(v) ? sek(v) : a("none");
    return v;
  }
  function eventWhat(ev) {
    const d = ev.data || {};
    switch (ev.kind) {
      case "account_created":
        return [ui.tc("roles", d.role), d.email, Number(d.payment_limit) ? sek(d.payment_limit) : "", d.one_time_password ? a("with.otp") : ""].filter(Boolean).join(" · ");
      case "account_changed":
        return ["name", "role", "payment_limit"].filter((f) => d[f]).map((f) => a("field." + f) + ": " + fieldValue(f, d[f].from) + " → " + fieldValue(f, d[f].to)).join("; ");
      default:
        return d.sessions_ended ? a("sessions", { n: d.sessions_ended }) : "";
    }
  }
  function historyCard(events) {
    const h = ui.h;
    return h("section", { class: "card", id: "history", "aria-labelledby": "history-h" },
      h("h2", { class: "h3", id: "history-h" }, a("history.title")),
      events.length ? h("ol", { class: "timeline" }, events.map((ev) => h("li", { "data-kind": ev.kind },
        h("span", { class: "when" }, ui.fmtTime(ev.at) + " · " + actorName(ev)),
        h("strong", {}, a("ev." + ev.kind)),
        h("div", { class: "what" }, eventWhat(ev))))) : h("p", { class: "muted" }, a("history.none")));
  }

  // The "Accounts" link in the console's bar, for administrators.
  function chrome(u, signed, hash) {
    ui = u;
    let link = document.getElementById("nav-accounts");
    if (!link) {
      link = document.createElement("a");
      link.id = "nav-accounts";
      link.href = "#/accounts";
      document.getElementById("nav").append(link);
    }
    link.hidden = !signed || !isAdmin();
    link.textContent = a("nav");
    const here = hash.startsWith("#/accounts");
    link.classList.toggle("active", here);
    if (here) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }

  function render(hash, u) {
    ui = u;
    if (!isAdmin()) { location.hash = "#/"; return; }
    const rest = hash.slice("#/accounts".length);
    if (rest.startsWith("/") && rest.length > 1) return accountPage(decodeURIComponent(rest.slice(1)));
    return listPage();
  }

  window.RC_PAGES = (window.RC_PAGES || []).concat([{ prefix: "#/accounts", chrome, render }]);
})();
