// moglistkeys: print every key of a domain (optionally under a prefix), 1000 per request.
#include <iostream>

#include "tools/cli/tool_session.h"
#include "tools/cli/utils_tool.h"

namespace {

int Main(int argc, const char* const* argv) {
  mog::cli::UtilsTool tool(argv[0], "--trackers=host --domain=foo --key_prefix='bar/'",
                           {{"key_prefix=s"}});
  if (auto parsed = tool.Parse(argc, argv, mog::cli::ToolEnvironment::FromProcess());
      parsed != mog::cli::ParseOutcome::kRun) {
    return tool.UsageExit(parsed);
  }
  auto session = mog::cli::OpenSession(tool);
  const std::string prefix = tool.GetOr("key_prefix", "");
  constexpr int kPage = 1000;
  std::string after;
  // As foreach_key: pages continue after the last key while they come back full. An empty
  // page is the tracker's none_match error: upstream reports it (exit 255); an empty listing
  // is not a failure, so it ends the listing here.
  while (true) {
    auto page = session.client->ListKeys(prefix, after, kPage);
    if (!page && page.error().code == "none_match") break;
    if (!page) {
      std::cout.flush();
      mog::cli::Die(mog::cli::DescribeFailure("Error listing files: ", page.error(),
                                              {.domain = tool.GetOr("domain", "")}) +
                    "\n");
    }
    for (const std::string& key : page->keys) std::cout << key << "\n";
    if (static_cast<int>(page->keys.size()) != kPage) break;
    after = page->keys.back();
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return mog::cli::RunTool(Main, argc, argv); }
