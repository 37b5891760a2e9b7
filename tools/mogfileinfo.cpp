// mogfileinfo: show a key's file row and every path the tracker knows for it.
#include <iostream>

#include "tools/cli/file_formats.h"
#include "tools/cli/tool_session.h"
#include "tools/cli/utils_tool.h"

namespace {

using mog::cli::Die;

int Main(int argc, const char* const* argv) {
  mog::cli::UtilsTool tool(argv[0], "--trackers=host --domain=foo --key='/hello.jpg'",
                           {{"key=s"}});
  if (auto parsed = tool.Parse(argc, argv, mog::cli::ToolEnvironment::FromProcess());
      parsed != mog::cli::ParseOutcome::kRun) {
    return tool.UsageExit(parsed);
  }
  auto session = mog::cli::OpenSession(tool);
  const std::string key = tool.Require("key");
  auto info = session.client->FileInfo(key);
  if (!info)
    Die(mog::cli::DescribeFailure("Error fetching file info: ", info.error(),
                                  {.key = key, .domain = tool.GetOr("domain", "")}));
  mog::client::GetPathsOptions options;
  options.noverify = true;
  options.pathcount = 99;
  auto paths = session.client->GetPaths(key, options);
  if (!paths)
    Die(mog::cli::DescribeFailure("Error fetching paths: ", paths.error(),
                                  {.key = key, .domain = tool.GetOr("domain", "")}));
  if (paths->empty()) Die("No paths found or key does not exist");
  std::cout << mog::cli::FormatFileInfo(key, *info, *paths);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return mog::cli::RunTool(Main, argc, argv); }
