// The report as one HTML page that opens offline: Leaflet's script and style inlined (the
// copy in third_party/leaflet, embedded at build time), the layers as GeoJSON in a script
// element, the sentences and tables as HTML, the trend chart as inline SVG. No base map unless
// a tile URL is given. A small script writes what the page holds (features drawn, numbers
// stated, script errors) into the element #wz-check, which the browser test reads.

#include "common/text.hpp"
#include "publish/publish.hpp"
#include "report/styles.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

namespace whitezone::publish {

namespace {

// The page's own script: the map, its legend and popups, then the check record.
constexpr std::string_view kScript = R"JS(
(function () {
  var D = window.WZ, check = {errors: window.wzErrors, villages: 0, layers: {}, numbers: {}};
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c];
    });
  }
  // A feature's fields as [name, value] in the report's language (unknown ones as they are).
  function rows(p) {
    var out = [];
    for (var k in p)
      if (p[k] !== null && p[k] !== '') {
        var values = D.value_labels[k];
        out.push([D.field_labels[k] || k,
                  values && values[p[k]] !== undefined ? values[p[k]] : p[k]]);
      }
    return out;
  }
  function popup(p) {
    var h = '<table class="popup">';
    rows(p).forEach(function (r) {
      h += '<tr><th>' + esc(r[0]) + '</th><td>' + esc(r[1]) + '</td></tr>';
    });
    return h + '</table>';
  }
  function dot(colour, radius) {
    return {radius: radius, color: '#333333', weight: 0.5, fillColor: colour, fillOpacity: 0.9};
  }
  try {
    var map = L.map('map', {preferCanvas: true});
    if (D.tile_url) L.tileLayer(D.tile_url, {maxZoom: 19}).addTo(map);
    var overlays = {}, legend = [];
    if (D.coverage) {
      var cov = L.geoJSON(D.coverage, {interactive: false, style: function (f) {
        var c = D.colours.coverage[f.properties['class']] || '#3182bd';
        return {color: c, weight: 1, fillColor: c, fillOpacity: D.colours.coverage_opacity};
      }}).addTo(map);
      overlays[D.labels.coverage] = cov;
      check.layers.coverage = cov.getLayers().length;
    }
    var villages = L.geoJSON(D.villages, {
      style: function (f) {
        var c = D.colours.status[f.properties[D.status_field]] || '#808080';
        return {color: '#333333', weight: 0.5, fillColor: c, fillOpacity: 0.75};
      },
      pointToLayer: function (f, ll) {
        return L.circleMarker(ll, dot(D.colours.status[f.properties[D.status_field]] || '#808080', 4));
      },
      onEachFeature: function (f, l) { check.villages++; l.bindPopup(popup(f.properties)); }
    }).addTo(map);
    var first = villages.getLayers()[0];
    check.popup = first ? rows(first.feature.properties) : [];
    overlays[D.labels.villages] = villages;
    if (D.stations) {
      var st = L.geoJSON(D.stations, {
        pointToLayer: function (f, ll) {
          return L.circleMarker(ll, dot(D.colours.tech[f.properties.technology] || '#000000', 3));
        },
        onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); }
      });
      overlays[D.labels.stations] = st;
      check.layers.stations = st.getLayers().length;
    }
    if (D.links) {
      var ln = L.geoJSON(D.links, {style: function () {
        return {color: D.colours.links, weight: 2, dashArray: '6 4'};
      }, onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); }}).addTo(map);
      overlays[D.labels.links] = ln;
      check.layers.links = ln.getLayers().length;
    }
    if (D.planned) {
      var pl = L.geoJSON(D.planned, {pointToLayer: function (f, ll) {
        return L.circleMarker(ll, dot(D.colours.planned, 5));
      }, onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); }}).addTo(map);
      overlays[D.labels.planned] = pl;
      check.layers.planned = pl.getLayers().length;
    }
    if (D.proposed) {
      var ps = L.geoJSON(D.proposed, {pointToLayer: function (f, ll) {
        return L.circleMarker(ll, dot(D.colours.proposed[String(f.properties.connected)] ||
                                      D.colours.proposed['1'], 6));
      }, onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); }}).addTo(map);
      overlays[D.labels.proposed] = ps;
      check.layers.proposed = ps.getLayers().length;
    }
    L.control.layers(null, overlays, {collapsed: false}).addTo(map);
    var box = L.control({position: 'bottomright'});
    box.onAdd = function () {
      var div = L.DomUtil.create('div', 'legend');
      D.legend.forEach(function (e) {
        div.innerHTML += '<div><span class="swatch" style="background:' + e.colour +
                         (e.opacity ? ';opacity:' + e.opacity : '') + '"></span>' +
                         esc(e.label) + '</div>';
      });
      return div;
    };
    box.addTo(map);
    var bounds = villages.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds); else map.setView([16, 106], 6);
    check.bounds = bounds.isValid() ? bounds.toBBoxString() : '';
  } catch (e) {
    window.wzErrors.push('report script: ' + e);
  } finally {
    document.querySelectorAll('[data-key]').forEach(function (e) {
      check.numbers[e.getAttribute('data-key')] = Number(e.getAttribute('data-value'));
    });
    document.getElementById('wz-check').textContent = JSON.stringify(check);
  }
})();
)JS";

constexpr std::string_view kStyle = R"CSS(
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; margin: 0 auto; max-width: 1100px;
       padding: 1em 1.5em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
.source { color: #666; font-size: 0.9em; }
#map { height: 560px; border: 1px solid #bbb; background: #f4f4f0; margin: 0.5em 0 1em; }
table.units { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.92em; }
table.units th, table.units td { border: 1px solid #ccc; padding: 0.2em 0.5em; }
table.units td { text-align: right; }
table.units td:first-child { text-align: left; }
table.units th { background: #eee; }
table.popup th { text-align: left; padding-right: 0.6em; font-weight: normal; color: #555; }
.legend { background: #fff; padding: 0.4em 0.6em; border: 1px solid #999; font-size: 0.85em; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.4em;
          vertical-align: middle; border: 1px solid #555; }
ol.gaps { list-style: none; padding-left: 1em; }
#wz-check { display: none; }
)CSS";

// Text for HTML: & < > " escaped.
std::string h(std::string_view s) { return text::xml_escape(s); }

// JSON for a <script> element: "</" cannot close it.
std::string script_safe(std::string s) {
    for (std::size_t i = s.find("</"); i != std::string::npos; i = s.find("</", i + 3))
        s.replace(i, 2, "<\\/");
    return s;
}

nlohmann::json value_json(const ReportValue& v, const std::string& field) {
    if (const auto* s = std::get_if<std::string>(&v))
        return *s;
    if (const auto* n = std::get_if<std::int64_t>(&v))
        return *n;
    if (const auto* d = std::get_if<double>(&v)) {
        // Shares with three decimals, the rest (metres, people) whole.
        const double scale = field.find("share") != std::string::npos ||
                                     field.find("rate") != std::string::npos ||
                                     field.find("stability") != std::string::npos
                                 ? 1000.0
                                 : 1.0;
        return std::round(*d * scale) / scale;
    }
    return nullptr;
}

// A FeatureCollection of `layer`'s features with geometry, with the properties `fields` (all
// fields when empty) that the layer has.
std::string feature_collection(const ReportLayer& layer, const std::vector<std::string>& fields) {
    std::vector<int> columns;
    if (fields.empty()) {
        for (std::size_t i = 0; i < layer.fields.size(); ++i)
            columns.push_back(static_cast<int>(i));
    } else {
        for (const std::string& f : fields)
            if (const int i = layer.field(f); i >= 0)
                columns.push_back(i);
    }
    std::string out = R"({"type":"FeatureCollection","features":[)";
    bool first = true;
    for (std::size_t r = 0; r < layer.rows.size() && r < layer.geojson.size(); ++r) {
        if (layer.geojson[r].empty())
            continue;
        nlohmann::json props = nlohmann::json::object();
        for (int c : columns) {
            const auto& name = layer.fields[static_cast<std::size_t>(c)];
            props[name] = value_json(layer.rows[r][static_cast<std::size_t>(c)], name);
        }
        out += first ? "" : ",";
        first = false;
        out += R"({"type":"Feature","geometry":)" + layer.geojson[r] + R"(,"properties":)" +
               props.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "}";
    }
    return out + "]}";
}

// The popup's fields of a village: who and where it is, its status and why; codes, operators
// and other fields of newer results where present (docs/report.md#the-map).
const std::vector<std::string> kVillageFields{"village_id",
                                              "name",
                                              "ten_thon",
                                              "village_name",
                                              "commune",
                                              "commune_code",
                                              "xa",
                                              "district",
                                              "district_code",
                                              "huyen",
                                              "province",
                                              "province_code",
                                              "unit_name",
                                              "unit_code",
                                              "population",
                                              "households",
                                              "has_power",
                                              "status_broadband",
                                              "status_any",
                                              "share_broadband",
                                              "share_any",
                                              "people_without_broadband",
                                              "nearest_site_m",
                                              "operators_broadband",
                                              "operators_any",
                                              "flags",
                                              "gap_rank"};

// The colours of the QGIS styles (src/report/styles.cpp), asked of look_of() with a table
// that has the field each look is categorised on.
nlohmann::json colours_of(const std::string& layer, GeometryType geometry,
                          const std::string& field) {
    report::Table table;
    table.info.name = layer;
    table.info.geometry = geometry;
    table.info.columns.push_back({field, field, ColumnType::String});
    nlohmann::json out = nlohmann::json::object();
    if (const auto look = report::look_of(table)) {
        for (const auto& c : look->classes)
            out[c.value] = c.colour;
        if (look->classes.empty())
            out["*"] = look->colour;
        out["#opacity"] = look->opacity;
    }
    return out;
}

std::string table_html(const TextTable& t) {
    std::string s = "<h2>" + h(t.title) + "</h2>\n<table class=\"units\">\n<tr>";
    for (const auto& c : t.head)
        s += "<th>" + h(c) + "</th>";
    s += "</tr>\n";
    for (const auto& row : t.rows) {
        s += "<tr>";
        for (const auto& c : row)
            s += "<td>" + h(c) + "</td>";
        s += "</tr>\n";
    }
    return s + "</table>\n";
}

} // namespace

} // namespace whitezone::publish

namespace whitezone {

std::string render_report_html(const ReportData& data, const ReportOptions& options) {
    using namespace publish;
    const Templates& t = templates(options.language);
    const ReportSource& r = data.results;
    std::ostringstream page;
    page << "<!DOCTYPE html>\n<html lang=\"" << t.html_lang
         << "\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<title>" << h(t.title) << "</title>\n"
         << "<script>window.wzErrors = [];\n"
            "window.addEventListener('error', function (e) { "
            "window.wzErrors.push(String(e.message)); });\n"
            "(function () { var ce = console.error; console.error = function () {\n"
            "  window.wzErrors.push(Array.prototype.join.call(arguments, ' ')); ce.apply(console, "
            "arguments); }; })();\n"
            "</script>\n"
         << "<style>\n"
         << leaflet_css() << "\n</style>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
    page << "<h1>" << h(t.title) << "</h1>\n<p class=\"source\">"
         << h(fill(t.generated_from, {{"file", r.path}})) << "</p>\n";

    // The sentences, with the numbers they state as data attributes for the checks.
    page << "<section id=\"summary\">\n<h2>" << h(t.h_summary) << "</h2>\n";
    for (const ReportParagraph& p : report_sentences(data, options.language)) {
        page << "<p id=\"p-" << h(p.id) << "\">" << h(p.text);
        for (const auto& [key, value] : p.numbers)
            page << "<span hidden data-key=\"" << h(key) << "\" data-value=\""
                 << text::fixed(value, 6) << "\"></span>";
        page << "</p>\n";
        if (!p.items.empty()) {
            page << "<ol class=\"gaps\">\n";
            for (const auto& item : p.items)
                page << "<li>" << h(item) << "</li>\n";
            page << "</ol>\n";
        }
    }
    page << "</section>\n";

    page << "<section>\n<h2>" << h(t.h_map) << "</h2>\n<div id=\"map\"></div>\n</section>\n";

    if (data.trend)
        if (const ReportLayer* layer = data.trend->layer("trend"); layer && !layer->rows.empty()) {
            std::string svg = trend_chart_svg(trend_of(*layer), chart_words(options.language));
            if (const std::size_t at = svg.find("<svg"); at != std::string::npos)
                svg.erase(0, at);
            page << "<section id=\"trend\">\n<h2>" << h(t.h_trend) << "</h2>\n"
                 << svg << "</section>\n";
        }

    page << "<section id=\"tables\">\n";
    for (const TextTable& table : report_tables(data, options))
        page << table_html(table);
    page << "</section>\n<pre id=\"wz-check\"></pre>\n";

    // The map's data.
    nlohmann::json d = nlohmann::json::object();
    d["tile_url"] = options.tile_url;
    d["status_field"] = "status_broadband";
    const nlohmann::json status =
        colours_of("villages", GeometryType::Polygons, "status_broadband");
    const nlohmann::json coverage = colours_of("coverage", GeometryType::Polygons, "class");
    const nlohmann::json tech = colours_of("stations", GeometryType::Points, "technology");
    const nlohmann::json proposed = colours_of("proposed_sites", GeometryType::Points, "connected");
    const nlohmann::json links = colours_of("backhaul_links", GeometryType::Lines, "");
    d["colours"] = {{"status", status},
                    {"coverage", coverage},
                    {"coverage_opacity", coverage.value("#opacity", 0.35)},
                    {"tech", tech},
                    {"proposed", proposed},
                    {"links", links.value("*", "#33a02c")},
                    {"planned", "#1f78b4"}};
    d["labels"] = {{"villages", t.l_villages}, {"coverage", t.l_coverage_any},
                   {"stations", t.l_stations}, {"proposed", t.l_proposed},
                   {"links", t.l_links},       {"planned", t.l_planned}};
    // The popups' field names and coded values in the report's language.
    d["field_labels"] = nlohmann::json::object();
    for (const auto& [field, label] : t.fields)
        d["field_labels"][field] = label;
    nlohmann::json statuses = nlohmann::json::object();
    for (const auto& [value, label] : t.statuses)
        statuses[value] = label;
    d["value_labels"] = {{"status_broadband", statuses},
                         {"status_any", statuses},
                         {"has_power", {{"1", t.yes}, {"0", t.no}}}};
    nlohmann::json legend = nlohmann::json::array();
    legend.push_back({{"label", t.l_white}, {"colour", status.value("white", "#d7191c")}});
    legend.push_back({{"label", t.l_partial}, {"colour", status.value("partial", "#fdae61")}});
    legend.push_back({{"label", t.l_covered}, {"colour", status.value("covered", "#1a9641")}});
    legend.push_back({{"label", t.l_coverage_any},
                      {"colour", coverage.value("any", "#6baed6")},
                      {"opacity", 0.5}});
    legend.push_back({{"label", t.l_coverage_bb},
                      {"colour", coverage.value("broadband", "#756bb1")},
                      {"opacity", 0.5}});
    for (const auto& [k, v] : tech.items())
        if (k[0] != '#')
            legend.push_back({{"label", std::string(t.l_stations) + " " + k}, {"colour", v}});
    if (data.plan) {
        legend.push_back({{"label", t.l_proposed}, {"colour", proposed.value("1", "#e31a1c")}});
        legend.push_back({{"label", t.l_links}, {"colour", links.value("*", "#33a02c")}});
    }
    d["legend"] = legend;
    std::string json = d.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    json.pop_back(); // the layers follow, as GeoJSON text
    json += R"(,"villages":)" + feature_collection(*r.layer("villages"), kVillageFields);
    if (const ReportLayer* c = r.layer("coverage"))
        json += R"(,"coverage":)" + feature_collection(*c, {"class", "area_km2"});
    if (const ReportLayer* s = r.layer("stations"))
        json += R"(,"stations":)" +
                feature_collection(*s, {"site_key", "technology", "operator_name", "radius_m"});
    if (data.plan) {
        const ReportSource& p = *data.plan;
        json += R"(,"proposed":)" + feature_collection(*p.layer("proposed_sites"), {});
        if (const ReportLayer* l = p.layer("backhaul_links"))
            json += R"(,"links":)" + feature_collection(*l, {});
        if (const ReportLayer* l = p.layer("planned_stations"))
            json += R"(,"planned":)" + feature_collection(*l, {});
    }
    json += "}";
    page << "<script>\n"
         << leaflet_js() << "\n</script>\n<script>window.WZ = " << script_safe(json)
         << ";</script>\n<script>" << kScript << "</script>\n</body>\n</html>\n";
    return page.str();
}

} // namespace whitezone
