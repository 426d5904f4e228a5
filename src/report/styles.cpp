// The default look of each output layer in QGIS, from one table of looks in code: the field
// names are the layers' own (layers.cpp, read from the table being written) and the class
// values come from the enums' names, so nothing here is typed twice. Written as QML (what
// QGIS loads) and SLD (what other tools read) into the GeoPackage's `layer_styles` table,
// created with the schema QGIS itself uses (QgsOgrProviderMetadata::saveStyle).

#include "report/styles.hpp"

#include "whitezone/compare.hpp"
#include "whitezone/error.hpp"

#include "common/text.hpp"
#include "gdal/gdal.hpp"

#include <ogrsf_frmts.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace whitezone::report {

namespace {

Look make_look(std::string layer, std::string field, std::vector<LookClass> classes) {
    Look look;
    look.layer = std::move(layer);
    look.field = std::move(field);
    look.classes = std::move(classes);
    return look;
}

// Colours of the statuses: red for a village without signal, orange for a partial one,
// green for a covered one (ColorBrewer RdYlGn ends).
const char* status_colour(Status s) {
    switch (s) {
    case Status::White:
        return "#d7191c";
    case Status::Partial:
        return "#fdae61";
    case Status::Covered:
        return "#1a9641";
    }
    return "#808080";
}

const char* status_label(Status s) {
    switch (s) {
    case Status::White:
        return "white (trắng sóng): no signal at the centre";
    case Status::Partial:
        return "partial (lõm sóng): signal at the centre, not everywhere";
    case Status::Covered:
        return "covered (phủ sóng)";
    }
    return "";
}

const char* tech_colour(Tech t) {
    switch (t) {
    case Tech::G2:
        return "#969696";
    case Tech::G3:
        return "#2b83ba";
    case Tech::G4:
        return "#7b3294";
    case Tech::G5:
        return "#e66101";
    }
    return "#000000";
}

bool has_column(const Table& t, const std::string& name) {
    return std::any_of(t.info.columns.begin(), t.info.columns.end(),
                       [&](const ColumnInfo& c) { return c.name == name; });
}

Look villages_look(const Table& t) {
    Look look =
        make_look(t.info.name, "status_" + std::string(to_string(ServiceClass::Broadband)), {});
    for (const auto& e : kStatusNames.entries)
        look.classes.push_back(
            {std::string(e.name), status_label(e.value), status_colour(e.value)});
    look.label_field = t.label_field;
    return look;
}

Look coverage_look(const Table& t) {
    Look look = make_look(t.info.name, "class", {});
    const std::array<const char*, kServiceClasses.size()> colours{"#6baed6", "#756bb1"};
    for (ServiceClass cls : kServiceClasses)
        look.classes.push_back(
            {std::string(to_string(cls)),
             cls == ServiceClass::Any ? "any signal (2G and up)" : "broadband (3G and up)",
             colours[index_of(cls)]});
    look.opacity = 0.35;
    return look;
}

Look stations_look(const Table& t) {
    Look look = make_look(t.info.name, "technology", {});
    for (Tech tech : kTechs)
        look.classes.push_back(
            {std::string(to_string(tech)), std::string(to_string(tech)), tech_colour(tech)});
    return look;
}

Look proposed_sites_look(const Table& t) {
    return make_look(t.info.name, "connected",
                     {{"1", "proposed site, linked to the network", "#e31a1c"},
                      {"0", "proposed site, no backhaul link", "#fb9a99"}});
}

Look backhaul_links_look(const Table& t) {
    Look look = make_look(t.info.name, "", {});
    look.colour = "#33a02c";
    return look;
}

// The plan's candidates that no backhaul reaches: one grey, beside the proposed sites' reds.
Look unlinkable_candidates_look(const Table& t) {
    Look look = make_look(t.info.name, "", {});
    look.colour = "#969696";
    return look;
}

std::string hex_pair(const std::string& colour, std::size_t at) { return colour.substr(at, 2); }

int channel(const std::string& colour, std::size_t at) {
    return std::stoi(hex_pair(colour, at), nullptr, 16);
}

// "#rrggbb" at `alpha` (0-1) as QGIS writes colours: "r,g,b,a".
std::string qgis_colour(const std::string& colour, double alpha = 1.0) {
    return std::to_string(channel(colour, 1)) + "," + std::to_string(channel(colour, 3)) + "," +
           std::to_string(channel(colour, 5)) + "," +
           std::to_string(static_cast<int>(alpha * 255 + 0.5));
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

enum class SymbolKind : std::uint8_t { Fill, Marker, Line };

SymbolKind symbol_kind(GeometryType g) {
    switch (g) {
    case GeometryType::Points:
        return SymbolKind::Marker;
    case GeometryType::Lines:
        return SymbolKind::Line;
    default:
        return SymbolKind::Fill;
    }
}

// One QGIS symbol of `colour`; symbol layer properties as both <Option> (QGIS 3.16 and
// later) and <prop> (older), as QGIS 3.22 writes them.
std::string qml_symbol(const std::string& name, SymbolKind kind, const std::string& colour,
                       double opacity) {
    std::vector<std::pair<std::string, std::string>> props;
    std::string type, cls;
    switch (kind) {
    case SymbolKind::Fill:
        type = "fill";
        cls = "SimpleFill";
        props = {{"color", qgis_colour(colour, opacity)},
                 {"style", "solid"},
                 {"outline_color", opacity < 1 ? qgis_colour(colour) : "35,35,35,255"},
                 {"outline_style", "solid"},
                 {"outline_width", "0.26"},
                 {"outline_width_unit", "MM"}};
        break;
    case SymbolKind::Marker:
        type = "marker";
        cls = "SimpleMarker";
        props = {{"name", "circle"},
                 {"color", qgis_colour(colour, opacity)},
                 {"outline_color", "35,35,35,255"},
                 {"outline_style", "solid"},
                 {"outline_width", "0.2"},
                 {"outline_width_unit", "MM"},
                 {"size", "2.6"},
                 {"size_unit", "MM"}};
        break;
    case SymbolKind::Line:
        type = "line";
        cls = "SimpleLine";
        props = {{"line_color", qgis_colour(colour, opacity)},
                 {"line_style", "dash"},
                 {"line_width", "0.6"},
                 {"line_width_unit", "MM"}};
        break;
    }
    std::string s = "      <symbol type=\"" + type + "\" name=\"" + name +
                    "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
                    "        <layer class=\"" +
                    cls +
                    "\" enabled=\"1\" locked=\"0\" pass=\"0\">\n          <Option type=\"Map\">\n";
    for (const auto& [k, v] : props)
        s += "            <Option type=\"QString\" name=\"" + k + "\" value=\"" + v + "\"/>\n";
    s += "          </Option>\n";
    for (const auto& [k, v] : props)
        s += "          <prop k=\"" + k + "\" v=\"" + v + "\"/>\n";
    return s + "        </layer>\n      </symbol>\n";
}

// The SLD symbolizer of `colour`.
std::string sld_symbolizer(SymbolKind kind, const std::string& colour, double opacity) {
    auto param = [](const char* name, const std::string& value) {
        return std::string("<se:SvgParameter name=\"") + name + "\">" + value +
               "</se:SvgParameter>";
    };
    switch (kind) {
    case SymbolKind::Fill:
        return "<se:PolygonSymbolizer><se:Fill>" + param("fill", colour) +
               param("fill-opacity", number(opacity)) + "</se:Fill><se:Stroke>" +
               param("stroke", opacity < 1 ? colour : "#232323") + param("stroke-width", "1") +
               "</se:Stroke></se:PolygonSymbolizer>";
    case SymbolKind::Marker:
        return "<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</"
               "se:WellKnownName><se:Fill>" +
               param("fill", colour) + "</se:Fill><se:Stroke>" + param("stroke", "#232323") +
               param("stroke-width", "0.5") +
               "</se:Stroke></se:Mark><se:Size>10</se:Size></se:Graphic></se:PointSymbolizer>";
    case SymbolKind::Line:
        return "<se:LineSymbolizer><se:Stroke>" + param("stroke", colour) +
               param("stroke-width", "2") + param("stroke-dasharray", "7 3") +
               "</se:Stroke></se:LineSymbolizer>";
    }
    return {};
}

// QGIS's geometry type numbers in a QML (QgsWkbTypes::GeometryType).
int qgis_geometry(GeometryType g) {
    switch (g) {
    case GeometryType::Points:
        return 0;
    case GeometryType::Lines:
        return 1;
    case GeometryType::Polygons:
        return 2;
    default:
        return 3;
    }
}

} // namespace

std::optional<Look> look_of_layer(std::string_view layer) {
    // whitezone compare's `changes` layer, coloured by the broadband transition.
    if (layer == "changes") {
        static const std::array<const char*, kTransitions.size()> colours{
            "#1a9641", "#a6d96a", "#66bd63", "#d7191c", "#fdae61", "#bdbdbd", "#2b83ba", "#636363"};
        std::vector<LookClass> classes;
        for (std::size_t k = 0; k < kTransitions.size(); ++k) {
            std::string name(to_string(kTransitions[k]));
            std::string label = name;
            std::replace(label.begin(), label.end(), '_', ' ');
            classes.push_back({name, label, colours[k]});
        }
        return make_look("changes", "transition_" + std::string(to_string(ServiceClass::Broadband)),
                         std::move(classes));
    }
    return std::nullopt;
}

std::optional<Look> look_of(const Table& table) {
    if (table.info.geometry == GeometryType::None)
        return std::nullopt;
    const std::string& name = table.info.name;
    std::optional<Look> look;
    if (name == "villages")
        look = villages_look(table);
    else if (name == "coverage")
        look = coverage_look(table);
    else if (name == "stations" || name == "planned_stations")
        look = stations_look(table);
    else if (name == "proposed_sites")
        look = proposed_sites_look(table);
    else if (name == "backhaul_links")
        look = backhaul_links_look(table);
    else if (name == "unlinkable_candidates")
        look = unlinkable_candidates_look(table);
    else
        look = look_of_layer(name);
    // A look on a field the layer does not have (a table of that name made elsewhere, e.g.
    // by `generate`) would draw nothing: no look.
    if (look && !look->field.empty() && !has_column(table, look->field))
        return std::nullopt;
    return look;
}

std::string style_qml(const Look& look, GeometryType geometry) {
    const SymbolKind kind = symbol_kind(geometry);
    const bool labels = !look.label_field.empty();
    std::string s =
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"" +
        std::string(labels ? "1" : "0") + "\">\n";
    if (look.field.empty()) {
        s += "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" "
             "forceraster=\"0\">\n    <symbols>\n" +
             qml_symbol("0", kind, look.colour, look.opacity) + "    </symbols>\n";
    } else {
        s += "  <renderer-v2 type=\"categorizedSymbol\" attr=\"" + text::xml_escape(look.field) +
             "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <categories>\n";
        for (std::size_t i = 0; i < look.classes.size(); ++i)
            s += "      <category render=\"true\" symbol=\"" + std::to_string(i) + "\" value=\"" +
                 text::xml_escape(look.classes[i].value) + "\" label=\"" +
                 text::xml_escape(look.classes[i].label) + "\"/>\n";
        s += "    </categories>\n    <symbols>\n";
        for (std::size_t i = 0; i < look.classes.size(); ++i)
            s += qml_symbol(std::to_string(i), kind, look.classes[i].colour, look.opacity);
        s += "    </symbols>\n";
    }
    s += "  </renderer-v2>\n";
    if (labels)
        s += "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n"
             "      <text-style fieldName=\"" +
             text::xml_escape(look.label_field) +
             "\" isExpression=\"0\" fontSize=\"8\" fontSizeUnit=\"Point\" "
             "textColor=\"35,35,35,255\" textOpacity=\"1\" fontWeight=\"50\" fontItalic=\"0\">\n"
             "        <text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" "
             "bufferColor=\"255,255,255,255\" bufferOpacity=\"0.8\"/>\n"
             "      </text-style>\n"
             "      <rendering drawLabels=\"1\" obstacle=\"1\" scaleVisibility=\"0\"/>\n"
             "    </settings>\n  </labeling>\n";
    s += "  <layerGeometryType>" + std::to_string(qgis_geometry(geometry)) +
         "</layerGeometryType>\n</qgis>\n";
    return s;
}

std::string style_sld(const Look& look, GeometryType geometry) {
    const SymbolKind kind = symbol_kind(geometry);
    const std::string name = text::xml_escape(look.layer);
    std::string s =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" "
        "xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:se=\"http://www.opengis.net/se\" "
        "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1.0\" "
        "xsi:schemaLocation=\"http://www.opengis.net/sld "
        "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n"
        " <NamedLayer>\n  <se:Name>" +
        name + "</se:Name>\n  <UserStyle>\n   <se:Name>" + name +
        "</se:Name>\n   <se:FeatureTypeStyle>\n";
    if (look.field.empty()) {
        s += "    <se:Rule><se:Name>" + name + "</se:Name>" +
             sld_symbolizer(kind, look.colour, look.opacity) + "</se:Rule>\n";
    } else {
        for (const auto& c : look.classes)
            s += "    <se:Rule><se:Name>" + text::xml_escape(c.value) +
                 "</se:Name><se:Description><se:Title>" + text::xml_escape(c.label) +
                 "</se:Title></se:Description><ogc:Filter><ogc:PropertyIsEqualTo><ogc:"
                 "PropertyName>" +
                 text::xml_escape(look.field) + "</ogc:PropertyName><ogc:Literal>" +
                 text::xml_escape(c.value) + "</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>" +
                 sld_symbolizer(kind, c.colour, look.opacity) + "</se:Rule>\n";
    }
    if (!look.label_field.empty())
        s += "    <se:Rule><se:TextSymbolizer><se:Label><ogc:PropertyName>" +
             text::xml_escape(look.label_field) +
             "</ogc:PropertyName></se:Label><se:Font><se:SvgParameter "
             "name=\"font-size\">11</se:SvgParameter></se:Font><se:Halo><se:Radius>1</"
             "se:Radius><se:Fill><se:SvgParameter name=\"fill\">#ffffff</se:SvgParameter></"
             "se:Fill></se:Halo><se:Fill><se:SvgParameter name=\"fill\">#232323</"
             "se:SvgParameter></se:Fill></se:TextSymbolizer></se:Rule>\n";
    return s + "   </se:FeatureTypeStyle>\n  </UserStyle>\n </NamedLayer>\n"
               "</StyledLayerDescriptor>\n";
}

void write_layer_styles(GDALDataset& dataset, const std::vector<Table>& tables,
                        std::string_view stage) {
    auto fail = [&](const std::string& what) {
        throw ExternalError(std::string(stage) + ": cannot write the QGIS styles (" + what +
                            "): " + gdal::last_error());
    };
    if (std::none_of(tables.begin(), tables.end(),
                     [](const Table& t) { return look_of(t).has_value(); }))
        return;
    gdal::StringList options(std::vector<std::string>{"FID=id"});
    OGRLayer* layer = dataset.CreateLayer("layer_styles", nullptr, wkbNone, options.get());
    if (!layer)
        fail("creating table layer_styles");
    // QGIS's schema: names, types and widths as QgsOgrProviderMetadata::saveStyle makes them.
    struct Field {
        const char* name;
        OGRFieldType type;
        int width;
    };
    for (const Field& f :
         {Field{"f_table_catalog", OFTString, 256}, Field{"f_table_schema", OFTString, 256},
          Field{"f_table_name", OFTString, 256}, Field{"f_geometry_column", OFTString, 256},
          Field{"styleName", OFTString, 30}, Field{"styleQML", OFTString, 0},
          Field{"styleSLD", OFTString, 0}, Field{"useAsDefault", OFTInteger, 0},
          Field{"description", OFTString, 0}, Field{"owner", OFTString, 30},
          Field{"ui", OFTString, 30}, Field{"update_time", OFTDateTime, 0}}) {
        OGRFieldDefn defn(f.name, f.type);
        defn.SetWidth(f.width);
        if (f.type == OFTInteger)
            defn.SetSubType(OFSTBoolean);
        if (f.type == OFTDateTime)
            defn.SetDefault("CURRENT_TIMESTAMP");
        if (layer->CreateField(&defn) != OGRERR_NONE)
            fail(std::string("creating field ") + f.name);
    }
    for (const auto& t : tables) {
        const std::optional<Look> look = look_of(t);
        if (!look)
            continue;
        OGRLayer* target = dataset.GetLayerByName(t.info.name.c_str());
        if (!target)
            fail("no layer " + t.info.name);
        OGRFeature f(layer->GetLayerDefn());
        f.SetField("f_table_catalog", "");
        f.SetField("f_table_schema", "");
        f.SetField("f_table_name", t.info.name.c_str());
        f.SetField("f_geometry_column", target->GetGeometryColumn());
        f.SetField("styleName", t.info.name.c_str());
        f.SetField("styleQML", style_qml(*look, t.info.geometry).c_str());
        f.SetField("styleSLD", style_sld(*look, t.info.geometry).c_str());
        f.SetField("useAsDefault", 1);
        f.SetField("description", ("whitezone's default style of " + t.info.name).c_str());
        f.SetField("owner", "");
        if (layer->CreateFeature(&f) != OGRERR_NONE)
            fail("the style of " + t.info.name);
    }
}

} // namespace whitezone::report
