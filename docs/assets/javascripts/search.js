/* Site search in the header, on Pagefind's chunked static index (/pagefind/).
 *
 * A reader downloads only the index chunks a query needs (a few hundred kB at
 * thousands of datasets), not one index of the whole catalog. Field names are
 * small headings on dataset pages, so results link straight to a field.
 * Excerpts are rebuilt from text nodes and <mark> only: nothing from the index
 * is inserted as markup. */
(function () {
  "use strict";

  var box = document.getElementById("tmrc-search");
  if (!box) return;
  var input = document.getElementById("tmrc-search-input");
  var panel = document.getElementById("tmrc-search-results");
  var config = JSON.parse(document.getElementById("__config").textContent);
  // The site root: Material's relative base ("../..", ".", or "/" on the 404 page).
  var root = new URL((config.base || ".").replace(/\/+$/, "") + "/", location.href);
  var pagefind = null;
  var fields = null;
  var latest = 0;
  var MAX_FIELDS = 5;
  var MAX_RESULTS = 8;
  var MAX_SUBRESULTS = 3;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
        return module.options({ baseUrl: root.pathname }).then(function () {
          module.init();
          return module;
        });
      });
    }
    return pagefind;
  }

  // Field names of the catalog (fields.json), for exact field lookups above the page results.
  function loadFields() {
    if (!fields) {
      fields = fetch(new URL("fields.json", root).href)
        .then(function (response) { return response.ok ? response.json() : []; })
        .catch(function () { return []; });
    }
    return fields;
  }

  function matchFields(list, query) {
    var q = query.toLowerCase().replace(/\s+/g, "_");
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return list.map(function (f) {
      var name = f.name.toLowerCase();
      var title = (f.title || "").toLowerCase();
      var rank = name === q ? 0 : name.indexOf(q) === 0 ? 1 : name.indexOf(q) !== -1 ? 2
        : words.every(function (w) { return title.indexOf(w) !== -1; }) ? 3 : -1;
      return { field: f, rank: rank };
    }).filter(function (m) { return m.rank >= 0; })
      .sort(function (a, b) { return a.rank - b.rank || a.field.name.localeCompare(b.field.name); })
      .slice(0, MAX_FIELDS)
      .map(function (m) { return m.field; });
  }

  // Pagefind excerpts are escaped text with <mark> around hits; keep exactly that.
  function excerpt(html) {
    var template = document.createElement("template");
    template.innerHTML = html;  // a template's content is inert: nothing loads or runs
    var out = document.createElement("span");
    out.className = "tmrc-result__excerpt";
    template.content.childNodes.forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        out.appendChild(document.createTextNode(node.textContent));
      } else if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
    return out;
  }

  function link(url, title, text, className) {
    var a = document.createElement("a");
    a.className = className;
    a.href = url;
    var strong = document.createElement("span");
    strong.className = "tmrc-result__title";
    strong.textContent = title;
    a.appendChild(strong);
    if (text) a.appendChild(excerpt(text));
    return a;
  }

  function show(open) {
    panel.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function render(query, total, results, fieldMatches) {
    panel.textContent = "";
    if (fieldMatches.length) {
      var heading = document.createElement("p");
      heading.className = "tmrc-search__summary";
      heading.textContent = fieldMatches.length === 1 ? "Field:" : "Fields:";
      panel.appendChild(heading);
      var fieldList = document.createElement("ol");
      fieldList.className = "tmrc-search__list tmrc-search__fields";
      fieldMatches.forEach(function (f) {
        var item = document.createElement("li");
        var a = document.createElement("a");
        a.className = "tmrc-result";
        a.href = new URL(f.url, root).href;
        var name = document.createElement("code");
        name.textContent = f.name;
        a.appendChild(name);
        var about = document.createElement("span");
        about.className = "tmrc-result__excerpt";
        about.textContent = (f.title ? f.title + " · " : "") + "in " + f.datasets + " datasets";
        a.appendChild(about);
        item.appendChild(a);
        fieldList.appendChild(item);
      });
      panel.appendChild(fieldList);
    }
    var summary = document.createElement("p");
    summary.className = "tmrc-search__summary";
    summary.textContent = total === 0 ? "Nothing found for “" + query + "”."
      : total + (total === 1 ? " page" : " pages") + " found" + (total > results.length ? "; the first " + results.length + ":" : ":");
    panel.appendChild(summary);
    var list = document.createElement("ol");
    list.className = "tmrc-search__list";
    results.forEach(function (result) {
      var item = document.createElement("li");
      item.appendChild(link(result.url, result.meta.title || result.url, result.excerpt, "tmrc-result"));
      var subs = (result.sub_results || []).filter(function (sub) { return sub.url !== result.url; });
      if (subs.length) {
        var inner = document.createElement("ul");
        subs.slice(0, MAX_SUBRESULTS).forEach(function (sub) {
          var li = document.createElement("li");
          li.appendChild(link(sub.url, sub.title, sub.excerpt, "tmrc-result tmrc-result--sub"));
          inner.appendChild(li);
        });
        item.appendChild(inner);
      }
      list.appendChild(item);
    });
    panel.appendChild(list);
    show(true);
  }

  function search() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) { show(false); return; }
    var fieldMatches = [];
    loadFields().then(function (list) {
      fieldMatches = matchFields(list, query);
      return load();
    }).then(function (module) {
      return module.debouncedSearch(query, {}, 150);
    }).then(function (found) {
      if (!found || ticket !== latest) return null;  // a newer query superseded this one
      return Promise.all(found.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }))
        .then(function (data) { if (ticket === latest) render(query, found.results.length, data, fieldMatches); });
    }).catch(function () {
      panel.textContent = "Search is not available right now.";
      show(true);
    });
  }

  function results() {
    return Array.prototype.slice.call(panel.querySelectorAll("a.tmrc-result"));
  }

  box.hidden = false;
  input.addEventListener("focus", function () { load(); loadFields(); if (input.value.trim() && panel.childNodes.length) show(true); });
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && results().length) { event.preventDefault(); results()[0].focus(); }
    if (event.key === "Enter" && results().length) { event.preventDefault(); results()[0].click(); }
  });
  panel.addEventListener("keydown", function (event) {
    var links = results();
    var at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < links.length - 1) { event.preventDefault(); links[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
  });
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((event.target && event.target.tagName) || "");
    if (event.key === "/" && !typing) { event.preventDefault(); input.focus(); input.select(); }
    if (event.key === "Escape" && box.contains(document.activeElement)) { show(false); input.blur(); }
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) show(false);
  });
})();
