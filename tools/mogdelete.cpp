// mogdelete: delete a key. Unlike the library call, an unknown key is reported as an error.
#include <iostream>

#include "tools/cli/tool_session.h"
#include "tools/cli/utils_tool.h"

namespace {

int Main(int argc, const char* const* argv) {
  mog::cli::UtilsTool tool(argv[0], "--trackers=host --domain=foo --key='/hello.jpg'",
                           {{"key=s"}});
  if (auto parsed = tool.Parse(argc, argv, mog::cli::ToolEnvironment::FromProcess());
      parsed != mog::cli::ParseOutcome::kRun) {
    return tool.UsageExit(parsed);
  }
  auto session = mog::cli::OpenSession(tool);
  const std::string key = tool.Require("key");
  auto deleted = session.client->Delete(key);
  if (!deleted) {
    mog::cli::Die(mog::cli::DescribeFailure("Error deleting file: ", deleted.error(),
                                            {.key = key, .domain = tool.GetOr("domain", "")}) +
                  "\n");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return mog::cli::RunTool(Main, argc, argv); }
