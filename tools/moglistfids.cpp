// moglistfids: print file rows by fid, from --fromfid (exclusive), --count of them.
#include <algorithm>
#include <iostream>

#include "tools/cli/file_formats.h"
#include "tools/cli/utils_tool.h"
#include "client/admin.h"

namespace {

int Main(int argc, const char* const* argv) {
  mog::cli::UtilsTool tool(argv[0], "--trackers=host --fromfid=123 --count=5000",
                           {{"fromfid=i"}, {"count=i"}});
  if (auto parsed = tool.Parse(argc, argv, mog::cli::ToolEnvironment::FromProcess());
      parsed != mog::cli::ParseOutcome::kRun) {
    return tool.UsageExit(parsed);
  }
  if (tool.trackers().empty()) {
    tool.UsageError("no trackers given: use --trackers=host:7001[,host:7001] or a config file "
                    "line trackers = host:7001");
  }
  mog::client::TrackerConnection trackers(tool.trackers());
  mog::client::Admin admin(trackers);
  int64_t fromfid = mog::client::PerlInt(tool.GetOr("fromfid", "0"));
  int64_t count = mog::client::PerlInt(tool.GetOr("count", "0"));
  if (count == 0) count = 100;
  while (count > 0) {
    // The tracker caps each answer (500 rows), so keep asking after the highest fid seen.
    auto fids = admin.ListFids(fromfid, count);
    if (!fids) {
      std::cout.flush();
      mog::cli::Die(mog::cli::DescribeFailure("Error listing fids: ", fids.error()) + "\n");
    }
    if (fids->empty()) break;
    std::stable_sort(fids->begin(), fids->end(), [](const auto& a, const auto& b) {
      return mog::client::PerlInt(a.fid) < mog::client::PerlInt(b.fid);
    });
    fromfid = mog::client::PerlInt(fids->back().fid);
    count -= static_cast<int64_t>(fids->size());
    for (const auto& fid : *fids) std::cout << mog::cli::FormatFid(fid);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return mog::cli::RunTool(Main, argc, argv); }
