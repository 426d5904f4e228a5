// The registry of commands. Adding a command is its file in src/cli/ (a Command subclass and
// its factory `make_<name>_command()`, see analyze.cpp) plus its line in this list; CMake
// picks up every .cpp of src/cli/.

#include "cli/command.hpp"

// Every command, in the order `whitezone --help` lists them.
#define WHITEZONE_CLI_COMMANDS(COMMAND)                                                            \
    COMMAND(analyze)                                                                               \
    COMMAND(plan)                                                                                  \
    COMMAND(trend)                                                                                 \
    COMMAND(generate)                                                                              \
    COMMAND(link)                                                                                  \
    COMMAND(compare)                                                                               \
    COMMAND(report)

namespace whitezone::cli {

#define WHITEZONE_CLI_DECLARE(name) std::unique_ptr<Command> make_##name##_command();
WHITEZONE_CLI_COMMANDS(WHITEZONE_CLI_DECLARE)
#undef WHITEZONE_CLI_DECLARE

const std::vector<CommandFactory>& command_table() {
#define WHITEZONE_CLI_ENTRY(name) make_##name##_command,
    static const std::vector<CommandFactory> table{WHITEZONE_CLI_COMMANDS(WHITEZONE_CLI_ENTRY)};
#undef WHITEZONE_CLI_ENTRY
    return table;
}

} // namespace whitezone::cli
