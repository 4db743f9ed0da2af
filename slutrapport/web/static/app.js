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
})();
