#include "tools/cli/tool_session.h"

namespace mog::cli {

ToolSession OpenSession(const UtilsTool& tool, bool need_domain) {
  auto domain = tool.Get("domain");
  if (need_domain && (!domain || domain->empty())) {
    Die("MogileFS: constructor requires parameter 'domain'");
  }
  if (tool.trackers().empty()) Die("MogileFS::Backend: constructor requires parameter 'hosts'");
  ToolSession session;
  session.trackers = std::make_unique<client::TrackerConnection>(tool.trackers());
  session.client = std::make_unique<client::Client>(*session.trackers, domain.value_or(""));
  return session;
}

}  // namespace mog::cli
