// mogrename: rename a key within a domain.
#include <iostream>

#include "tools/cli/tool_session.h"
#include "tools/cli/utils_tool.h"

namespace {

int Main(int argc, const char* const* argv) {
  mog::cli::UtilsTool tool(argv[0],
                           "--trackers=host --domain=foo "
                           "--old_key='/hello.jpg' --new_key='/bye.jpg'",
                           {{"old_key=s"}, {"new_key=s"}});
  if (auto parsed = tool.Parse(argc, argv, mog::cli::ToolEnvironment::FromProcess());
      parsed != mog::cli::ParseOutcome::kRun) {
    return tool.UsageExit(parsed);
  }
  auto session = mog::cli::OpenSession(tool);
  const std::string old_key = tool.Require("old_key");
  const std::string new_key = tool.Require("new_key");
  auto renamed = session.client->Rename(old_key, new_key);
  if (!renamed) {
    mog::cli::Die(mog::cli::DescribeFailure("Error renaming file (key) from ", renamed.error(),
                                            {.key = old_key, .domain = tool.GetOr("domain", "")}));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return mog::cli::RunTool(Main, argc, argv); }
