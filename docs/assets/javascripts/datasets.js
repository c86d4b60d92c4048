/* The dataset browser: facets, free-text filter and sorting over the plain table.
 *
 * Progressive enhancement: without this script the page is the full table. The
 * state lives in the URL (?q=&origin=&year=&area=&access=&platform=&sort=), so a
 * filtered view can be bookmarked and shared. Data comes from each row's
 * data-row JSON, written by the generator; nothing here builds HTML from it. */
(function () {
  "use strict";

  var form = document.getElementById("dataset-filters");
  var table = document.getElementById("datasets");
  if (!form || !table) return;

  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows).map(function (tr, index) {
    return { tr: tr, index: index, data: JSON.parse(tr.getAttribute("data-row")) };
  });
  var facetKeys = Array.prototype.map.call(form.querySelectorAll("fieldset[data-facet]"), function (f) {
    return f.getAttribute("data-facet");
  });
  var text = form.elements.namedItem("q");
  var sort = form.elements.namedItem("sort");
  var status = document.getElementById("filter-status");
  var chips = document.getElementById("filter-chips");
  var empty = null;

  function fold(value) {
    return value.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function checked(key) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name="' + key + '"]'), function (box) {
      return box.checked;
    }).map(function (box) { return box.value; });
  }

  function state() {
    var selected = {};
    facetKeys.forEach(function (key) { selected[key] = checked(key); });
    return { words: fold(text.value).split(/\s+/).filter(Boolean), selected: selected, sort: sort.value };
  }

  // A row passes a facet when the facet has no selection or shares a value with it;
  // values within one facet are alternatives (OR), facets combine (AND).
  function passes(row, current, except) {
    for (var i = 0; i < facetKeys.length; i++) {
      var key = facetKeys[i];
      var wanted = current.selected[key];
      if (key === except || wanted.length === 0) continue;
      var values = row.data.facets[key] || [];
      if (!wanted.some(function (v) { return values.indexOf(v) !== -1; })) return false;
    }
    return current.words.every(function (word) { return row.data.text.indexOf(word) !== -1; });
  }

  function compare(key) {
    var parts = key.split("-");
    var field = parts[0];
    var direction = parts[1] === "asc" ? 1 : -1;
    return function (a, b) {
      var x = a.data[field];
      var y = b.data[field];
      if (x === y) return a.index - b.index;
      if (x === null || x === undefined || x === "") return 1;  // unknown figures always last
      if (y === null || y === undefined || y === "") return -1;
      return (x < y ? -1 : 1) * direction;
    };
  }

  function updateCounts(current) {
    facetKeys.forEach(function (key) {
      var counts = {};
      rows.forEach(function (row) {
        if (!passes(row, current, key)) return;
        (row.data.facets[key] || []).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      form.querySelectorAll('input[name="' + key + '"]').forEach(function (box) {
        var n = counts[box.value] || 0;
        var badge = box.parentNode.querySelector(".tmrc-count");
        badge.textContent = String(n);
        badge.setAttribute("aria-label", n + " datasets");
        box.parentNode.classList.toggle("tmrc-facet--empty", n === 0 && !box.checked);
      });
    });
  }

  // One removable chip per active filter, so a value checked deep in a list stays visible.
  function updateChips(current) {
    chips.textContent = "";
    facetKeys.forEach(function (key) {
      var legend = form.querySelector('fieldset[data-facet="' + key + '"] legend').textContent;
      current.selected[key].forEach(function (value) {
        var chip = document.createElement("button");
        chip.type = "button";
        chip.className = "tmrc-chip";
        chip.textContent = value + " \u00d7";
        chip.setAttribute("aria-label", "Remove the filter " + legend + ": " + value);
        chip.title = legend;
        chip.addEventListener("click", function () {
          form.querySelectorAll('input[name="' + key + '"]').forEach(function (box) {
            if (box.value === value) box.checked = false;
          });
          apply(true);
          (chips.querySelector("button") || text).focus();
        });
        chips.appendChild(chip);
      });
    });
  }

  function writeUrl(current) {
    var params = new URLSearchParams();
    if (text.value.trim()) params.set("q", text.value.trim());
    facetKeys.forEach(function (key) {
      current.selected[key].forEach(function (v) { params.append(key, v); });
    });
    if (current.sort !== sort.options[0].value) params.set("sort", current.sort);
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    text.value = params.get("q") || "";
    facetKeys.forEach(function (key) {
      var wanted = params.getAll(key);
      form.querySelectorAll('input[name="' + key + '"]').forEach(function (box) {
        box.checked = wanted.indexOf(box.value) !== -1;
      });
    });
    var wantedSort = params.get("sort");
    if (wantedSort && form.querySelector('option[value="' + CSS.escape(wantedSort) + '"]')) {
      sort.value = wantedSort;
    }
  }

  function apply(updateUrl) {
    var current = state();
    var shown = 0;
    rows.slice().sort(compare(current.sort)).forEach(function (row) {
      var visible = passes(row, current, null);
      row.tr.hidden = !visible;
      if (visible) shown++;
      tbody.appendChild(row.tr);
    });
    if (shown === 0) {
      if (!empty) {
        empty = document.createElement("tr");
        var cell = document.createElement("td");
        cell.colSpan = table.tHead.rows[0].cells.length;
        cell.textContent = "No dataset matches these filters. Clear a filter to see more.";
        empty.appendChild(cell);
      }
      tbody.appendChild(empty);
    } else if (empty && empty.parentNode) {
      empty.parentNode.removeChild(empty);
    }
    status.textContent = shown === rows.length
      ? "Showing all " + rows.length + " datasets."
      : "Showing " + shown + " of " + rows.length + " datasets.";
    updateCounts(current);
    updateChips(current);
    if (updateUrl) writeUrl(current);
  }

  form.hidden = false;
  readUrl();
  apply(false);
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("input", function (event) { if (event.target === text) apply(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
})();
