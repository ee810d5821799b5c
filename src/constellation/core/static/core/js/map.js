/*
 * map.js - progressive-enhancement maps for every [data-map] element.
 *
 * Needs the vendored globals L (Leaflet), L.markerClusterGroup
 * (leaflet.markercluster) and topojson (topojson-client); no other
 * dependency, no inline JS, no CDN.
 *
 * Container attributes:
 *   data-map                 marks the element (a <div>)
 *   data-points-url          URL of a JSON endpoint returning
 *                            {"items": [{name, url, city, country_name,
 *                            latitude, longitude}], "count": N}
 *   data-points-id           OR id of a <script type="application/json">
 *                            (Django json_script) holding the same object
 *   data-basemap-url         URL of the world-atlas countries TopoJSON
 *                            (offline basemap)
 *   data-tile-url            optional raster tile URL template used instead
 *   data-tile-attribution    of the offline basemap (e.g. in production)
 *   data-marker-icon         URLs of the Leaflet marker images (static URLs
 *   data-marker-icon-2x      are hashed by Django, so Leaflet cannot guess
 *   data-marker-shadow       them)
 *   data-label               accessible name of the map region
 *
 * Any content inside the container (e.g. a no-JS fallback) is replaced by
 * the map. Maps are (re)initialised on page load, after htmx swaps
 * (htmx:afterSettle) and after htmx history restores; each element is
 * initialised only once and its map is torn down when htmx removes it.
 */
(function () {
  "use strict";

  var LAND = "#e8eef2";
  var BORDER = "#9aa5ad";
  var WORLD_BOUNDS = [[-58, -170], [78, 190]];
  var maps = typeof WeakMap === "function" ? new WeakMap() : null;

  function isInitialised(el) {
    return maps ? maps.has(el) : el.getAttribute("data-map-ready") === "1";
  }

  function remember(el, state) {
    if (maps) {
      maps.set(el, state);
    }
    el.setAttribute("data-map-ready", "1");
  }

  function fetchJSON(url) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status + " for " + url);
      }
      return response.json();
    });
  }

  function loadPoints(el) {
    var id = el.getAttribute("data-points-id");
    if (id) {
      var script = document.getElementById(id);
      if (!script) {
        return Promise.reject(new Error("No element #" + id));
      }
      try {
        return Promise.resolve(JSON.parse(script.textContent));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    var url = el.getAttribute("data-points-url");
    if (url) {
      return fetchJSON(url);
    }
    return Promise.resolve({ items: [], count: 0 });
  }

  function markerIcon(el) {
    var iconUrl = el.getAttribute("data-marker-icon");
    if (!iconUrl) {
      return null; // fall back to L.Icon.Default
    }
    var options = {
      iconUrl: iconUrl,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28],
      shadowSize: [41, 41]
    };
    var retina = el.getAttribute("data-marker-icon-2x");
    var shadow = el.getAttribute("data-marker-shadow");
    if (retina) {
      options.iconRetinaUrl = retina;
    }
    if (shadow) {
      options.shadowUrl = shadow;
    }
    return L.icon(options);
  }

  function popupContent(item) {
    var wrapper = document.createElement("div");
    wrapper.className = "constellation-map__popup";
    // The map container is forced to LTR; let popup text follow the page.
    wrapper.setAttribute("dir", document.documentElement.getAttribute("dir") || "auto");
    var name = item.name == null ? "" : String(item.name);
    var title;
    if (item.url) {
      title = document.createElement("a");
      title.setAttribute("href", String(item.url));
    } else {
      title = document.createElement("strong");
    }
    title.textContent = name;
    wrapper.appendChild(title);

    var place = [item.city, item.country_name].filter(function (part) {
      return part != null && String(part) !== "";
    }).map(String).join(", ");
    if (place) {
      var where = document.createElement("div");
      where.className = "constellation-map__place";
      where.textContent = place;
      wrapper.appendChild(where);
    }
    return wrapper;
  }

  // world-atlas cuts shapes at the antimeridian, but topojson.feature joins the cut
  // pieces of a ring again, so Fiji and eastern Russia come out with edges from -180 to
  // 180 that Leaflet draws straight across the world. Unwrap such a ring (an even number
  // of jumps) so it stays on one side; a ring circling the pole (Antarctica, one jump)
  // is already drawn right and is left alone.
  function unwrapRing(ring) {
    var jumps = 0;
    for (var i = 1; i < ring.length; i++) {
      if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) {
        jumps++;
      }
    }
    if (jumps === 0 || jumps % 2 === 1) {
      return ring;
    }
    var offset = 0;
    return ring.map(function (point, j) {
      if (j > 0) {
        var step = point[0] - ring[j - 1][0];
        if (step > 180) {
          offset -= 360;
        } else if (step < -180) {
          offset += 360;
        }
      }
      return [point[0] + offset, point[1]];
    });
  }

  function unwrapAntimeridian(collection) {
    collection.features.forEach(function (feature) {
      var geometry = feature.geometry;
      if (geometry && geometry.type === "Polygon") {
        geometry.coordinates = geometry.coordinates.map(unwrapRing);
      } else if (geometry && geometry.type === "MultiPolygon") {
        geometry.coordinates = geometry.coordinates.map(function (polygon) {
          return polygon.map(unwrapRing);
        });
      }
    });
    return collection;
  }

  function addBasemap(el, map) {
    var tileUrl = el.getAttribute("data-tile-url");
    if (tileUrl) {
      L.tileLayer(tileUrl, {
        attribution: el.getAttribute("data-tile-attribution") || "",
        maxZoom: 12
      }).addTo(map);
      el.classList.add("constellation-map--tiles");
      return;
    }
    var basemapUrl = el.getAttribute("data-basemap-url");
    if (!basemapUrl || typeof topojson === "undefined") {
      return;
    }
    fetchJSON(basemapUrl).then(function (topology) {
      if (!isLive(el, map)) {
        return;
      }
      var land = unwrapAntimeridian(topojson.feature(topology, topology.objects.countries));
      L.geoJSON(land, {
        interactive: false,
        attribution: "Natural Earth",
        style: {
          fillColor: LAND,
          fillOpacity: 1,
          color: BORDER,
          weight: 0.5,
          opacity: 1
        }
      }).addTo(map);
    }).catch(function (err) {
      if (window.console) {
        window.console.warn("map.js: basemap not loaded:", err);
      }
    });
  }

  function addPoints(el, map, data) {
    var items = (data && Array.isArray(data.items)) ? data.items : [];
    var icon = markerIcon(el);
    var group = typeof L.markerClusterGroup === "function"
      ? L.markerClusterGroup()
      : L.featureGroup();
    var latlngs = [];

    items.forEach(function (item) {
      if (!item) {
        return;
      }
      var lat = parseFloat(item.latitude);
      var lng = parseFloat(item.longitude);
      if (!isFinite(lat) || !isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
        return;
      }
      var label = item.name == null ? "" : String(item.name);
      var options = { title: label, alt: label, keyboard: true, riseOnHover: true };
      if (icon) {
        options.icon = icon;
      }
      var marker = L.marker([lat, lng], options);
      marker.bindPopup(popupContent(item));
      group.addLayer(marker);
      latlngs.push([lat, lng]);
    });

    group.addTo(map);
    if (latlngs.length) {
      map.fitBounds(L.latLngBounds(latlngs), { padding: [24, 24], maxZoom: 6 });
    }
  }

  function isLive(el, map) {
    return maps ? maps.has(el) && maps.get(el).map === map : true;
  }

  function initMap(el) {
    if (isInitialised(el) || typeof L === "undefined") {
      return;
    }
    // Drop fallback content and any stale Leaflet DOM (e.g. from an htmx
    // history snapshot) before Leaflet takes the container over.
    while (el.firstChild) {
      el.removeChild(el.firstChild);
    }
    el.classList.add("constellation-map");
    el.setAttribute("dir", "ltr"); // Leaflet lays itself out left-to-right
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", el.getAttribute("data-label") || "Map");

    var map = L.map(el, {
      worldCopyJump: true,
      minZoom: 1,
      maxZoom: 12
    });
    map.fitBounds(WORLD_BOUNDS);

    var state = { map: map, observer: null };
    remember(el, state);

    if (typeof ResizeObserver === "function") {
      state.observer = new ResizeObserver(function () {
        map.invalidateSize();
      });
      state.observer.observe(el);
    }

    addBasemap(el, map);
    loadPoints(el).then(function (data) {
      if (isLive(el, map)) {
        addPoints(el, map, data);
      }
    }).catch(function (err) {
      if (window.console) {
        window.console.warn("map.js: points not loaded:", err);
      }
    });
  }

  function destroyMap(el) {
    if (!maps || !maps.has(el)) {
      return;
    }
    var state = maps.get(el);
    maps.delete(el);
    el.removeAttribute("data-map-ready");
    if (state.observer) {
      state.observer.disconnect();
    }
    state.map.remove();
  }

  function initAll(root) {
    if (!root || !root.querySelectorAll) {
      return;
    }
    if (root.matches && root.matches("[data-map]")) {
      initMap(root);
    }
    Array.prototype.forEach.call(root.querySelectorAll("[data-map]"), initMap);
  }

  function start() {
    initAll(document);
    var body = document.body;
    body.addEventListener("htmx:afterSettle", function (event) {
      initAll(event.target);
    });
    body.addEventListener("htmx:historyRestore", function () {
      initAll(document);
    });
    body.addEventListener("htmx:beforeCleanupElement", function (event) {
      var el = event.target;
      if (el && el.hasAttribute && el.hasAttribute("data-map")) {
        destroyMap(el);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
