// `whitezone generate`: a synthetic country for benchmarks.

#include "whitezone/generate.hpp"

#include "whitezone/error.hpp"

#include "cli/command.hpp"
#include "common/text.hpp"

namespace whitezone::cli {

namespace {

struct GenerateFlags {
    std::string size = "S", out;
    std::size_t villages = 0, sites = 0;
    std::uint64_t seed = 1;
    double vertex_spacing_m = 0.0;
    bool overwrite = false;
};

class GenerateCommand final : public Command {
  public:
    [[nodiscard]] std::string_view name() const override { return "generate"; }
    [[nodiscard]] std::string_view description() const override {
        return "Write a synthetic country (villages.gpkg, stations.gpkg) for benchmarks";
    }
    void setup(CLI::App& app) override {
        GenerateFlags& gen = m_flags;
        app.add_option("--size", gen.size, "S, M, L, XL or XXL (default S)");
        app.add_option("--villages", gen.villages, "Number of villages (overrides --size)");
        app.add_option("--sites", gen.sites, "Number of sites (overrides --size)");
        app.add_option("--seed", gen.seed, "Random seed (default 1)");
        app.add_option("--vertex-spacing", gen.vertex_spacing_m,
                       "Metres between village edge vertices (default 150; smaller: denser "
                       "polygons)")
            ->type_name("METRES");
        app.add_option("--out", gen.out, "Output folder")->required();
        app.add_flag("--overwrite", gen.overwrite, "Replace existing files");
    }
    int run(const Io& io) override {
        const GenerateFlags& gen = m_flags;
        auto options = generate_preset(gen.size);
        if (!options)
            throw UsageError("generate: --size '" + gen.size +
                             "' is not known; use S, M, "
                             "L, XL or XXL.");
        if (gen.villages > 0)
            options->villages = gen.villages;
        if (gen.sites > 0)
            options->sites = gen.sites;
        options->seed = gen.seed;
        if (gen.vertex_spacing_m != 0.0)
            options->vertex_spacing_m = gen.vertex_spacing_m;
        check_country_output(gen.out, gen.overwrite); // before the work, not after it
        const PreparedInputs country = generate_country(*options);
        write_country(country, gen.out, gen.overwrite);
        io.out << "generate: " << text::thousands(static_cast<long long>(country.villages.size()))
               << " villages, " << text::thousands(static_cast<long long>(options->sites))
               << " sites (" << text::thousands(static_cast<long long>(country.stations.size()))
               << " cells) in " << gen.out << "\n";
        return 0;
    }

  private:
    GenerateFlags m_flags;
};

} // namespace

std::unique_ptr<Command> make_generate_command() { return std::make_unique<GenerateCommand>(); }

} // namespace whitezone::cli
