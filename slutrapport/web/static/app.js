// slutrapport serve: small helpers; every page also works without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function csrf(form) {
    var field = form && form.querySelector('input[name="csrf"]');
    return field ? field.value : "";
  }

  // Drag and drop onto an upload area: the dropped files go into the area's file input.
  function listFiles(zone, input) {
    var list = zone.querySelector(".valda-filer");
    if (!list) return;
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name;
      list.appendChild(item);
    });
  }
  document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
    var input = zone.querySelector('input[type="file"]');
    if (!input) return;
    input.addEventListener("change", function () { listFiles(zone, input); });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      var files = event.dataTransfer.files;
      if (!input.multiple && files.length > 1) {
        var one = new DataTransfer();
        one.items.add(files[0]);
        files = one.files;
      }
      input.files = files;
      listFiles(zone, input);
    });
  });

  // A select that filters the page submits its form when changed.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Ask before removing something.
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  // Markdown preview rendered by the server with the report's own settings.
  document.querySelectorAll("textarea[data-preview]").forEach(function (area) {
    var target = document.getElementById(area.getAttribute("data-preview-target"));
    var timer = null;
    var sent = 0;
    function update() {
      var body = new FormData();
      body.append("text", area.value);
      body.append("csrf", csrf(area.form));
      var mine = ++sent;
      fetch(area.getAttribute("data-preview"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null && mine === sent && target) target.innerHTML = html; })
        .catch(function () {});
    }
    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 350);
    });
  });

  // ---------------------------------------------------------------- work in the background
  // A job's steps as the terminal shows them; the page is shown again when the job is done.
  function showSteps(box, status) {
    var list = box.querySelector(".jobbsteg");
    if (!list) return;
    list.textContent = "";
    (status.steg.length ? status.steg : ["Startar"]).forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
  }
  function follow(box, address) {
    function poll() {
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (status) {
          if (!status) { box.classList.add("fel"); box.querySelector(".jobbrubrik").textContent = "Arbetet kunde inte följas. Ladda om sidan."; return; }
          showSteps(box, status);
          if (status.klar) { window.location.replace(window.location.pathname + window.location.search); return; }
          window.setTimeout(poll, 400);
        })
        .catch(function () { window.setTimeout(poll, 1500); });
    }
    poll();
  }
  function progressBox(label) {
    var box = document.createElement("div");
    box.className = "jobb";
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    box.setAttribute("data-testid", "framsteg");
    var title = document.createElement("p");
    title.className = "jobbrubrik";
    title.textContent = label;
    var list = document.createElement("ol");
    list.className = "jobbsteg";
    list.setAttribute("data-testid", "framsteg-steg");
    box.appendChild(title);
    box.appendChild(list);
    showSteps(box, { steg: [] });
    return box;
  }
  document.querySelectorAll("[data-job]").forEach(function (box) {
    document.querySelectorAll("form[data-job-form] button[type=submit]").forEach(function (b) { b.disabled = true; });
    follow(box, box.getAttribute("data-job"));
  });
  document.querySelectorAll("form[data-job-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach(function (b) { b.disabled = true; });
      var box = document.querySelector("[data-job]") || progressBox(form.getAttribute("data-job-label") || "Arbetar …");
      if (!box.parentNode) form.parentNode.insertBefore(box, form);
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") === -1) { window.location.replace(window.location.pathname); return null; }
          return response.json();
        })
        .then(function (status) {
          if (!status) return;
          if (status.ladda_om) { window.location.replace(window.location.pathname); return; }  // refused: the page says why
          showSteps(box, status);
          follow(box, status.adress);
        })
        .catch(function () { window.location.replace(window.location.pathname); });
    });
  });

  // ---------------------------------------------------------------- no lost work
  // A form with data-unsaved warns before its changes are left behind (closing, reloading or a link on the page).
  var LEAVE = "Du har ändringar som inte är sparade. Lämna sidan ändå?";
  var dirty = [];
  function unsaved() { return dirty.some(function (form) { return form.hasAttribute("data-changed"); }); }
  document.querySelectorAll("form[data-unsaved]").forEach(function (form) {
    dirty.push(form);
    form.addEventListener("input", function () { form.setAttribute("data-changed", ""); });
    form.addEventListener("change", function () { form.setAttribute("data-changed", ""); });
    form.addEventListener("submit", function () { dirty.forEach(function (f) { f.removeAttribute("data-changed"); }); });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!unsaved()) return;
    event.preventDefault();
    event.returnValue = LEAVE;
    return LEAVE;
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || !unsaved() || link.hasAttribute("download") || link.target === "_blank" || link.getAttribute("href").charAt(0) === "#") return;
    event.preventDefault();
    if (!window.confirm(LEAVE)) return;
    var pending = autosaves.filter(function (saver) { return saver.pending(); });
    Promise.all(pending.map(function (saver) { return saver.now(); })).then(function () {
      dirty.forEach(function (f) { f.removeAttribute("data-changed"); });
      window.location.href = link.href;
    });
  });

  // A text with data-autosave is saved a moment after typing stops; "Sparat 14:02" says when.
  var autosaves = [];
  document.querySelectorAll("textarea[data-autosave]").forEach(function (area) {
    var form = area.form;
    var status = document.getElementById(area.getAttribute("data-autosave-status"));
    var version = form.querySelector('input[name="version"]');
    var timer = null, saving = null, again = false, stopped = false, sent = area.value;
    function say(text, kind) {
      if (!status) return;
      status.textContent = text;
      status.className = "autospar" + (kind ? " " + kind : "");
    }
    function save() {
      window.clearTimeout(timer);
      timer = null;
      if (stopped) return Promise.resolve();
      if (saving) { again = true; return saving; }
      var text = area.value;
      var body = new FormData();
      body.append("text", text);
      body.append("version", version ? version.value : "");
      say("Sparar …");
      saving = fetch(area.getAttribute("data-autosave"), {
        method: "POST", body: body, credentials: "same-origin", keepalive: true,
        headers: { "X-CSRF-Token": csrf(form), Accept: "application/json" }
      })
        .then(function (response) { return response.json().then(function (data) { return { ok: response.ok, data: data }; }); })
        .then(function (answer) {
          if (answer.ok) {
            if (version) version.value = answer.data.version;
            sent = text;
            if (area.value === text) form.removeAttribute("data-changed");
            say(answer.data.meddelande, "ok");
          } else {
            stopped = answer.data.konflikt === true;  // the file changed on disk: the user decides (Spara shows both)
            say(answer.data.meddelande, "fel");
          }
        })
        .catch(function () { say("Texten kunde inte sparas automatiskt. Den finns kvar här; försök med Spara.", "fel"); })
        .then(function () {
          saving = null;
          if (again && !stopped) { again = false; return save(); }
        });
      return saving;
    }
    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 1200);
    });
    // Spara or Förhandsgranska: no autosave after it, and one on its way finishes first (its version goes with the form)
    form.addEventListener("submit", function (event) {
      window.clearTimeout(timer);
      timer = null;
      if (!saving) { stopped = true; return; }
      event.preventDefault();
      var submitter = event.submitter;
      saving.then(function () {
        stopped = true;
        if (form.requestSubmit) form.requestSubmit(submitter || undefined); else form.submit();
      });
    });
    autosaves.push({
      pending: function () { return !stopped && (timer !== null || saving !== null || area.value !== sent); },
      now: save
    });
  });
})();
