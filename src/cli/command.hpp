#pragma once
// One command of the command-line program (osmium-tool's shape): `setup()` declares its
// flags and touches no data, `run()` does the work once the flags are parsed. Each command
// is one file in src/cli/ and one line in the table of src/cli/commands.cpp.

#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone::cli {

/// Where a command writes: results to `out`, progress, warnings and errors to `err`.
struct Io {
    std::ostream& out;
    std::ostream& err;
    bool err_is_terminal = false; ///< draw a progress bar on `err`
    /// The command line as run ("whitezone analyze --stations …"), for the provenance record.
    std::string command;
    /// Stops the run when a stop is requested (the program's Ctrl-C, main.cpp): the run throws
    /// Cancelled at its next check and exits with 130, writing nothing.
    std::stop_token stop = {};
};

/// One subcommand: `whitezone <name> …`.
class Command {
  public:
    virtual ~Command() = default;
    /// The subcommand's name, e.g. "analyze".
    [[nodiscard]] virtual std::string_view name() const = 0;
    /// One line for `whitezone --help`.
    [[nodiscard]] virtual std::string_view description() const = 0;
    /// Declares the flags on `app` (the subcommand), binding them to the command's members.
    virtual void setup(CLI::App& app) = 0;
    /// Runs the command once its flags are parsed; returns the exit code. Throws the
    /// library's errors; run_cli() maps them to exit codes.
    virtual int run(const Io& io) = 0;
};

/// Makes a command.
using CommandFactory = std::unique_ptr<Command> (*)();

/// Every command, in the order `whitezone --help` lists them (src/cli/commands.cpp).
const std::vector<CommandFactory>& command_table();

} // namespace whitezone::cli
