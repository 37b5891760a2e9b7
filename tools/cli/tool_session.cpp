#include "tools/cli/tool_session.h"

namespace mog::cli {

ToolSession OpenSession(const UtilsTool& tool, bool need_domain) {
  if (tool.trackers().empty()) Die("MogileFS::Client: constructor requires parameter 'hosts'");
  auto domain = tool.Get("domain");
  if (need_domain && (!domain || domain->empty())) {
    Die("MogileFS::Client: constructor requires parameter 'domain'");
  }
  ToolSession session;
  session.trackers = std::make_unique<client::TrackerConnection>(tool.trackers());
  session.client = std::make_unique<client::Client>(*session.trackers, domain.value_or(""));
  return session;
}

}  // namespace mog::cli
