// `whitezone plan`: the analysis, then new sites and their backhaul (docs/plan.md).

#include "whitezone/error.hpp"
#include "whitezone/pipeline.hpp"

#include "cli/command.hpp"
#include "cli/common.hpp"

namespace whitezone::cli {

namespace {

// Flags of `whitezone plan` on top of the analysis' flags.
struct PlanFlags {
    long budget = 0;
    std::string candidates, candidates_layer, planned, planned_layer, by, target_rate, max_hop_m;
};

void add_plan_options(CLI::App& cmd, PlanFlags& f) {
    cmd.add_option("--budget", f.budget, "Number of new sites to propose")->required();
    cmd.add_option("--candidates", f.candidates,
                   "Optional candidate sites (points), besides the gap villages' centres");
    cmd.add_option("--candidates-layer", f.candidates_layer, "Layer of --candidates");
    cmd.add_option("--planned", f.planned,
                   "Optional stations planned but not on air (fields of --stations): new sites "
                   "go to the gaps they leave; prints and writes what they improve (whatif)");
    cmd.add_option("--planned-layer", f.planned_layer, "Layer of --planned");
    cmd.add_option("--by", f.by, "people (default) or villages: what a new site's gain counts");
    cmd.add_option("--target-rate", f.target_rate,
                   "Stop once this share of villages (0-1) is covered or has its centre "
                   "reached by a new site (default 1)")
        ->type_name("SHARE");
    cmd.add_option("--max-hop-m", f.max_hop_m,
                   "Longest backhaul hop in metres (default 20000, config \"plan.max_hop_m\")")
        ->type_name("METRES");
}

// The analysis' config plus the plan's flags (flags win over the "plan", "planned" and
// "candidates" config keys). Not validated: run_plan_and_write() does it.
Config make_plan_config(const AnalysisFlags& f, const PlanFlags& p) {
    Config c = config_from_flags(f);
    if (p.budget < 0 || p.budget > 100000)
        throw UsageError("--budget " + std::to_string(p.budget) +
                         " is out of range; give a number of new sites from 0 to 100000.");
    c.plan.budget = static_cast<std::size_t>(p.budget);
    if (!p.candidates.empty() || !p.candidates_layer.empty()) {
        if (p.candidates.empty() && !c.candidates)
            throw UsageError("--candidates-layer is given without --candidates FILE.");
        if (!c.candidates)
            c.candidates.emplace();
        if (!p.candidates.empty())
            c.candidates->path = p.candidates;
        if (!p.candidates_layer.empty())
            c.candidates->layer = p.candidates_layer;
    }
    if (!p.planned.empty() || !p.planned_layer.empty()) {
        if (p.planned.empty() && !c.planned)
            throw UsageError("--planned-layer is given without --planned FILE.");
        if (!c.planned) {
            // The planned stations are read like --stations: same CSV columns, CRS and fields.
            c.planned = c.stations;
            c.planned->path.clear();
            c.planned->layer.clear();
        }
        if (!p.planned.empty())
            c.planned->path = p.planned;
        if (!p.planned_layer.empty())
            c.planned->layer = p.planned_layer;
    }
    if (!p.by.empty()) {
        auto parsed = parse_plan_objective(p.by);
        if (!parsed)
            throw UsageError("--by '" + p.by + "' is not known; use people or villages.");
        c.plan.by = *parsed;
    }
    if (!p.target_rate.empty())
        c.plan.target_rate =
            number_flag("--target-rate", p.target_rate, 0.0, 1.0, "a share from 0 to 1, e.g. 0.95");
    if (!p.max_hop_m.empty())
        c.plan.max_hop_m = number_flag("--max-hop-m", p.max_hop_m, 0.0, 1e7,
                                       "a length in metres >= 0, e.g. 20000");
    return c;
}

class PlanCommand final : public Command {
  public:
    [[nodiscard]] std::string_view name() const override { return "plan"; }
    [[nodiscard]] std::string_view description() const override {
        return "Analyze, then propose new sites (greedy maximal covering) and their backhaul";
    }
    void setup(CLI::App& app) override {
        add_analysis_flags(app, m_flags);
        add_plan_options(app, m_plan);
    }
    int run(const Io& io) override {
        Config config = make_plan_config(m_flags, m_plan);
        config.write.console = &io.out;
        const PlanResult r = run_plan_and_write(config, make_context(io, config, m_flags.verbose));
        io.out << describe_model(config) << "\n"; // the console's first line: the model
        io.out << format_plan(r.plan);
        if (r.whatif)
            io.out << "\n" << format_whatif(*r.whatif);
        io.out << "\noutputs: " << output_path(config.write) << " (layers "
               << layer_list({.plan = true, .whatif = r.whatif.has_value()}) << ")\n";
        return 0;
    }

  private:
    AnalysisFlags m_flags;
    PlanFlags m_plan;
};

} // namespace

std::unique_ptr<Command> make_plan_command() { return std::make_unique<PlanCommand>(); }

} // namespace whitezone::cli
