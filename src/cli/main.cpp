#include "cli/cli.hpp"

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <pthread.h>
#include <stop_token>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

// Ctrl-C (SIGINT) and SIGTERM cancel the run: the run stops at its next check (between
// stages, between trend years and stability runs), writes nothing and exits with 130; the
// output already at --out is left as it was. A second signal ends the program at once (the
// temporary file of an interrupted write is removed by the next run, docs/output.md).
// The signals are blocked in every thread and taken by one thread with sigwait(), so that
// requesting the stop happens outside a signal handler.
int main(int argc, char** argv) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr); // inherited by every thread started later
    std::stop_source stop;
    std::thread([signals, stop]() mutable {
        int signal = 0;
        if (sigwait(&signals, &signal) != 0)
            return;
        stop.request_stop();
        if (sigwait(&signals, &signal) == 0)
            std::_Exit(128 + signal);
    }).detach();

    std::vector<std::string> args(argv + 1, argv + argc);
    return whitezone::cli::run_cli(args, std::cout, std::cerr, ::isatty(STDERR_FILENO) != 0,
                                   stop.get_token());
}
