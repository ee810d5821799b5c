/*
 * atlas.js - the access atlas map, for every [data-atlas-map] element.
 *
 * Needs the vendored globals L (Leaflet) and topojson (topojson-client). No inline JS,
 * no CDN. The map draws at once; its data comes from the URL in data-data-url (the
 * analysis's map.json, cached by the browser for good since the URL names the answer):
 *   {"places": [[lat, lon, people, name, state]],   state 0 out of reach, 1 within
 *                                                    reach today, 2 brought within reach
 *    "venues": [[name, lat, lon]], "proposed": [[name, lat, lon, people added]],
 *    "countries": [["250", "France", 0.83]]}         ISO numeric ids, as the world-atlas
 *                                                    geometries, name, share within reach
 * Countries are shaded by the share of people within reach; the tables on the page
 * carry the same figures as text. Fallback content inside the element is replaced; if
 * the data cannot be loaded, data-text-failed is shown in its place.
 */
(function () {
  "use strict";

  var LAND = "#e8eef2";
  var BORDER = "#6b7782";
  var WORLD_BOUNDS = [[-58, -170], [78, 190]];
  var STATE_COLOURS = ["#c0392b", "#1f78b4", "#2e8b3a"];
  // Light to dark purple, one class per fifth of the people within reach.
  var SHADES = ["#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba"];

  function shade(share) {
    var i = Math.min(SHADES.length - 1, Math.floor(share * SHADES.length));
    return SHADES[Math.max(0, i)];
  }

  function percent(share) {
    return (Math.round(share * 1000) / 10).toLocaleString(document.documentElement.lang || undefined) + " %";
  }

  function number(value) {
    return Number(value).toLocaleString(document.documentElement.lang || undefined);
  }

  function tooltipText(parts) {
    var span = document.createElement("span");
    span.setAttribute("dir", document.documentElement.getAttribute("dir") || "auto");
    span.textContent = parts.filter(function (part) { return part !== ""; }).join(" · ");
    return span;
  }

  // world-atlas cuts shapes at the antimeridian and topojson.feature joins the pieces
  // again, so a ring may jump from -180 to 180 and back (Fiji, Chukotka); shift the points
  // after each jump so the ring stays on one side. A ring with an odd number of jumps goes
  // round a pole (Antarctica) and is drawn right as it is.
  function unwrap(ring) {
    var jumps = 0;
    for (var i = 1; i < ring.length; i++) {
      if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) {
        jumps++;
      }
    }
    if (jumps === 0 || jumps % 2 === 1) {
      return ring;
    }
    var shift = 0;
    return ring.map(function (point, j) {
      if (j > 0) {
        var step = point[0] - ring[j - 1][0];
        shift += step > 180 ? -360 : (step < -180 ? 360 : 0);
      }
      return [point[0] + shift, point[1]];
    });
  }

  function unwrapAll(collection) {
    collection.features.forEach(function (feature) {
      var g = feature.geometry;
      if (g && g.type === "Polygon") {
        g.coordinates = g.coordinates.map(unwrap);
      } else if (g && g.type === "MultiPolygon") {
        g.coordinates = g.coordinates.map(function (polygon) { return polygon.map(unwrap); });
      }
    });
    return collection;
  }

  function addCountries(el, map, shares) {
    var url = el.getAttribute("data-basemap-url");
    if (!url || typeof topojson === "undefined") {
      return Promise.resolve();
    }
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    }).then(function (topology) {
      var land = unwrapAll(topojson.feature(topology, topology.objects.countries));
      L.geoJSON(land, {
        pane: "atlas-countries",
        style: function (feature) {
          var figure = shares[String(feature.id)];
          return {
            fillColor: figure ? shade(figure.share) : LAND,
            fillOpacity: 1,
            color: BORDER,
            weight: 0.5,
            opacity: 1
          };
        },
        onEachFeature: function (feature, layer) {
          var figure = shares[String(feature.id)];
          if (figure) {
            layer.bindTooltip(tooltipText([figure.name, percent(figure.share) + " " + el.getAttribute("data-text-within")]), { sticky: true });
          }
        }
      }).addTo(map);
    }).catch(function (err) {
      if (window.console) {
        window.console.warn("atlas.js: countries not loaded:", err);
      }
    });
  }

  function addPoints(el, map, data) {
    var renderer = L.canvas({ padding: 0.5 });
    var people = el.getAttribute("data-text-people") || "";
    var bounds = [];
    (data.places || []).forEach(function (place) {
      var radius = Math.max(3, Math.min(9, Math.log10(Math.max(place[2], 1)) - 2));
      L.circleMarker([place[0], place[1]], {
        renderer: renderer,
        radius: radius,
        color: "#1b1f24",
        weight: 0.5,
        fillColor: STATE_COLOURS[place[4]] || STATE_COLOURS[0],
        fillOpacity: 0.85
      }).bindTooltip(tooltipText([String(place[3]), number(place[2]) + " " + people])).addTo(map);
      bounds.push([place[0], place[1]]);
    });
    (data.venues || []).forEach(function (venue) {
      L.circleMarker([venue[1], venue[2]], {
        renderer: renderer, radius: 4, color: "#ffffff", weight: 1, fillColor: "#1b1f24", fillOpacity: 1
      }).bindTooltip(tooltipText([el.getAttribute("data-text-venue"), String(venue[0])])).addTo(map);
    });
    (data.proposed || []).forEach(function (site, index) {
      L.circleMarker([site[1], site[2]], {
        renderer: renderer, radius: 9, color: "#1b1f24", weight: 3, fillColor: "#f0a000", fillOpacity: 1
      }).bindTooltip(tooltipText([
        el.getAttribute("data-text-proposed") + " " + (index + 1), String(site[0]), "+" + number(site[3]) + " " + people
      ])).addTo(map);
      bounds.push([site[1], site[2]]);
    });
    // Frame the places (a country's analysis shows that country), not every venue counted.
    if (bounds.length > 1) {
      map.fitBounds(L.latLngBounds(bounds), { padding: [24, 24], maxZoom: 7 });
    }
  }

  function fetchJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    });
  }

  function shareTable(countries) {
    var shares = {};
    (countries || []).forEach(function (country) {
      shares[String(country[0])] = { name: country[1], share: country[2] };
    });
    return shares;
  }

  function init(el) {
    var url = el.getAttribute("data-data-url");
    if (el.getAttribute("data-atlas-ready") === "1" || typeof L === "undefined" || !url) {
      return;
    }
    el.setAttribute("data-atlas-ready", "1");
    while (el.firstChild) {
      el.removeChild(el.firstChild);
    }
    el.classList.add("constellation-map");
    el.setAttribute("dir", "ltr");
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", el.getAttribute("data-label") || "Map");
    el.setAttribute("aria-busy", "true");
    var map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 12 });
    map.fitBounds(WORLD_BOUNDS);
    // Countries under the places: a pane below Leaflet's overlay pane (z-index 400).
    map.createPane("atlas-countries").style.zIndex = 350;
    fetchJSON(url).then(function (data) {
      addPoints(el, map, data);
      return addCountries(el, map, shareTable(data.countries));
    }).catch(function (err) {
      if (window.console) {
        window.console.warn("atlas.js: map data not loaded:", err);
      }
      var note = document.createElement("p");
      note.className = "atlas-map-failed";
      note.textContent = el.getAttribute("data-text-failed") || "";
      el.parentNode.insertBefore(note, el.nextSibling);
    }).then(function () {
      el.removeAttribute("aria-busy");
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-atlas-map]"), init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
