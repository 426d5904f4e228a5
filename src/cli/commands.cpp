// The registry of commands: adding a command is its file in src/cli/ (a Command subclass and
// its factory) plus its line here.

#include "cli/command.hpp"

namespace whitezone::cli {

std::unique_ptr<Command> make_analyze_command();  // analyze.cpp
std::unique_ptr<Command> make_plan_command();     // plan.cpp
std::unique_ptr<Command> make_trend_command();    // trend.cpp
std::unique_ptr<Command> make_generate_command(); // generate.cpp
std::unique_ptr<Command> make_link_command();     // link.cpp

const std::vector<CommandFactory>& command_table() {
    static const std::vector<CommandFactory> table{
        make_analyze_command,
        make_plan_command,
        make_trend_command,
        make_generate_command,
        make_link_command,
    };
    return table;
}

} // namespace whitezone::cli
