// mogrename: rename a key within a domain.
#include <iostream>

#include "tools/cli/tool_session.h"
#include "tools/cli/utils_tool.h"

namespace {

int Main(int argc, const char* const* argv) {
  mog::cli::UtilsTool tool(argv[0],
                           "--trackers=host --domain=foo --class=bar "
                           "--old_key='/hello.jpg' --new_key='/bye.jpg'",
                           {{"old_key=s"}, {"new_key=s"}});
  if (!tool.Parse(argc, argv, mog::cli::ToolEnvironment::FromProcess())) {
    std::cout << tool.UsageText();
    return 0;
  }
  auto session = mog::cli::OpenSession(tool);
  auto renamed = session.client->Rename(tool.GetOr("old_key", ""), tool.GetOr("new_key", ""));
  if (!renamed) {
    mog::cli::Die(mog::cli::DescribeFailure("Error renaming file (key) from ", renamed.error()));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return mog::cli::RunTool(Main, argc, argv); }
