// The week grid of a person's availability (orga/templates/orga/people/_week.html), on the
// person's own page and, one per host, on the page of every host's week.
// Without this script the page is a list of windows with a form to add one; with it, the
// grid appears: click or drag over half-hours to mark them (the chosen mode: available,
// preferred or clear), or use the keyboard (one Tab stop, arrow keys, Space or Enter; Shift
// with an arrow marks as it moves). "Save the week" posts every marked half-hour at once:
// a plain form post, or a fetch of the same form when the page shows several (data-fetch),
// so the page stays. A link with data-save-weeks saves the weeks changed before it leaves.
(function () {
  "use strict";
  var grids = [];

  function setup(form) {
    var table = form.querySelector(".week-grid");
    var rows = Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
      return Array.prototype.slice.call(tr.querySelectorAll("button.cell"));
    });
    if (!rows.length || !rows[0].length) return;
    var names = {available: form.dataset.available, preferred: form.dataset.preferred, "": form.dataset.empty};
    var status = form.querySelector(".week-status");
    var dirty = false;

    function mode() {
      var checked = form.querySelector('input[name="mode"]:checked');
      return checked && checked.value !== "clear" ? checked.value : "";
    }

    function setState(cell, state) {
      cell.dataset.state = state;
      cell.setAttribute("aria-label", cell.dataset.label + ": " + names[state]);
    }

    function changed() {
      if (!dirty) {
        dirty = true;
        status.textContent = form.dataset.unsaved;
      }
    }
    // Only this grid's cells: several grids share the page.
    function ownCell(node) {
      var cell = node && node.closest && node.closest("button.cell");
      return cell && table.contains(cell) ? cell : null;
    }

    function position(cell) {
      for (var r = 0; r < rows.length; r++) {
        var c = rows[r].indexOf(cell);
        if (c >= 0) return [r, c];
      }
      return null;
    }

    // One Tab stop for the whole grid (roving tabindex); the arrow keys move inside it.
    var focused = rows[0][0];
    function focusCell(cell) {
      focused.tabIndex = -1;
      focused = cell;
      cell.tabIndex = 0;
      cell.focus();
    }
    focused.tabIndex = 0;

    // Clicking a half-hour already in the chosen mode clears it; anything else takes the mode.
    function target(cell) {
      var wanted = mode();
      return cell.dataset.state === wanted ? "" : wanted;
    }

    // Dragging paints the rectangle between where it started and where the pointer is; cells
    // the rectangle leaves again get back their state from before the drag.
    var drag = null;
    function paint(to) {
      var a = drag.from, b = position(to);
      if (!b) return;
      var r0 = Math.min(a[0], b[0]), r1 = Math.max(a[0], b[0]);
      var c0 = Math.min(a[1], b[1]), c1 = Math.max(a[1], b[1]);
      drag.before.forEach(function (state, cell) {
        var p = position(cell);
        var inside = p[0] >= r0 && p[0] <= r1 && p[1] >= c0 && p[1] <= c1;
        setState(cell, inside ? drag.state : state);
      });
    }

    table.addEventListener("pointerdown", function (event) {
      var cell = event.target.closest("button.cell");
      if (!cell || event.button !== 0) return;
      event.preventDefault();
      var before = new Map();
      rows.forEach(function (row) { row.forEach(function (c) { before.set(c, c.dataset.state); }); });
      drag = {from: position(cell), state: target(cell), before: before};
      focusCell(cell);
      paint(cell);
      changed();
    });
    document.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var cell = ownCell(document.elementFromPoint(event.clientX, event.clientY));
      if (cell) paint(cell);
    });
    document.addEventListener("pointerup", function () { drag = null; });
    document.addEventListener("pointercancel", function () { drag = null; });
    // The pointer did the work already; a click from the keyboard (Enter) is handled below.
    table.addEventListener("click", function (event) { event.preventDefault(); });

    var moves = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]};
    table.addEventListener("keydown", function (event) {
      var cell = event.target.closest("button.cell");
      if (!cell) return;
      var p = position(cell);
      if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        setState(cell, target(cell));
        changed();
        return;
      }
      var move = moves[event.key];
      if (event.key === "Home") move = [0, -p[1]];
      if (event.key === "End") move = [0, rows[0].length - 1 - p[1]];
      if (!move) return;
      event.preventDefault();
      var r = Math.max(0, Math.min(rows.length - 1, p[0] + move[0]));
      var c = Math.max(0, Math.min(rows[0].length - 1, p[1] + move[1]));
      var next = rows[r][c];
      focusCell(next);
      if (event.shiftKey) {
        setState(next, mode());
        changed();
      }
    });

    function fill() {
      var marked = [];
      rows.forEach(function (row) {
        row.forEach(function (cell) {
          var state = cell.dataset.state;
          if (state) marked.push(cell.dataset.key + "=" + state.charAt(0));
        });
      });
      form.elements.week.value = marked.join(" ");
    }

    // Saved in place: the same form, posted by fetch; the answer says saved or why not.
    function save() {
      fill();
      status.textContent = form.dataset.saving;
      return fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: {"X-Requested-With": "fetch"}
      }).then(function (response) {
        return response.json().then(function (answer) {
          var text = answer.message + (answer.problems.length ? " " + answer.problems.join(" ") : "");
          status.textContent = text;
          if (answer.saved) dirty = false;
          form.dataset.saved = answer.saved ? "1" : "0";
          return answer.saved;
        });
      }).catch(function () {
        status.textContent = form.dataset.failed;
        return false;
      });
    }

    form.addEventListener("submit", function (event) {
      if (form.dataset.fetch) {
        event.preventDefault();
        save();
        return;
      }
      fill();
      dirty = false;
    });

    grids.push({form: form, dirty: function () { return dirty; }, save: save});
    form.hidden = false;
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.week-form"), setup);
  if (!grids.length) return;

  window.addEventListener("beforeunload", function (event) {
    if (grids.some(function (g) { return g.dirty(); })) event.preventDefault();
  });

  // "Save and continue": the weeks changed are saved first; the next page only once all were.
  Array.prototype.forEach.call(document.querySelectorAll("a[data-save-weeks]"), function (link) {
    link.addEventListener("click", function (event) {
      var changed = grids.filter(function (g) { return g.dirty(); });
      if (!changed.length) return;
      event.preventDefault();
      changed.reduce(function (done, g) {
        return done.then(function (ok) { return g.save().then(function (saved) { return ok && saved; }); });
      }, Promise.resolve(true)).then(function (ok) {
        if (ok) window.location.href = link.href;
      });
    });
  });
})();
