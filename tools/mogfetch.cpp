// mogfetch: download a key's content to a file (or stdout with --file=-), trying each replica.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "tools/cli/progress.h"
#include "tools/cli/tool_session.h"
#include "tools/cli/utils_tool.h"

namespace {

using mog::cli::Die;

int Main(int argc, const char* const* argv) {
  mog::cli::UtilsTool tool(argv[0],
                           "--trackers=host --domain=foo --key='/hello.jpg' --file='./output'",
                           {{"key=s"}, {"file=s"}});
  if (auto parsed = tool.Parse(argc, argv, mog::cli::ToolEnvironment::FromProcess());
      parsed != mog::cli::ParseOutcome::kRun) {
    return tool.UsageExit(parsed);
  }
  auto session = mog::cli::OpenSession(tool);
  const std::string key = tool.Require("key");
  const std::string filename = tool.Require("file");
  mog::client::GetPathsOptions options;
  options.noverify = true;  // don't make the tracker HEAD every copy; all paths get tried
  auto paths = session.client->GetPaths(key, options);
  if (!paths)
    Die(mog::cli::DescribeFailure("Error fetching paths: ", paths.error(),
                                  {.key = key, .domain = tool.GetOr("domain", "")}));
  if (paths->empty()) Die("No paths found or key does not exist");

  FILE* out = nullptr;
  const bool to_stdout = filename == "-";
  // Each attempt starts the output afresh, so a half-read replica leaves nothing behind.
  auto restart = [&]() -> bool {
    if (to_stdout) {
      out = stdout;
      return true;
    }
    if (out) fclose(out);
    out = fopen(filename.c_str(), "wb");
    if (!out) Die("Could not open " + filename + ": " + std::strerror(errno), errno);
    return true;
  };
  auto sink = [&](const char* data, size_t size) { return fwrite(data, 1, size, out) == size; };
  mog::cli::ProgressBar bar("downloading", 0);
  auto fetched = session.client->FetchPaths(
      *paths, sink, restart, [&](uint64_t done, uint64_t total) {
        if (total >= mog::cli::ProgressBar::kMinBytes) bar.Update(done, total);
      });
  bar.Finish();
  if (out && fflush(out) != 0) Die("Could not write " + filename + ": " + std::strerror(errno), errno);
  if (out && !to_stdout) fclose(out);
  if (!fetched.failures.empty()) {
    for (const std::string& failure : fetched.failures) {
      std::cerr << "Got errors while trying to fetch:\n" << failure << "\n";
    }
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return mog::cli::RunTool(Main, argc, argv); }
