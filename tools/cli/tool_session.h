// Builds the tracker connection and client a Utils tool works with, from its parsed options.
#pragma once

#include <memory>

#include "tools/cli/utils_tool.h"
#include "client/client.h"
#include "client/tracker_connection.h"

namespace mog::cli {

struct ToolSession {
  std::unique_ptr<client::TrackerConnection> trackers;
  std::unique_ptr<client::Client> client;
};

// A usage error (exit 2) naming --trackers or --domain when it is missing.
ToolSession OpenSession(const UtilsTool& tool, bool need_domain = true);

}  // namespace mog::cli
