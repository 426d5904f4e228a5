#include "cli/cli.hpp"

#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return whitezone::cli::run_cli(args, std::cout, std::cerr, ::isatty(STDERR_FILENO) != 0);
}
