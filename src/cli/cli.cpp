// run_cli(): the commands of src/cli/commands.cpp as CLI11 subcommands, and the one place
// that maps errors to exit codes.

#include "cli/cli.hpp"

#include "whitezone/context.hpp"
#include "whitezone/error.hpp"
#include "whitezone/version.hpp"

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "cli/suggest.hpp"
#include "common/text.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <vector>

namespace whitezone::cli {

namespace {

// Runs a command's body and maps its exceptions to exit codes (the only place that knows
// them): 2 for bad usage or bad input, 130 for a cancelled run (as for Ctrl-C), 1 for
// anything else. An OptionError gets the flag that sets its option.
int guarded(std::ostream& err, const std::function<int()>& body) {
    try {
        return body();
    } catch (const OptionError& e) {
        const std::string hint = flag_hint(e.option());
        err << "error: " << text::scrub_secrets(e.what()) << (hint.empty() ? "" : " " + hint)
            << "\n";
        return 2;
    } catch (const UsageError& e) {
        err << "error: " << text::scrub_secrets(e.what()) << "\n";
        return 2;
    } catch (const InputError& e) {
        err << "error: " << text::scrub_secrets(e.what()) << "\n";
        return 2;
    } catch (const Cancelled& e) {
        err << "error: " << e.what() << "\n";
        return 130;
    } catch (const std::exception& e) {
        err << "error: " << text::scrub_secrets(e.what()) << "\n";
        return 1;
    }
}

// The first argument when it should name a command but names none: "" otherwise.
std::string unknown_command(std::span<const std::string> args,
                            const std::vector<std::string>& names) {
    if (args.empty() || args.front().empty() || args.front().front() == '-')
        return "";
    for (const std::string& n : names)
        if (n == args.front())
            return "";
    return args.front();
}

// "whitezone analyze --stations 'a b.csv' …": the arguments as typed, quoted where they hold
// a space or a quote, passwords removed.
std::string command_line(std::span<const std::string> args) {
    std::string line = "whitezone";
    for (const std::string& a : args) {
        const std::string arg = text::scrub_secrets(a);
        const bool quote = arg.empty() || arg.find_first_of(" \t'\"") != std::string::npos;
        std::string shown = arg;
        if (quote) {
            shown.clear();
            for (const char c : arg)
                shown += c == '\'' ? std::string("'\\''") : std::string(1, c);
            shown = "'" + shown + "'";
        }
        line += " " + shown;
    }
    return line;
}

} // namespace

int run_cli(std::span<const std::string> args, std::ostream& out, std::ostream& err,
            bool err_is_terminal, std::stop_token stop) {
    CLI::App app{"whitezone: finds the villages a mobile network does not reach.", "whitezone"};
    app.set_version_flag("--version", "whitezone " + std::string(version()));
    app.require_subcommand(1);

    std::vector<std::unique_ptr<Command>> commands;
    std::vector<CLI::App*> subcommands;
    std::vector<std::string> names;
    for (const CommandFactory make : command_table()) {
        commands.push_back(make());
        Command& c = *commands.back();
        names.emplace_back(c.name());
        subcommands.push_back(
            app.add_subcommand(std::string(c.name()), std::string(c.description())));
        c.setup(*subcommands.back());
    }

    if (const std::string typed = unknown_command(args, names); !typed.empty()) {
        const auto close = closest_name(typed, names);
        err << "error: '" << typed << "' is not a whitezone command"
            << (close ? "; did you mean '" + *close + "'?" : ".") << "\nCommands:";
        for (const std::string& n : names)
            err << " " << n;
        err << ". Run 'whitezone --help' for more.\n";
        return 2;
    }

    // The subcommand that was parsed, if any.
    auto parsed = [&]() -> CLI::App* {
        for (CLI::App* s : subcommands)
            if (s->parsed())
                return s;
        return nullptr;
    };
    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 wants it so
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        CLI::App* sub = parsed();
        if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
            // --help or --version
            if (dynamic_cast<const CLI::CallForVersion*>(&e))
                out << e.what() << "\n";
            else
                out << (sub ? sub->help() : app.help());
            return 0;
        }
        std::string what = text::scrub_secrets(e.what());
        if (dynamic_cast<const CLI::ConversionError*>(&e) &&
            what.find("--threads") != std::string::npos)
            what += " (--threads takes a whole number from 0, all cores, to 1024)";
        err << "error: " << what << "\nRun 'whitezone " << (sub ? sub->get_name() + " " : "")
            << "--help' for the options.\n";
        return 2;
    }

    CLI::App* sub = parsed();
    for (std::size_t i = 0; i < commands.size(); ++i)
        if (subcommands[i] == sub)
            return guarded(err, [&] {
                return commands[i]->run(Io{out, err, err_is_terminal, command_line(args), stop});
            });
    return 2; // require_subcommand(1) makes CLI11 refuse this already
}

} // namespace whitezone::cli
