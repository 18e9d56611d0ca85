/* The map of each day on a person's page. Each map is a hidden <div data-map="ID"> next to
   a <script type="application/json" id="ID"> (Django's json_script) holding
   {"points": [{"n", "name", "address", "times", "lat", "lng"}], "path": [[lat, lng], ...]}.
   Numbered markers match the list of places printed under the map, which stays the page's
   own record: without JavaScript, without Leaflet or without tiles (offline, blocked) the
   day is complete. Tiles come from OpenStreetMap, attributed. */
(function () {
  "use strict";
  var TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  var ATTRIBUTION =
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>';

  function pin(point) {
    var label = document.createElement("span");
    label.textContent = String(point.n);
    return L.divIcon({
      className: "map-pin",
      html: label,
      iconSize: [26, 26],
      iconAnchor: [13, 13],
    });
  }

  function draw(box) {
    var source = document.getElementById(box.getAttribute("data-map"));
    if (!source) {
      return;
    }
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    var points = (data.points || []).filter(function (p) {
      return typeof p.lat === "number" && typeof p.lng === "number";
    });
    if (!points.length) {
      return;
    }
    box.hidden = false;
    var map = L.map(box, { scrollWheelZoom: false });
    // The tile server is told the site (its usage policy asks for a referrer), never the
    // page's address: the key in it is the person's only credential.
    var tiles = L.tileLayer(TILES, {
      maxZoom: 18,
      attribution: ATTRIBUTION,
      referrerPolicy: "origin",
    });
    tiles.on("tileerror", function () {
      box.classList.add("map-no-tiles");
      var note = box.parentNode.querySelector("[data-map-note]");
      if (note) {
        note.hidden = false;
      }
    });
    tiles.addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      var where = [point.lat, point.lng];
      bounds.push(where);
      var title = point.n + ". " + point.name + (point.times.length ? " · " + point.times.join(", ") : "");
      L.marker(where, { icon: pin(point), title: title, alt: title, keyboard: false }).addTo(map);
    });
    if (data.path && data.path.length > 1) {
      L.polyline(data.path, { className: "map-route", weight: 3 }).addTo(map);
    }
    if (bounds.length === 1) {
      map.setView(bounds[0], 14);
    } else {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
    }
    box.setAttribute("data-map-drawn", String(points.length));
  }

  if (typeof L === "undefined") {
    return; // Leaflet did not load: the lists of places stand alone
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), draw);
})();
