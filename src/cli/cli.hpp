#pragma once
// The command-line program as a function, so tests can run it in-process.

#include <ostream>
#include <span>
#include <stop_token>
#include <string>

namespace whitezone::cli {

/// Runs `whitezone <args…>` (args exclude the program name). stdout gets results (the summary
/// table, where the outputs are), stderr progress, warnings and errors. Returns the exit code:
/// 0 success, 2 bad usage or bad input, 130 cancelled through `stop`, 1 any other failure.
/// `err_is_terminal` enables the progress bar.
int run_cli(std::span<const std::string> args, std::ostream& out, std::ostream& err,
            bool err_is_terminal = false, std::stop_token stop = {});

} // namespace whitezone::cli
