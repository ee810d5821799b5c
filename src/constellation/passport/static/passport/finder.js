/*
 * finder.js - "or choose a point on the map" for the passport forms.
 *
 * An element [data-pick-map] with data-latitude-input / data-longitude-input (ids of the
 * form's latitude and longitude inputs), data-place-input (the town box, emptied when a
 * point is chosen, since the point replaces it) and data-basemap-url (the offline
 * world-atlas TopoJSON) becomes a small Leaflet map: a click or a tap sets both inputs
 * and drops a marker. Without JavaScript the inputs are typed by hand; nothing else
 * depends on this file. Needs the vendored globals L and topojson.
 */
(function () {
  "use strict";

  function init(el) {
    if (el.getAttribute("data-ready") === "1" || typeof L === "undefined") {
      return;
    }
    el.setAttribute("data-ready", "1");
    el.setAttribute("dir", "ltr");
    var lat = document.getElementById(el.getAttribute("data-latitude-input"));
    var lon = document.getElementById(el.getAttribute("data-longitude-input"));
    var place = document.getElementById(el.getAttribute("data-place-input"));
    var map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 12 });
    var marker = null;
    map.fitBounds([[15, -130], [60, 30]]);

    var basemap = el.getAttribute("data-basemap-url");
    if (basemap && typeof topojson !== "undefined") {
      fetch(basemap, { credentials: "same-origin" }).then(function (response) {
        return response.json();
      }).then(function (topology) {
        L.geoJSON(topojson.feature(topology, topology.objects.countries), {
          interactive: false,
          style: { fillColor: "#e8eef2", fillOpacity: 1, color: "#9aa5ad", weight: 0.5 }
        }).addTo(map);
      }).catch(function () { /* the map still takes clicks without its basemap */ });
    }

    function show(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.circleMarker(latlng, { radius: 7, color: "#0b4f8a", weight: 3 }).addTo(map);
      }
    }

    if (lat && lon && lat.value && lon.value) {
      show([parseFloat(lat.value), parseFloat(lon.value)]);
    }
    map.on("click", function (event) {
      var point = event.latlng.wrap();
      if (lat && lon) {
        lat.value = point.lat.toFixed(5);
        lon.value = point.lng.toFixed(5);
      }
      if (place) {
        place.value = "";
      }
      show(point);
    });
    // The map sits in a <details>: Leaflet must measure again once it is opened.
    var details = el.closest("details");
    if (details) {
      details.addEventListener("toggle", function () {
        map.invalidateSize();
      });
    }
  }

  function initAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-pick-map]"), init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
