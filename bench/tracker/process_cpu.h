// CPU time used so far by a process and all its descendants (user + system, from /proc), so a
// phase can report the tracker's CPU cost per operation: on a shared, loaded machine that is
// steadier than ops/s.
#pragma once

#include <optional>
#include <sys/types.h>

namespace mog::bench {

// Seconds of CPU of `pid` (all threads) plus its live descendants; nullopt if pid is gone.
std::optional<double> ProcessTreeCpuSeconds(pid_t pid);

}  // namespace mog::bench
