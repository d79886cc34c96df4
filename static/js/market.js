/* The lot page, live: price, leader, bids, countdown and the effective end,
   polled from the public API every two seconds; the countdown runs on the
   server's clock (the offset between it and this browser's is measured on
   every answer). No library, nothing fetched from outside. */
(function () {
  "use strict";
  var lot = document.getElementById("lot");
  if (!lot) { return; }
  var endsAt = new Date(lot.dataset.ends).getTime();
  var offset = new Date(lot.dataset.server).getTime() - Date.now();
  var phase = lot.dataset.phase;
  var lang = document.documentElement.lang || "zh-hans";
  var money = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var labels = { bidding: "竞价中", extended: "延时竞价中", closing: "结算中", sold: "成交", unsold: "流拍", announced: "已公告" };
  if (lang.indexOf("en") === 0) {
    labels = { bidding: "Bidding", extended: "Bidding, extended", closing: "Closing", sold: "Sold", unsold: "Unsold", announced: "Announced" };
  }

  function yuan(text) { return text === null ? "—" : "¥" + money.format(Number(text)); }
  function two(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var left = Math.max(0, endsAt - (Date.now() + offset));
    var el = document.getElementById("lot-countdown");
    var s = Math.floor(left / 1000);
    var d = Math.floor(s / 86400);
    el.textContent = (d ? d + "d " : "") + two(Math.floor(s % 86400 / 3600)) + ":" + two(Math.floor(s % 3600 / 60)) + ":" + two(s % 60);
    document.getElementById("server-time").textContent = new Date(Date.now() + offset).toLocaleString(lang, { hour12: false });
  }

  function render(data) {
    endsAt = new Date(data.ends_at).getTime();
    offset = new Date(data.server_time).getTime() - Date.now();
    document.getElementById("lot-price").textContent = yuan(data.current_price);
    document.getElementById("lot-leader").textContent = data.leader || "—";
    document.getElementById("lot-ends").textContent = new Date(data.ends_at).toLocaleString(lang, { hour12: false });
    document.getElementById("lot-extensions").textContent = data.extensions_used;
    document.getElementById("lot-count").textContent = data.bid_count;
    document.getElementById("lot-phase").textContent = labels[data.status] || data.status;
    var next = document.getElementById("min-next");
    if (next) {
      var min = data.current_price === null ? Number(data.starting_price) : Number(data.current_price) + Number(data.increment);
      next.textContent = "≥ " + yuan(String(min));
      var input = document.querySelector("#bid-form input[name=amount]");
      if (input && !input.value) { input.placeholder = min.toFixed(2); }
    }
    if (phase !== data.status && (data.status === "sold" || data.status === "unsold")) {
      window.location.reload();
    }
    phase = data.status;
  }

  function renderBids(rows) {
    var body = document.getElementById("bid-rows");
    body.textContent = "";
    rows.slice(0, 50).forEach(function (b) {
      var tr = document.createElement("tr");
      [String(b.sequence), b.bidder_code, yuan(b.amount), new Date(b.at).toLocaleTimeString(lang, { hour12: false })].forEach(function (text, i) {
        var td = document.createElement("td");
        if (i === 2) { td.className = "text-end"; }
        td.textContent = text;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function poll() {
    fetch(lot.dataset.api, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () {});
    fetch(lot.dataset.bids, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (rows) { if (rows) { renderBids(rows); } })
      .catch(function () {});
  }

  tick();
  window.setInterval(tick, 250);
  if (["announced", "bidding", "extended", "closing"].indexOf(phase) >= 0) {
    poll();
    window.setInterval(poll, 2000);
  }
}());
