#include "tools/cli/tool_session.h"

namespace mog::cli {

ToolSession OpenSession(const UtilsTool& tool, bool need_domain) {
  auto domain = tool.Get("domain");
  // Upstream croaks "constructor requires parameter 'domain'/'hosts'" (exit 255); we name the
  // option and where else it may come from, as a usage error.
  if (tool.trackers().empty()) {
    tool.UsageError("no trackers given: use --trackers=host:7001[,host:7001] or a config file "
                    "line trackers = host:7001");
  }
  if (need_domain && (!domain || domain->empty())) {
    tool.UsageError("no domain given: use --domain=<domain> or a config file line domain = "
                    "<domain>");
  }
  ToolSession session;
  session.trackers = std::make_unique<client::TrackerConnection>(tool.trackers());
  session.client = std::make_unique<client::Client>(*session.trackers, domain.value_or(""));
  return session;
}

}  // namespace mog::cli
